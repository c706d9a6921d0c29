"""The `dotin` import format: annotated resumes (JSON lines `{"id", "text", "entities": [{start, end, label}]}`).

Spans padded with whitespace are trimmed; empty, out-of-range, unlabelled and overlapping spans are dropped
(the longer of two overlapping spans is kept), each with the reason in `skipped`.
"""
from collections import Counter

from annotation.formats import FormatError, Importer, json_lines, register_importer


def clean_spans(text: str, entities: list, labels) -> tuple[list[list], Counter]:
    """[start, end, label] spans fit for training, and why the others were dropped."""
    dropped, spans = Counter(), []
    for e in entities:
        if not isinstance(e, dict):
            dropped["not an object"] += 1
            continue
        start, end, label = e.get("start"), e.get("end"), e.get("label")
        if label not in labels:
            dropped["unknown label"] += 1
            continue
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            dropped["outside the text"] += 1
            continue
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            dropped["only whitespace"] += 1
            continue
        spans.append([start, end, label])
    kept = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if any(span[0] < k[1] and k[0] < span[1] for k in kept):
            dropped["overlaps a longer span"] += 1
            continue
        kept.append(span)
    return sorted(kept), dropped


@register_importer
class DotinResumes(Importer):
    name = "dotin"
    description = "Annotated resumes, one JSON object a line: id, text, entities [{start, end, label}] (resumes.ner)."

    def __init__(self):
        super().__init__()
        self.dropped = Counter()

    def parse(self, stream, *, kind):
        for number, record in json_lines(stream):
            where = f"line {number}"
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
                raise FormatError(where, "a dotin record needs a non-empty 'text'")
            spans, dropped = clean_spans(record["text"], record.get("entities") or [], kind.labels)
            self.dropped.update(dropped)
            self.skipped += [f"{where}: {n} span(s) dropped: {reason}" for reason, n in dropped.items()]
            yield where, {"input": record["text"], "group": f"dotin-{record.get('id', number)}", "result": spans}
