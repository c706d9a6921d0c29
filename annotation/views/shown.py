"""How a task is put before a person: its kind (if still registered), its input and answers as template shapes."""

from suite.ml import kinds as K


def kind_or_none(name: str) -> K.ModelKind | None:
    try:
        return K.get_kind(name)
    except K.UnknownKind:
        return None


def input_view(shown) -> dict:
    """An input in a shape a template can show: one text, named fields, or a list."""
    if isinstance(shown, str):
        return {"text": shown}
    if isinstance(shown, dict):
        return {
            "fields": [
                {"name": name, "items": [plain(v) for v in value]}
                if isinstance(value, list)
                else {"name": name, "text": plain(value)}
                for name, value in shown.items()
            ]
        }
    if isinstance(shown, list):
        return {"items": [item if isinstance(item, str) else plain(item) for item in shown]}
    return {"text": plain(shown)}


def plain(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return "" if value is None else str(value)
