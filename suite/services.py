"""Writes for accounts and roles."""
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from suite import roles as R

User = get_user_model()


def role_group(name: str) -> Group:
    """The group of a role; created on first use as well as by migration, so a flushed table heals."""
    return Group.objects.get_or_create(name=name)[0]


def roles_ensure() -> None:
    for name in R.ALL_ROLES:
        role_group(name)


@transaction.atomic
def user_signup(*, username: str, password: str, role: str, email: str = "") -> User:
    """A new account with one public role; nothing is written unless every check passes."""
    errors = {}
    if role not in R.PUBLIC_ROLES:
        errors["role"] = [f"Choose one of: {', '.join(R.PUBLIC_ROLES)}."]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["A user with that username already exists."]
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    try:
        user = User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:  # lost a race with another sign-up of the same name
        raise ValidationError({"username": ["A user with that username already exists."]}) from None
    user.groups.add(role_group(role))
    return user


@transaction.atomic
def role_grant(*, user: User, role: str) -> None:
    if role not in R.ALL_ROLES:
        raise ValidationError({"role": [f"Unknown role {role!r}."]})
    user.groups.add(role_group(role))


DEMO_PASSWORD_SUFFIX = "-demo-2026"


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[str, str, str]]:
    """One account per role plus staff and admin, for local runs; returns (username, password, role)."""
    roles_ensure()
    accounts = []
    for role in R.ALL_ROLES:
        accounts.append((role, role, {}))
    accounts.append(("staff", None, {"is_staff": True}))
    accounts.append(("admin", None, {"is_staff": True, "is_superuser": True}))
    out = []
    for username, role, flags in accounts:
        password = f"{username}{DEMO_PASSWORD_SUFFIX}"
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@demo.fineloop"})
        user.set_password(password)
        for key, value in flags.items():
            setattr(user, key, value)
        user.save()
        if role:
            user.groups.add(role_group(role))
        out.append((username, password, role or ("admin" if flags.get("is_superuser") else "staff")))
    return out
