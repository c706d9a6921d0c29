"""Token classification: labelled character spans `[start, end, label]` in a text, tagged B-/I-/O per token."""

from __future__ import annotations

import json

import torch

from suite.ml import metrics as M
from suite.ml.tasktypes.base import TaskType, is_whole_number


def token_tags(labels: tuple[str, ...]) -> list[str]:
    return ["O"] + [f"{p}-{label}" for label in labels for p in ("B", "I")]


class TokenClassification(TaskType):
    name = "token_classification"
    feedback_type = "spans"
    primary_metric = "f1"
    needs_labels = labelled_answers = label_list_form = True
    token_level = True

    def output_size(self, labels):
        return len(token_tags(labels))  # O, then B- and I- per label

    def loss(self, labels, outside_weight=1.0):
        weight = None
        if outside_weight != 1.0:
            weight = torch.ones(len(token_tags(labels)))
            weight[0] = outside_weight  # "O" is tag 0
        criterion = torch.nn.CrossEntropyLoss(weight=weight, ignore_index=-100)
        return lambda logits, tags: criterion(logits.reshape(-1, logits.shape[-1]), tags.reshape(-1))

    def training_items(self, examples, labels, sep):
        raise ValueError("token classification trains on token windows, not one text per example")

    def predict(self, model, inputs):
        return [{"spans": spans} for spans in model.token_spans(list(inputs))]

    def metrics(self, examples, predictions, labels):
        return M.span_metrics(
            [[tuple(s[:3]) for s in e["target"]] for e in examples],
            [[tuple(s[:3]) for s in p["spans"]] for p in predictions],
        )

    def answer_from_prediction(self, prediction, feedback_type):
        return [list(span[:3]) for span in prediction.get("spans", [])]

    def example_problem(self, example, labels):
        for span in example["target"]:
            if len(span) != 3 or span[2] not in labels or not 0 <= span[0] < span[1] <= len(example["input"]):
                return f"span {span!r} is not [start, end, label] inside the text with a known label"
        return None

    def answer_problem(self, answer, *, task_input, labels, kind_name):
        if not isinstance(answer, list):
            return f"spans are a list of [start, end, label], not {answer!r}"
        for span in answer:
            if not (
                isinstance(span, list) and len(span) == 3 and is_whole_number(span[0]) and is_whole_number(span[1])
            ):
                return f"span {span!r} is not [start, end, label]"
            if span[2] not in labels:
                return f"unknown label {span[2]!r} in span {span!r}; {kind_name} knows {list(labels)}"
            if not 0 <= span[0] < span[1] <= len(task_input):
                return f"span {span!r} is outside the text, which has {len(task_input)} characters"
        return None

    def answer_from_text(self, value):
        return json.loads(value)

    def answer_labels(self, answer):
        return [s[2] for s in answer if isinstance(s, list) and len(s) == 3] if isinstance(answer, list) else []

    def relabel(self, answer, mapped):
        if not isinstance(answer, list):
            return answer
        spans = []
        for span in answer:
            if isinstance(span, list) and len(span) == 3:
                label = mapped(span[2])
                if label is not None:
                    spans.append([span[0], span[1], label])
            else:
                spans.append(span)  # malformed: validation names it
        return sorted(spans, key=lambda s: tuple(map(str, s)) if not isinstance(s, list) else (s[0], s[1], str(s[2])))

    def as_label_list(self, answer):
        return [list(span) for span in answer]

    def portable_target(self, answer):
        return [{"start": s, "end": e, "label": label} for s, e, label in answer]

    def labelstudio_regions(self, answer, task_input):
        return [
            (
                "labels",
                "label",
                "text",
                {
                    "start": utf16_index(task_input, start),
                    "end": utf16_index(task_input, end),
                    "text": task_input[start:end],
                    "labels": [label],
                },
            )
            for start, end, label in answer
        ]

    def from_labelstudio(self, values, *, spans):
        return spans()

    def dataset_feature(self, datasets, labels):
        string = datasets.Value("string")
        return datasets.List({"start": datasets.Value("int64"), "end": datasets.Value("int64"), "label": string})


def utf16_index(text: str, index: int) -> int:
    """A Python string index as the Label Studio browser counts it (UTF-16 code units)."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)
