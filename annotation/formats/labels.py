"""Label mappings: another tool's label names turned into a kind's own, for any import format.

A mapping is `FROM=TO,FROM=TO` (as on the command line) or a JSON object `{"FROM": "TO"}`. Labels the kind
already knows pass unchanged; every other label with no mapping is left out of the item and counted, so a
file labelled with a richer scheme still imports what it shares with the kind.
"""
from __future__ import annotations

import json
from collections import Counter

from suite.ml import kinds as K


class LabelMapError(ValueError):
    pass


def parse_label_map(text: str | dict | None) -> dict[str, str]:
    """`{"FROM": "TO"}` from `FROM=TO,...`, a JSON object (text or dict), or nothing."""
    if text is None or text == "":
        return {}
    if isinstance(text, dict):
        mapping = text
    elif text.lstrip().startswith("{"):
        try:
            mapping = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LabelMapError(f"the label mapping is not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(mapping, dict):
            raise LabelMapError("a JSON label mapping is an object {\"FROM\": \"TO\"}")
    else:
        mapping = {}
        for pair in text.split(","):
            if not pair.strip():
                continue
            source, sep, target = pair.partition("=")
            if not sep or not source.strip():
                raise LabelMapError(f"a label mapping is FROM=TO, not {pair.strip()!r}")
            mapping[source.strip()] = target.strip()
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise LabelMapError("a label mapping maps label names (text) to label names (text)")
    return mapping


def check_label_map(mapping: dict[str, str], kind: K.ModelKind) -> None:
    """Refuse a mapping onto labels the kind does not have (a typo would silently drop every such label)."""
    if not mapping:
        return
    if not kind.task.labelled_answers or not kind.labels:
        raise LabelMapError(f"{kind.name} is a {kind.task_type} kind without labels; a label mapping does not apply")
    for source, target in mapping.items():
        if not target:
            raise LabelMapError(f"label {source!r} maps to nothing; {kind.name} knows {list(kind.labels)}")
        if target not in kind.labels:
            raise LabelMapError(f"label {source!r} maps to {target!r}, which {kind.name} does not know; it knows {list(kind.labels)}")


def _mapped(label, mapping: dict, kind: K.ModelKind, unmapped: Counter):
    if label in mapping:
        return mapping[label]
    if label in kind.labels:
        return label
    unmapped[str(label)] += 1
    return None


def map_answer(answer, *, mapping: dict, kind: K.ModelKind, unmapped: Counter):
    """The answer in the kind's labels; a classification whose label has no mapping becomes None."""
    if answer is None:
        return None
    return kind.task.relabel(answer, lambda label: _mapped(label, mapping, kind, unmapped))
