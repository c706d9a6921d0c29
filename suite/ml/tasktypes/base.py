"""What every task type answers: its head and loss, how examples become tensors and logits predictions, its
metrics, and the shape of the answers people give. One subclass per task type; kinds only name theirs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

import torch

from suite.ml.metrics import METRICS_BY_TASK


def is_whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class TrainingItems:
    """One text and one target row per training item (an extractive summary gives one item per sentence)."""

    texts: list[str]
    targets: torch.Tensor


class TaskType:
    name: ClassVar[str]
    # How people correct this task type in the annotation app, unless a kind says otherwise.
    feedback_type: ClassVar[str]
    # The metric the gate compares when a kind does not name its own.
    primary_metric: ClassVar[str]
    # A kind of this type cannot work without its label set.
    needs_labels: ClassVar[bool] = False
    # Answers are made of the kind's labels (a label mapping and SQuAD questions apply).
    labelled_answers: ClassVar[bool] = False
    # The input is one text; otherwise a JSON object.
    text_input: ClassVar[bool] = True
    # Trained and served by the generative (seq2seq) engine rather than the encoder engine.
    generative: ClassVar[bool] = False
    # The head reads every token rather than the pooled sentence embedding.
    token_level: ClassVar[bool] = False
    # Its metrics are means over examples, so the gate may score each example once and resample the means.
    mean_over_examples: ClassVar[bool] = False
    # Its answers can be written as a list of labels or texts (doccano's `label`).
    label_list_form: ClassVar[bool] = False

    def __repr__(self):
        return f"<TaskType {self.name}>"

    @property
    def metric_names(self) -> tuple[str, ...]:
        return METRICS_BY_TASK[self.name]

    # --- head and loss -----------------------------------------------------------------------

    def output_size(self, labels: tuple[str, ...]) -> int:
        return 1  # a relevance or salience logit

    def loss(self, labels: tuple[str, ...], outside_weight: float = 1.0):
        """A function of (logits, targets) to the training loss."""
        return torch.nn.BCEWithLogitsLoss()

    # --- encoding and decoding ---------------------------------------------------------------

    def encoder_texts(self, inputs: list, sep: str) -> list[str]:
        """The text the encoder reads for each input."""
        return list(inputs)

    def training_items(self, examples: list[dict], labels: tuple[str, ...], sep: str) -> TrainingItems:
        texts = self.encoder_texts([e["input"] for e in examples], sep)
        targets = [self.target_row(e["target"], labels) for e in examples]
        return TrainingItems(texts, torch.tensor(targets, dtype=torch.float))

    def target_row(self, target, labels: tuple[str, ...]):
        raise NotImplementedError(f"{self.name} has no per-text target")

    def decode(self, logits, labels: tuple[str, ...]) -> list[dict]:
        """Predictions from the head's logits, one per row."""
        probs = torch.sigmoid(torch.from_numpy(logits)).numpy()
        return [{"score": float(p[0])} for p in probs]

    def predict(self, model, inputs: list) -> list[dict]:
        """Predictions of an encoder model (it offers `sequence_logits`, `token_spans`, `sep` and `labels`)."""
        return self.decode(model.sequence_logits(self.encoder_texts(list(inputs), model.sep)), model.labels)

    # --- metrics -----------------------------------------------------------------------------

    def scoring_inputs(self, examples: list[dict]) -> list:
        return [e["input"] for e in examples]

    def metrics(self, examples: list[dict], predictions: list[dict], labels: tuple[str, ...]) -> dict:
        raise NotImplementedError

    def score(self, examples: list[dict], predict, labels: tuple[str, ...] = ()) -> dict:
        """The metrics of `predict` on examples, with how many there were."""
        if not examples:
            raise ValueError("no examples to score")
        out = self.metrics(examples, predict(self.scoring_inputs(examples)), labels)
        return {k: v for k, v in out.items() if k != "per_label"} | {"n": len(examples)}

    # --- annotations -------------------------------------------------------------------------

    def target_from_answer(self, answer, feedback_type: str | None):
        """The training target an accepted answer gives."""
        return answer

    def answer_from_prediction(self, prediction: dict, feedback_type: str):
        """A prediction in the shape of an answer: what a task is pre-filled with."""
        return prediction.get("score")

    def stratum(self, target) -> str | None:
        """The label a split stratifies on, where the task has one."""
        return None

    def example_problem(self, example: dict, labels: tuple[str, ...]) -> str | None:
        """Why an example's target does not fit the task's labels, or None."""
        return None

    def answer_problem(self, answer, *, task_input, labels: tuple[str, ...], kind_name: str) -> str | None:
        """Why an answer does not have this task type's shape (or names labels the kind lacks), or None."""
        return None

    def input_problem(self, task_input) -> str | None:
        if self.text_input:
            return None if isinstance(task_input, str) and task_input.strip() else "the input must be non-empty text"
        return None if isinstance(task_input, dict) else f"a {self.name} input is a JSON object"

    # --- answers in other tools' files -------------------------------------------------------

    def answer_from_text(self, value: str):
        """An answer written in one text cell (CSV): JSON unless the type reads plainer text. ValueError if not."""
        return json.loads(value)

    def answer_labels(self, answer) -> list[str]:
        """The label names an answer uses (for label mappings and SQuAD questions)."""
        return []

    def relabel(self, answer, mapped):
        """The answer with each label replaced by `mapped(label)`; labels mapped to None are dropped."""
        return answer

    def as_label_list(self, answer) -> list:
        """The answer as a list of labels or texts (doccano's `label`), where `label_list_form` says it has one."""
        return [answer]

    def from_label_list(self, labels: list[str], kind_name: str):
        """An answer from a list of labels or texts (empty: no answer); ValueError when the list does not fit."""
        return labels[0] if labels else None

    def portable_target(self, answer):
        """The answer as a plain dataset column holds it (Hugging Face `datasets`)."""
        return answer

    def labelstudio_regions(self, answer, task_input) -> list[tuple[str, str, str, dict]]:
        """Label Studio regions `(type, from_name, to_name, value)` that express an answer."""
        return []

    def from_labelstudio(self, values: dict[str, list[dict]], *, spans) -> Any:
        """An answer from Label Studio region values grouped by type; None when they hold none.
        `spans()` reads the `labels` regions as character spans (the importer knows the text)."""
        raise ValueError(f"Label Studio results cannot express a {self.name} answer")

    def dataset_feature(self, datasets, labels: tuple[str, ...]):
        """The Hugging Face `datasets` feature of the target column; JSON text unless the type has a typed one."""
        return datasets.Value("string")


def choices_of(values: dict[str, list[dict]]) -> list:
    return [c for v in values["choices"] for c in v.get("choices", [])]


def texts_of(values: dict[str, list[dict]]) -> list[str]:
    return [t for v in values["textarea"] for t in (v.get("text") or [])]
