"""Classification: one label per text; multilabel: any number of labels per text."""

from __future__ import annotations

import json

import torch

from suite.ml import metrics as M
from suite.ml.tasktypes.base import TaskType, TrainingItems, choices_of


def _unknown_label_problem(answer: list, labels, kind_name: str) -> str | None:
    unknown = [a for a in answer if a not in labels]
    return f"unknown label {unknown[0]!r}; {kind_name} knows {list(labels)}" if unknown else None


class Classification(TaskType):
    name = "classification"
    feedback_type = "classification"
    primary_metric = "macro_f1"
    needs_labels = labelled_answers = label_list_form = True

    def output_size(self, labels):
        return len(labels)

    def loss(self, labels, outside_weight=1.0):
        return torch.nn.CrossEntropyLoss(ignore_index=-100)

    def training_items(self, examples, labels, sep):
        texts = [e["input"] for e in examples]
        return TrainingItems(texts, torch.tensor([labels.index(str(e["target"])) for e in examples], dtype=torch.long))

    def decode(self, logits, labels):
        probs = torch.softmax(torch.from_numpy(logits), dim=-1).numpy()
        return [
            {
                "label": labels[int(p.argmax())],
                "score": float(p.max()),
                "scores": {l: float(v) for l, v in zip(labels, p)},
            }
            for p in probs
        ]

    def metrics(self, examples, predictions, labels):
        return M.classification_metrics(
            [str(e["target"]) for e in examples], [p["label"] for p in predictions], list(labels)
        )

    def answer_from_prediction(self, prediction, feedback_type):
        return prediction.get("label")

    def stratum(self, target):
        return str(target)

    def example_problem(self, example, labels):
        target = example["target"]
        return None if str(target) in labels else f"label {target!r} is not one of {list(labels)}"

    def answer_problem(self, answer, *, task_input, labels, kind_name):
        if not isinstance(answer, str):
            return f"a {self.name} answer is text, not {answer!r}"
        return _unknown_label_problem([answer], labels, kind_name)

    def answer_from_text(self, value):
        return value

    def answer_labels(self, answer):
        return [answer] if isinstance(answer, str) else []

    def relabel(self, answer, mapped):
        return mapped(answer) if isinstance(answer, str) else answer

    def from_label_list(self, labels, kind_name):
        if len(labels) > 1:
            raise ValueError(f"{kind_name} takes one label per text; this line has {labels}")
        return super().from_label_list(labels, kind_name)

    def labelstudio_regions(self, answer, task_input):
        return [("choices", "label", "text", {"choices": answer if isinstance(answer, list) else [answer]})]

    def from_labelstudio(self, values, *, spans):
        choices = choices_of(values)
        return choices[0] if choices else None

    def dataset_feature(self, datasets, labels):
        return datasets.ClassLabel(names=list(labels))


class Multilabel(Classification):
    name = "multilabel"
    primary_metric = "micro_f1"

    def loss(self, labels, outside_weight=1.0):
        return torch.nn.BCEWithLogitsLoss()

    def training_items(self, examples, labels, sep):
        rows = [[1.0 if label in e["target"] else 0.0 for label in labels] for e in examples]
        return TrainingItems([e["input"] for e in examples], torch.tensor(rows, dtype=torch.float))

    def decode(self, logits, labels):
        probs = torch.sigmoid(torch.from_numpy(logits)).numpy()
        return [
            {"labels": [l for l, v in zip(labels, p) if v >= 0.5], "scores": {l: float(v) for l, v in zip(labels, p)}}
            for p in probs
        ]

    def metrics(self, examples, predictions, labels):
        return M.multilabel_metrics(
            [list(e["target"]) for e in examples], [p["labels"] for p in predictions], list(labels)
        )

    def answer_from_prediction(self, prediction, feedback_type):
        return list(prediction.get("labels", []))

    def stratum(self, target):
        return "|".join(sorted(target)) if target else "(none)"

    def example_problem(self, example, labels):
        extra = set(example["target"]) - set(labels)
        return f"labels {sorted(extra)} are not in {list(labels)}" if extra else None

    def answer_problem(self, answer, *, task_input, labels, kind_name):
        if not (isinstance(answer, list) and all(isinstance(a, str) for a in answer)):
            return f"a multilabel answer is a list of labels, not {answer!r}"
        return _unknown_label_problem(answer, labels, kind_name)

    def answer_from_text(self, value):
        return (
            json.loads(value) if value.lstrip().startswith("[") else [v.strip() for v in value.split("|") if v.strip()]
        )

    def answer_labels(self, answer):
        return list(answer) if isinstance(answer, list) else []

    def relabel(self, answer, mapped):
        if not isinstance(answer, list):
            return answer
        return list(dict.fromkeys(label for label in map(mapped, answer) if label is not None))

    def as_label_list(self, answer):
        return list(answer)

    def from_label_list(self, labels, kind_name):
        return labels or None

    def from_labelstudio(self, values, *, spans):
        return choices_of(values) if values["choices"] else None

    def dataset_feature(self, datasets, labels):
        return datasets.List(datasets.Value("string"))
