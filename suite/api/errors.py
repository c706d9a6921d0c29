"""One error body for the whole API: {"error": {"code", "message", "fields"}}."""
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _flatten(value)
        return ""
    if isinstance(detail, list):
        return _flatten(detail[0]) if detail else ""
    return str(detail)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    from django.db import DataError

    from suite.ml.kinds import UnknownKind

    if isinstance(exc, (OverflowError, DataError)):
        # An id or number past what the database column holds (10**29 in a URL or a field): the value is wrong.
        exc = exceptions.ValidationError({"non_field_errors": ["A number in the request is out of range."]})
    elif isinstance(exc, UnknownKind):  # a kind named in a request body; URLs with a kind answer 404 themselves
        exc = exceptions.ValidationError({"kind": [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error we know: let Django log it as a real failure

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {key: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for key, msgs in detail.items()}
        first_field, first_messages = next(iter(fields.items()), ("", [""]))
        label = "" if first_field == "non_field_errors" else f"{first_field}: "
        body = error_body("invalid", f"{label}{first_messages[0]}", fields)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = error_body(code if isinstance(code, str) else "error", _flatten(getattr(exc, "detail", str(exc))))
    response.data = body
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = "Token"
    return response
