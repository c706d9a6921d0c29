"""The API's JSON parser: a body that would break something further in is refused here with a 400.

Refused: nesting deeper than API_JSON_MAX_DEPTH (Python's json recurses and would raise RecursionError),
strings with lone surrogates ("\\ud800", which no database or UTF-8 encoder takes), numbers outside what a
64-bit column or a float holds (an id of 10**29, `1e400`), and NaN/Infinity, which JSON does not have.
"""
import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

INT_LIMIT = 2**63 - 1


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(int(text)) > INT_LIMIT:
        raise ParseError(f"The number {text[:25]}{'…' if len(text) > 25 else ''} is out of range.")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ParseError(f"The number {text[:25]} is out of range.")
    return value


def _refuse_constant(name: str):
    raise ParseError(f"{name} is not a JSON number.")


def check_value(value, *, max_depth: int) -> None:
    """Depth and text checks on parsed JSON, without recursion (the value may be deep)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > max_depth:
                raise ParseError(f"The JSON is nested deeper than {max_depth} levels.")
            children = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            for key, child in children:
                if key is not None:
                    _check_text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, str):
            _check_text(item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError("The JSON holds invalid Unicode (a lone surrogate such as \\ud800).") from None


def loads(raw: str):
    max_depth = getattr(settings, "API_JSON_MAX_DEPTH", 32)
    try:
        value = json.loads(raw, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_refuse_constant)
    except RecursionError:
        raise ParseError(f"The JSON is nested deeper than {max_depth} levels.") from None
    except ValueError as exc:
        raise ParseError(f"JSON parse error - {exc}") from None
    check_value(value, max_depth=max_depth)
    return value


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            raw = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError:
            raise ParseError("The body is not valid UTF-8.") from None
        return loads(raw)
