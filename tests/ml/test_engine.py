"""The training engine on a tiny BERT: strategies freeze what they should, token windows round-trip."""
import pytest
import torch
from django.conf import settings

from suite.ml import engine
from suite.ml import kinds as K
from suite.ml.engine import data as D
from tests.testkinds.kinds import sentiment_examples

SENTIMENT = K.get_kind("tests.sentiment")
SKILLS = K.get_kind("tests.skills")


def snapshot_of(model):
    return {n: p.detach().clone() for n, p in model.net.named_parameters()}


def train_one_epoch(strategy: str, **hp):
    params = engine.hyperparameters_parse({"epochs": 1, "batch_size": 8, "learning_rate": 1e-2, "head_learning_rate": 1e-2, **hp}, strategy=strategy)
    model = engine.build(SENTIMENT, base=settings.SUITE_ENCODER, strategy=strategy, hp=params)
    before = snapshot_of(model)
    model.fit(sentiment_examples(32), sentiment_examples(8, seed=1), params, evaluate=lambda ex: {"macro_f1": 0.0}, primary_metric="macro_f1")
    after = snapshot_of(model)
    changed = {n for n in before if not torch.equal(before[n], after[n])}
    return before, changed


def test_full_fine_tuning_changes_every_layer_and_the_head():
    before, changed = train_one_epoch("full")

    layers = {n for n in before if ".layer." in n or ".embeddings." in n}
    assert layers and layers <= changed
    assert {"head.weight", "head.bias"} <= changed


def test_layerwise_keeps_embeddings_and_bottom_layers_fixed():
    before, changed = train_one_epoch("layerwise", frozen_layers=1)

    frozen = {n for n in before if ".embeddings." in n or ".layer.0." in n}
    top = {n for n in before if ".layer.1." in n}
    assert frozen and not frozen & changed
    assert top and top <= changed
    assert "head.weight" in changed


def test_feature_strategy_trains_only_the_head():
    before, changed = train_one_epoch("feature")

    assert changed == {"head.weight", "head.bias"}


def test_lora_changes_only_adapters_and_the_head():
    before, changed = train_one_epoch("lora", lora_rank=4)

    adapters = {n for n in before if "lora_" in n}
    assert adapters and {n for n in adapters if "lora_B" in n} <= changed
    assert changed - adapters == {"head.weight", "head.bias"}


def test_a_trained_model_saves_and_loads_with_the_same_predictions(tmp_path):
    for strategy in ("full", "feature", "lora"):
        params = engine.hyperparameters_parse({"epochs": 1, "batch_size": 8}, strategy=strategy)
        model = engine.build(SENTIMENT, base=settings.SUITE_ENCODER, strategy=strategy, hp=params)
        model.fit(sentiment_examples(16), sentiment_examples(4, seed=1), params, evaluate=lambda ex: {}, primary_metric="macro_f1")
        model.save(tmp_path / strategy)
        loaded = type(model).load(SENTIMENT, tmp_path / strategy)

        texts = ["the film was superb today", "the room was grim again"]
        original, reloaded = model.predict(texts), loaded.predict(texts)
        assert [p["label"] for p in original] == [p["label"] for p in reloaded]
        assert [p["score"] for p in original] == pytest.approx([p["score"] for p in reloaded], abs=1e-5)
        assert (tmp_path / strategy / "head.safetensors").exists()
        assert (tmp_path / strategy / "tokenizer.json").exists()


def test_cancelling_stops_training():
    params = engine.hyperparameters_parse({"epochs": 3}, strategy="feature")
    model = engine.build(SENTIMENT, base=settings.SUITE_ENCODER, strategy="feature", hp=params)

    with pytest.raises(engine.Cancelled):
        model.fit(sentiment_examples(16), sentiment_examples(4), params, evaluate=lambda ex: {}, primary_metric="macro_f1", should_stop=lambda: True)


def test_token_windows_tag_spans_and_decode_back_to_the_same_character_spans():
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(settings.SUITE_ENCODER)
    filler = " ".join(["and then we worked on it"] * 12)
    text = f"I know python and machine learning. {filler} Later I used kubernetes daily."
    spans = [[text.index("python"), text.index("python") + 6, "SKILL"],
             [text.index("machine learning"), text.index("machine learning") + 16, "SKILL"],
             [text.index("kubernetes"), text.index("kubernetes") + 10, "SKILL"]]
    windows = D.token_windows(tokenizer, [text], max_length=32, spans=[spans], labels=SKILLS.labels)
    assert len(windows.input_ids) > 1  # the text is longer than one window

    one_hot = []
    for tags in windows.tags:
        probs = torch.zeros(len(tags), 3)
        for i, t in enumerate(tags):
            probs[i, t if t >= 0 else 0] = 1.0
        one_hot.append(probs.numpy())
    decoded = D.spans_from_windows(windows, one_hot, 1, SKILLS.labels)[0]

    assert [s[:3] for s in decoded] == spans
