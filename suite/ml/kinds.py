"""Model kinds: each learned component an app declares, and the registry that finds them by name.

A kind says what it predicts (its task type and labels), how it predicts before any training (a rule-based
or zero-shot default), which metric the promotion gate compares, and how an accepted annotation becomes a
training example. Training, evaluation and serving of trained versions are the same for every kind of a
task type and live in `suite.ml.engine`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from suite.ml.metrics import METRICS_BY_TASK

CLASSIFICATION = "classification"
MULTILABEL = "multilabel"
TOKEN_CLASSIFICATION = "token_classification"
RANKING = "ranking"
EXTRACTIVE_SUMMARY = "extractive_summary"
SEQ2SEQ = "seq2seq"
TASK_TYPES = (CLASSIFICATION, MULTILABEL, TOKEN_CLASSIFICATION, RANKING, EXTRACTIVE_SUMMARY, SEQ2SEQ)

# How people correct each task type in the annotation app, unless a kind says otherwise.
FEEDBACK_TYPE = {
    CLASSIFICATION: "classification",
    MULTILABEL: "classification",
    TOKEN_CLASSIFICATION: "spans",
    RANKING: "rating",
    EXTRACTIVE_SUMMARY: "correction",
    SEQ2SEQ: "correction",
}

# The metric the gate compares when a kind does not name its own.
PRIMARY_METRIC = {
    CLASSIFICATION: "macro_f1",
    MULTILABEL: "micro_f1",
    TOKEN_CLASSIFICATION: "f1",
    RANKING: "ndcg@10",
    EXTRACTIVE_SUMMARY: "rougeL",
    SEQ2SEQ: "rougeL",
}


# People rate on a 1-5 rubric; ranking models learn a relevance between 0 and 1.
RATING_MIN, RATING_MAX = 1, 5


def relevance_from_rating(rating) -> float:
    """1 (useless) .. 5 (exactly right) -> 0.0 .. 1.0, the soft target a ranking head learns."""
    return (float(rating) - RATING_MIN) / (RATING_MAX - RATING_MIN)


def rating_from_relevance(score) -> int:
    """A model's relevance (0..1) as the rating a task is pre-filled with."""
    clipped = min(max(float(score), 0.0), 1.0)
    return int(round(RATING_MIN + clipped * (RATING_MAX - RATING_MIN)))


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
        target = annotation["result"]
        if self.task_type == RANKING and annotation.get("feedback_type") == "rating":
            target = relevance_from_rating(target)
        return {
            "id": str(annotation.get("id", "")),
            "group": str(annotation.get("group") or annotation.get("id", "")),
            "input": annotation["input"],
            "target": target,
        }

    def result_from_prediction(self, prediction: dict):
        """The model's prediction in the shape of an annotation result: what a task is pre-filled with."""
        t = self.task_type
        if t == CLASSIFICATION:
            return prediction.get("label")
        if t == MULTILABEL:
            return list(prediction.get("labels", []))
        if t == TOKEN_CLASSIFICATION:
            return [list(span[:3]) for span in prediction.get("spans", [])]
        if t == EXTRACTIVE_SUMMARY:
            return {"selected": list(prediction.get("selected", []))}
        if t == SEQ2SEQ:
            return prediction.get("text", "")
        if t == RANKING and self.feedback_type == "rating" and prediction.get("score") is not None:
            return rating_from_relevance(prediction["score"])
        return prediction.get("score")

    # --- what every kind gets ------------------------------------------------------------------

    @property
    def feedback_type(self) -> str:
        return self.feedback or FEEDBACK_TYPE[self.task_type]

    @property
    def primary_metric(self) -> str:
        return self.metric or PRIMARY_METRIC[self.task_type]

    @property
    def metric_names(self) -> tuple[str, ...]:
        return METRICS_BY_TASK[self.task_type]

    def label_of(self, example: dict) -> str | None:
        """The label used to stratify splits, where the task has one."""
        target = example.get("target")
        if self.task_type == CLASSIFICATION:
            return str(target)
        if self.task_type == MULTILABEL:
            return "|".join(sorted(target)) if target else "(none)"
        if self.task_type == RANKING:
            return "relevant" if float(target or 0) > 0 else "not relevant"
        return None

    def validate_example(self, example: dict) -> str | None:
        """Why an example cannot be used, or None when it can."""
        if not isinstance(example, dict) or "input" not in example or "target" not in example:
            return "an example needs 'input' and 'target'"
        target = example["target"]
        if self.task_type == CLASSIFICATION and str(target) not in self.labels:
            return f"label {target!r} is not one of {list(self.labels)}"
        if self.task_type == MULTILABEL and not set(target) <= set(self.labels):
            return f"labels {sorted(set(target) - set(self.labels))} are not in {list(self.labels)}"
        if self.task_type == TOKEN_CLASSIFICATION:
            for span in target:
                if len(span) != 3 or span[2] not in self.labels or not 0 <= span[0] < span[1] <= len(example["input"]):
                    return f"span {span!r} is not [start, end, label] inside the text with a known label"
        return None

    def predict(self, inputs: list[Any], *, version=None) -> list[dict]:
        """Predict with `version`, else the production version, else the untrained default."""
        from suite.ml import selectors

        version = version or selectors.production_version(kind=self.name)
        return self.predict_with(inputs, version)

    def predict_with(self, inputs: list[Any], version) -> list[dict]:
        """Predict with a version already looked up; None means the untrained default."""
        from suite.ml import engine

        if version is None:
            return self.default_predict(inputs)
        return self.serve(engine.load(version).predict)(inputs)

    def serve(self, predictor: Callable[[list[Any]], list[dict]]) -> Callable[[list[Any]], list[dict]]:
        """What a trained model's predictions become in service; the gate measures the same. The model alone by default."""
        return predictor

    def evaluate(self, examples: list[dict], *, version=None, predictor=None) -> dict:
        """Metrics of `predictor` (or `version`, or production, or the default) on `examples`."""
        from suite.ml import engine

        if predictor is None:
            predictor = self.serve(engine.load(version).predict) if version is not None else (lambda xs: self.predict(xs))
        return engine.score(self, examples, predictor)

    def __repr__(self):
        return f"<ModelKind {self.name} ({self.task_type})>"


_registry: dict[str, ModelKind] = {}


def register(kind_class: type[ModelKind]) -> type[ModelKind]:
    """Class decorator an app uses (from its AppConfig.ready or module import) to declare a kind."""
    if kind_class.task_type not in TASK_TYPES:
        raise ValueError(f"{kind_class.__name__}: task type {kind_class.task_type!r} is not one of {TASK_TYPES}")
    if kind_class.task_type in (CLASSIFICATION, MULTILABEL, TOKEN_CLASSIFICATION) and not kind_class.labels:
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
