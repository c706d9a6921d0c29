from django.core.exceptions import ValidationError
from django.db import transaction

from chatbot.models import PatientProfile

MAX_ITEMS, MAX_ITEM_CHARS = 50, 100


def _items(name: str, values) -> list[str]:
    if isinstance(values, str):
        values = values.replace("\n", ",").split(",")
    if not isinstance(values, (list, tuple)):
        raise ValidationError({name: ["Give a list of names, or one text with names separated by commas."]})
    cleaned = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    if len(cleaned) > MAX_ITEMS or any(len(v) > MAX_ITEM_CHARS for v in cleaned):
        raise ValidationError({name: [f"At most {MAX_ITEMS} entries of at most {MAX_ITEM_CHARS} characters each."]})
    return cleaned


@transaction.atomic
def profile_update(*, user, **changes) -> PatientProfile:
    """The owner's own profile, created on first save; only the fields given change."""
    profile, _ = PatientProfile.objects.select_for_update().get_or_create(owner=user)
    if "age" in changes:
        age = changes["age"]
        if age in ("", None):
            profile.age = None
        else:
            try:
                age = int(age)
            except (TypeError, ValueError):
                raise ValidationError({"age": ["Age is a whole number of years."]}) from None
            if not 0 <= age <= 130:
                raise ValidationError({"age": ["Age must be between 0 and 130."]})
            profile.age = age
    for name in ("conditions", "medications", "allergies"):
        if name in changes:
            setattr(profile, name, _items(name, changes[name]))
    profile.save()
    return profile
