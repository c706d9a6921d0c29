"""The kind a request names, or a form error that lists why it is unknown."""

from django.core.exceptions import ValidationError

from suite.ml import kinds as K


def kind_or_invalid(kind: str) -> K.ModelKind:
    try:
        return K.get_kind(kind)
    except K.UnknownKind as exc:
        raise ValidationError({"kind": [str(exc)]}) from None
