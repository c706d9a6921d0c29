"""Prediction and evaluation of model versions, for every app: the one place that turns a version into predictions.

A version is served as its kind serves it (`kind.serve` around the trained model); no version means the kind's
untrained default; no version given to `predict` or `evaluate` means what is in production now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from suite.ml import engine, selectors
from suite.ml.kinds import ModelKind, get_kind


def _kind(kind: ModelKind | str) -> ModelKind:
    return get_kind(kind) if isinstance(kind, str) else kind


def production(kind: ModelKind | str):
    """The version serving `kind` now, or None while the untrained default serves."""
    return selectors.production_version(kind=_kind(kind).name)


def predictor(kind: ModelKind | str, version) -> Callable[[list[Any]], list[dict]]:
    """What predicts with `version` as the kind serves it; None: the untrained default."""
    kind = _kind(kind)
    return kind.serve(engine.load(version, kind).predict) if version is not None else kind.default_predict


def predict_with(kind: ModelKind | str, inputs: list[Any], version) -> list[dict]:
    """Predictions of a version already looked up; None means the untrained default."""
    return predictor(kind, version)(inputs)


def predict(kind: ModelKind | str, inputs: list[Any], *, version=None) -> list[dict]:
    """Predictions of `version`, else of the production version, else of the untrained default."""
    return predict_with(kind, inputs, version or production(kind))


def evaluate(kind: ModelKind | str, examples: list[dict], *, version=None) -> dict:
    """The kind's metrics on `examples` of `version` as served, else of what is in production now."""
    kind = _kind(kind)
    return kind.evaluate(examples, predictor=predictor(kind, version or production(kind)))
