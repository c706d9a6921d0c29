"""The training engine: one way to train, save, load and score every kind, whatever its app.

`fit_kind` trains on a split snapshot; `load` serves a saved version (cached per process); `score` measures
any predictor on examples with the metrics of the kind's task type.
"""
import threading
from collections import OrderedDict

from suite.ml import kinds as K
from suite.ml.engine.hparams import STRATEGIES, HyperparameterError, Hyperparameters, hyperparameters_parse
from suite.ml.engine.scoring import score



class Cancelled(Exception):
    """Raised inside a training loop when someone cancelled the run."""


__all__ = ["Cancelled", "STRATEGIES", "HyperparameterError", "Hyperparameters", "hyperparameters_parse", "score", "load", "build", "forget"]

_loaded: "OrderedDict[int, object]" = OrderedDict()
_lock = threading.Lock()
LOADED_VERSIONS_KEPT = 8


def build(kind: K.ModelKind, *, base: str, strategy: str, hp: Hyperparameters):
    """A fresh trainable model of `kind` on the base encoder, with the strategy applied."""
    if kind.task_type == K.SEQ2SEQ:
        from suite.ml.engine.generative import GenerativeModel

        return GenerativeModel.from_base(kind, base=base, strategy=strategy, hp=hp)
    from suite.ml.engine.runtime import KindModel

    return KindModel.from_base(kind, base=base, strategy=strategy, hp=hp)


def load(version):
    """The trained model behind a ModelVersion; loaded once per process, least recently used dropped."""
    with _lock:
        if version.pk in _loaded:
            _loaded.move_to_end(version.pk)
            return _loaded[version.pk]
    kind = K.get_kind(version.kind)
    if kind.task_type == K.SEQ2SEQ:
        from suite.ml.engine.generative import GenerativeModel as Model
    else:
        from suite.ml.engine.runtime import KindModel as Model
    model = Model.load(kind, version.artifact_path)
    with _lock:
        _loaded[version.pk] = model
        while len(_loaded) > LOADED_VERSIONS_KEPT:
            _loaded.popitem(last=False)
    return model


def forget() -> None:
    with _lock:
        _loaded.clear()
