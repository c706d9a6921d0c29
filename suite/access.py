"""The one place that decides who may see and change what; pages and API both ask it.

Objects that belong to a person are scoped to their owner: another user gets a 404, never a hint that the
object exists. Staff reach personal data only through the annotation app's masked, audited views.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission

from suite import roles as R


def user_roles(user) -> set[str]:
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_fineloop_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=R.ALL_ROLES).values_list("name", flat=True))
        user._fineloop_roles = cached
    return cached


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def has_role(user, *roles: str) -> bool:
    """True when the user holds one of `roles`. Staff count as annotators and reviewers."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if is_staff(user) and set(roles) & set(R.STAFF_ROLES):
        return True
    return bool(user_roles(user) & set(roles))


def can_use_area(user, area: R.Area) -> bool:
    if is_staff(user):
        return area.key in ("annotation", "models") or bool(user_roles(user) & set(area.roles))
    return has_role(user, *area.roles)


def areas_for(user) -> list[R.Area]:
    return [area for area in R.AREAS if can_use_area(user, area)]


def owned_by(queryset: QuerySet, user, *, owner_field: str = "owner") -> QuerySet:
    """Only the rows `user` owns; anonymous users own nothing."""
    if not user or not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{owner_field: user})


def get_owned_or_404(queryset: QuerySet, user, *, owner_field: str = "owner", **lookup):
    """The user's own object, or 404 whether it is missing or someone else's."""
    try:
        return owned_by(queryset, user, owner_field=owner_field).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None


def can_change(user, obj, *, owner_field: str = "owner") -> bool:
    return bool(user and user.is_authenticated and getattr(obj, f"{owner_field}_id") == user.pk)


# --- page guards ------------------------------------------------------------------------------


def role_required(*roles: str):
    """Page decorator: anonymous users go to login, users without one of `roles` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def staff_required(view):
    """Page decorator for staff pages: anonymous users go to login, everyone else but staff gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff(request.user):
            raise PermissionDenied("This page is for staff.")
        return view(request, *args, **kwargs)

    return wrapper


# --- API permissions -------------------------------------------------------------------------


class IsStaff(BasePermission):
    message = "This endpoint is for staff."

    def has_permission(self, request, view):
        return is_staff(request.user)


def HasRole(*roles: str) -> type[BasePermission]:
    """A DRF permission class admitting users with one of `roles`."""

    class _HasRole(BasePermission):
        message = f"This endpoint is for: {', '.join(roles)}."

        def has_permission(self, request, view):
            return has_role(request.user, *roles)

    _HasRole.__name__ = f"HasRole_{'_'.join(roles)}"
    return _HasRole
