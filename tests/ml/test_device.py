"""The engine places models and batches on ML_DEVICE (default: CUDA when available, else CPU).

This session's machine has no GPU: the CUDA test below skips here and runs where one is present."""
import contextlib

import pytest
import torch

from suite.ml import engine
from suite.ml import kinds as K
from suite.ml.engine.device import DeviceError, autocast, device
from suite.ml.services import base_model_path
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"


def tiny_model(strategy="full"):
    kind = K.get_kind(KIND)
    hp = engine.hyperparameters_parse({"epochs": 1, "batch_size": 16}, strategy=strategy)
    return kind, hp, engine.build(kind, base=base_model_path(kind), strategy=strategy, hp=hp)


def test_the_default_device_is_cuda_when_available_else_cpu(settings):
    settings.ML_DEVICE = ""
    assert device().type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_a_named_device_is_used_and_an_impossible_one_is_a_clear_error(settings):
    settings.ML_DEVICE = "cpu"
    assert device() == torch.device("cpu")
    settings.ML_DEVICE = "toaster"
    with pytest.raises(DeviceError, match="not a device torch knows"):
        device()
    if not torch.cuda.is_available():
        settings.ML_DEVICE = "cuda"
        with pytest.raises(DeviceError, match="no usable CUDA GPU"):
            device()


def test_on_cpu_the_model_its_batches_and_training_stay_in_float32(settings):
    settings.ML_DEVICE = "cpu"
    kind, hp, model = tiny_model()
    examples = sentiment_examples(48)

    model.fit(examples[:40], examples[40:], hp, evaluate=lambda xs: kind.evaluate(xs, predictor=model.predict), primary_metric="macro_f1")

    assert {p.device.type for p in model.net.parameters()} == {"cpu"}
    assert {p.dtype for p in model.net.parameters()} == {torch.float32}
    assert isinstance(autocast(model.device), contextlib.nullcontext)
    assert model.predict(["the meal was lovely today"])[0]["label"] in kind.labels


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine")
@pytest.mark.parametrize("strategy", ["full", "feature"])
def test_on_a_gpu_the_model_trains_there_under_mixed_precision(settings, strategy):
    settings.ML_DEVICE = "cuda"
    kind, hp, model = tiny_model(strategy)
    examples = sentiment_examples(64)

    fit = model.fit(examples[:48], examples[48:], hp, evaluate=lambda xs: kind.evaluate(xs, predictor=model.predict), primary_metric="macro_f1")

    assert {p.device.type for p in model.net.parameters()} == {"cuda"}
    assert {p.dtype for p in model.net.parameters()} == {torch.float32}  # weights stay float32; autocast does the rest
    assert not isinstance(autocast(model.device), contextlib.nullcontext)
    assert fit.epochs and all(e.train_loss == e.train_loss for e in fit.epochs)  # finite, not NaN
    assert model.predict(["the meal was lovely today"])[0]["label"] in kind.labels
