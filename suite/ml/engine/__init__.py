"""The training engine: one way to train, save, load and score every kind, whatever its app.

`build` makes a trainable model of a kind; `load` brings back a saved version (cached per process); `score`
measures any predictor on examples with the metrics of the kind's task type. The engine knows task types,
not the kinds registry: a kind is passed in, and a saved version says its own task type.
"""
import json
import threading
from collections import OrderedDict
from pathlib import Path

from suite.ml.engine.hparams import SHALLOW_STRATEGIES, STRATEGIES, HyperparameterError, Hyperparameters, hyperparameters_parse
from suite.ml.engine.scoring import score
from suite.ml.tasktypes import task_type_for


class Cancelled(Exception):
    """Raised inside a training loop when someone cancelled the run."""


__all__ = [
    "Cancelled", "SHALLOW_STRATEGIES", "STRATEGIES", "HyperparameterError", "Hyperparameters", "hyperparameters_parse",
    "score", "load", "load_folder", "build", "forget",
]

_loaded: "OrderedDict[tuple, object]" = OrderedDict()
_lock = threading.Lock()
LOADED_VERSIONS_KEPT = 8


def _model_class(task_type: str, strategy: str = ""):
    if strategy == "sparse":
        from suite.ml.engine.sparse import SparseModel

        return SparseModel
    if strategy == "crf":
        from suite.ml.engine.crf import CRFModel

        return CRFModel
    if task_type_for(task_type).generative:
        from suite.ml.engine.generative import GenerativeModel

        return GenerativeModel
    from suite.ml.engine.runtime import EncoderModel

    return EncoderModel


def build(kind, *, base: str, strategy: str, hp: Hyperparameters):
    """A fresh trainable model of `kind` on its base model, with the strategy applied."""
    return _model_class(kind.task_type, strategy).from_base(kind, base=base, strategy=strategy, hp=hp)


def load(version, kind=None):
    """The trained model behind a ModelVersion of `kind`; loaded once per process, least recently used dropped.
    Models that read features through their kind (the CRF) need it; the engine never looks kinds up itself.

    Cached by the artifact's folder and when it was written, not the row id: ids repeat across databases (tests,
    a restored backup) while a folder rewritten by a later run must not serve the earlier model."""
    folder = Path(version.artifact_path)
    meta_file = folder / "fineloop.json"
    key = (str(folder), meta_file.stat().st_mtime_ns)
    with _lock:
        if key in _loaded:
            _loaded.move_to_end(key)
            return _loaded[key]
    model = load_folder(folder, kind)
    with _lock:
        _loaded[key] = model
        while len(_loaded) > LOADED_VERSIONS_KEPT:
            _loaded.popitem(last=False)
    return model


def load_folder(folder: Path, kind=None):
    """A saved model from its folder, whatever its strategy (`load` does this once per version and process)."""
    meta = json.loads((Path(folder) / "fineloop.json").read_text())
    return _model_class(meta["task_type"], meta.get("strategy", "")).load(kind, Path(folder))


def forget() -> None:
    with _lock:
        _loaded.clear()
