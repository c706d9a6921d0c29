"""The generative tier on a tiny T5 built on the spot: it learns, round-trips, freezes what it should, cancels."""
import pytest
import torch

from suite.ml import engine
from suite.ml import kinds as K
from suite.ml.engine.generative import GenerativeModel
from tests.tiny_models import build_tiny_t5, sentences

COPY = K.get_kind("tests.copy")


def copy_examples(n: int, *, seed: int) -> list[dict]:
    return [{"id": f"{seed}-{i}", "group": f"{seed}-{i}", "input": s, "target": s} for i, s in enumerate(sentences(n, seed=seed, words=(2, 4)))]


def evaluate_with(model):
    return lambda examples: engine.score(COPY, examples, model.predict)


@pytest.fixture(scope="module")
def tiny_t5(tmp_path_factory) -> str:
    return str(build_tiny_t5(tmp_path_factory.mktemp("t5") / "tiny-t5"))


def build(tiny_t5: str, strategy: str, **hp):
    params = engine.hyperparameters_parse({"epochs": 1, "batch_size": 8, "learning_rate": 1e-2, "frozen_layers": 1, "lora_rank": 4, **hp}, strategy=strategy)
    model = engine.build(COPY, base=tiny_t5, strategy=strategy, hp=params)
    model.meta["max_new_tokens"] = 8  # copies are a few words: untrained babble need not run to 64 tokens
    return model, params


def train(model, params, train_n: int = 32):
    return model.fit(copy_examples(train_n, seed=1), copy_examples(8, seed=2), params, evaluate=evaluate_with(model), primary_metric="rougeL")


@pytest.fixture(scope="module")
def trained(tiny_t5):
    model, params = build(tiny_t5, "full", epochs=8, warmup_ratio=0.0)
    validation = copy_examples(16, seed=2)
    untrained = engine.score(COPY, validation, model.predict)
    result = model.fit(copy_examples(96, seed=1), validation, params, evaluate=evaluate_with(model), primary_metric="rougeL")
    return model, untrained, result


def test_training_on_a_copy_task_improves_rouge_l(trained):
    model, untrained, result = trained

    best = result.epochs[result.best_epoch - 1].validation
    assert best["rougeL"] > untrained["rougeL"]
    assert engine.score(COPY, copy_examples(16, seed=2), model.predict)["rougeL"] == best["rougeL"]
    texts = [p["text"] for p in model.predict(["red river runs", "the doctor signs"])]
    assert len(texts) == 2 and all(isinstance(t, str) for t in texts) and any(texts)


@pytest.mark.parametrize("strategy", ["full", "lora"])
def test_save_and_load_give_identical_predictions(trained, tiny_t5, tmp_path, strategy):
    if strategy == "full":
        model = trained[0]
    else:
        model, params = build(tiny_t5, strategy)
        train(model, params)
    inputs = [e["input"] for e in copy_examples(12, seed=3)]

    model.save(tmp_path / "v1")
    loaded = GenerativeModel.load(COPY, tmp_path / "v1")

    assert (tmp_path / "v1" / ("adapter" if strategy == "lora" else "model.safetensors")).exists()
    assert loaded.meta == model.meta
    assert loaded.predict(inputs) == model.predict(inputs)


def changed_after_one_epoch(tiny_t5: str, strategy: str) -> tuple[set, set]:
    model, params = build(tiny_t5, strategy)
    before = {n: p.detach().clone() for n, p in model.net.named_parameters()}
    train(model, params)
    after = dict(model.net.named_parameters())
    return set(before), {n for n in before if not torch.equal(before[n], after[n])}


def test_full_changes_encoder_and_decoder(tiny_t5):
    names, changed = changed_after_one_epoch(tiny_t5, "full")

    blocks = {n for n in names if n.startswith(("encoder.block.", "decoder.block."))}
    assert "shared.weight" in changed
    assert blocks and blocks <= changed


def test_layerwise_keeps_embeddings_and_bottom_encoder_block_fixed(tiny_t5):
    names, changed = changed_after_one_epoch(tiny_t5, "layerwise")

    frozen = {n for n in names if n == "shared.weight" or n.startswith("encoder.block.0.")}
    trained = {n for n in names if n.startswith(("encoder.block.1.", "decoder.block."))}
    assert "shared.weight" in frozen and not frozen & changed
    assert trained and trained <= changed


def test_feature_keeps_the_whole_encoder_fixed_and_trains_the_decoder(tiny_t5):
    names, changed = changed_after_one_epoch(tiny_t5, "feature")

    encoder = {n for n in names if n == "shared.weight" or n.startswith("encoder.")}
    decoder = {n for n in names if n.startswith("decoder.block.")}
    assert encoder and not encoder & changed
    assert decoder and decoder <= changed


def test_lora_changes_only_adapters(tiny_t5):
    names, changed = changed_after_one_epoch(tiny_t5, "lora")

    adapters = {n for n in names if "lora_" in n}
    assert {n for n in adapters if "lora_B" in n} <= changed
    assert adapters and changed <= adapters


def test_should_stop_cancels_training(tiny_t5):
    model, params = build(tiny_t5, "full")

    with pytest.raises(engine.Cancelled):
        model.fit(copy_examples(8, seed=1), copy_examples(4, seed=2), params, evaluate=evaluate_with(model), primary_metric="rougeL", should_stop=lambda: True)
