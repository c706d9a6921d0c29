"""Model kinds: each learned component an app declares, and the registry that finds them by name.

A kind is a short declaration: its task type and labels, how it predicts before any training (a rule-based
or zero-shot default), which metric the promotion gate compares, and how an accepted annotation becomes a
training example. Everything that differs between task types lives in `suite.ml.tasktypes`; training in
`suite.ml.engine`; prediction and evaluation of trained versions in `suite.ml.serving`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from suite.ml.tasktypes import (  # noqa: F401  (re-exported: apps declare `task_type = K.CLASSIFICATION`)
    CLASSIFICATION,
    EXTRACTIVE_SUMMARY,
    MULTILABEL,
    RANKING,
    RATING_MAX,
    RATING_MIN,
    SEQ2SEQ,
    TASK_TYPES,
    TOKEN_CLASSIFICATION,
    TaskType,
    rating_from_relevance,
    relevance_from_rating,
    task_type_for,
)


class UnknownKind(LookupError):
    pass


class ModelKind:
    """Base class for a learned component. Subclasses set the class attributes and `default_predict`.

    Examples are dicts `{"id", "group", "input", "target"}`; what input and target hold depends on the task:
    classification: text -> label; multilabel: text -> [labels]; token_classification: text ->
    [[start, end, label], ...] character spans; ranking: {"query", "candidate"} -> relevance (0..n);
    extractive_summary: {"sentences": [...]} -> {"selected": [indices], "reference": text};
    seq2seq: text -> text.
    """

    name: ClassVar[str]
    task_type: ClassVar[str]
    labels: ClassVar[tuple[str, ...]] = ()
    metric: ClassVar[str | None] = None
    description: ClassVar[str] = ""
    default_strategy: ClassVar[str] = "full"
    # Hyperparameters this kind trains with unless a run says otherwise (lengths, learning rates, epochs).
    default_hyperparameters: ClassVar[dict] = {}
    # Accepted annotations needed before the beat schedule starts a new run by itself.
    retrain_threshold: ClassVar[int | None] = None
    # Feedback type in the annotation app (classification, spans, correction, preference, rating).
    feedback: ClassVar[str | None] = None
    # Inputs hold personal health data: annotators see them masked, only the owner sees the original.
    personal_data: ClassVar[bool] = False
    # The gate: the lower bound of the 95% interval of the improvement must exceed this margin.
    gate_margin: ClassVar[float] = 0.0
    # Paired bootstrap resamples of the test split behind that interval.
    gate_resamples: ClassVar[int] = 1000
    # How much of its metric a candidate may lose on the golden set against what serves now.
    golden_tolerance: ClassVar[float] = 0.02
    # The most examples frozen into a new golden set from the first snapshot's test split.
    golden_size: ClassVar[int] = 200

    # --- what a subclass provides ------------------------------------------------------------

    def default_predict(self, inputs: list[Any]) -> list[dict]:
        """Predictions before any training (rules, patterns, zero-shot); one per input."""
        raise NotImplementedError(f"{self.name} has no default predictor")

    def example_from_annotation(self, annotation: dict) -> dict | list[dict] | None:
        """Turn an accepted annotation `{"input", "result", "group", "id", "feedback_type"}` into a training
        example (or a list of them, or None to leave it out)."""
        return {
            "id": str(annotation.get("id", "")),
            "group": str(annotation.get("group") or annotation.get("id", "")),
            "input": annotation["input"],
            "target": self.task.target_from_answer(annotation["result"], annotation.get("feedback_type")),
        }

    def result_from_prediction(self, prediction: dict):
        """The model's prediction in the shape of an annotation result: what a task is pre-filled with."""
        return self.task.answer_from_prediction(prediction, self.feedback_type)

    def serve(self, predictor: Callable[[list[Any]], list[dict]]) -> Callable[[list[Any]], list[dict]]:
        """What a trained model's predictions become in service; the gate measures the same. The model alone by default."""
        return predictor

    # --- what every kind gets ------------------------------------------------------------------

    @property
    def task(self) -> TaskType:
        return task_type_for(self.task_type)

    @property
    def feedback_type(self) -> str:
        return self.feedback or self.task.feedback_type

    @property
    def primary_metric(self) -> str:
        return self.metric or self.task.primary_metric

    @property
    def metric_names(self) -> tuple[str, ...]:
        return self.task.metric_names

    def label_of(self, example: dict) -> str | None:
        """The label used to stratify splits, where the task has one."""
        return self.task.stratum(example.get("target"))

    def validate_example(self, example: dict) -> str | None:
        """Why an example cannot be used, or None when it can."""
        if not isinstance(example, dict) or "input" not in example or "target" not in example:
            return "an example needs 'input' and 'target'"
        return self.task.example_problem(example, self.labels)

    def answer_problem(self, task_input, answer) -> str | None:
        """Why a person's answer does not fit this kind: its task type's shape and labels, then the kind's own rules."""
        problem = self.task.answer_problem(answer, task_input=task_input, labels=self.labels, kind_name=self.name)
        if problem:
            return problem
        try:
            return self.validate_example({"input": task_input, "target": answer})
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            return f"the answer does not fit {self.name}: {exc}"

    def evaluate(self, examples: list[dict], *, version=None, predictor=None) -> dict:
        """Metrics of `predictor` on `examples` (a kind may add its own); without one, of `version` as served."""
        if predictor is None:
            return _serving().evaluate(self, examples, version=version)
        return self.task.score(examples, predictor, self.labels)

    # Kept for callers written before `suite.ml.serving`; new code calls serving.predict / predict_with.
    def predict(self, inputs: list[Any], *, version=None) -> list[dict]:
        return _serving().predict(self, inputs, version=version)

    def predict_with(self, inputs: list[Any], version) -> list[dict]:
        return _serving().predict_with(self, inputs, version)

    def __repr__(self):
        return f"<ModelKind {self.name} ({self.task_type})>"


_registry: dict[str, ModelKind] = {}


def _serving():
    # The one arrow upward, for the old entry points above: serving imports kinds, not the other way round.
    from suite.ml import serving

    return serving


def register(kind_class: type[ModelKind]) -> type[ModelKind]:
    """Class decorator an app uses (from its AppConfig.ready or module import) to declare a kind."""
    if kind_class.task_type not in TASK_TYPES:
        raise ValueError(f"{kind_class.__name__}: task type {kind_class.task_type!r} is not one of {TASK_TYPES}")
    if task_type_for(kind_class.task_type).needs_labels and not kind_class.labels:
        raise ValueError(f"{kind_class.__name__}: a {kind_class.task_type} kind must declare its labels")
    _registry[kind_class.name] = kind_class()
    return kind_class


def get_kind(name: str) -> ModelKind:
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "none registered"
        raise UnknownKind(f"Unknown model kind {name!r}; known kinds: {known}.") from None


def all_kinds() -> list[ModelKind]:
    return [_registry[name] for name in sorted(_registry)]
