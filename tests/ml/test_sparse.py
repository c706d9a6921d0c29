"""The sparse strategy: TF-IDF and a linear model per label, thresholds from validation, saved without pickle."""

import json
import random

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from suite.ml import engine, services
from suite.ml import kinds as K
from suite.ml.engine import sparse as S


class Topics(K.ModelKind):  # not registered: the engine takes a kind object, it never looks one up
    name = "tests.topics"
    task_type = K.MULTILABEL
    labels = ("payment", "termination", "never")


CUES = {"payment": ["invoice", "fee", "paid"], "termination": ["terminate", "expiry", "cancel"]}
FILLER = "the parties agree that this section applies to the goods and services described herein".split()


def topic_examples(groups: int, seed: int) -> list[dict]:
    """Groups of short passages; a passage carries a label when one of its cue words is in it."""
    rng = random.Random(seed)
    out = []
    for g in range(groups):
        for i in range(8):
            words = rng.sample(FILLER, 8)
            target = [label for label in CUES if rng.random() < 0.3]
            for label in target:
                words.insert(rng.randrange(len(words)), rng.choice(CUES[label]))
            out.append({"id": f"{g}-{i}", "group": f"doc{g}", "input": " ".join(words), "target": target})
    return out


def trained(hp_values=None):
    hp = engine.hyperparameters_parse(hp_values or {}, strategy="sparse")
    model = engine.build(Topics(), base="", strategy="sparse", hp=hp)
    seen = []
    fit = model.fit(
        topic_examples(30, 0),
        topic_examples(12, 1),
        hp,
        evaluate=lambda ex: {"micro_f1": len(seen)},
        primary_metric="micro_f1",
        on_epoch=seen.append,
    )
    return model, fit, seen


def test_it_learns_the_cues_and_reports_each_c_of_the_grid_as_a_record():
    model, fit, seen = trained()

    assert len(fit.epochs) == len(S.C_FACTORS) + 1 and seen == fit.epochs  # one per C, then each label's best C
    assert {"C"} <= set(fit.epochs[0].validation) and fit.best_epoch == len(fit.epochs)
    out = model.predict(
        ["the fee shall be paid on invoice", "either party may terminate on expiry", "the goods herein"]
    )
    assert out[0]["labels"] == ["payment"] and out[1]["labels"] == ["termination"] and out[2]["labels"] == []
    assert set(out[0]["scores"]) == set(Topics.labels) and out[0]["thresholded"] is True


def test_thresholds_come_from_the_validation_split():
    model, _, _ = trained()
    thresholds = model.meta["thresholds"]

    assert thresholds["payment"]["sure"] and thresholds["payment"]["validation_precision"] >= S.MIN_PRECISION
    # A label neither split ever shows can never be "yes": its scores stay under 0.5.
    assert not thresholds["never"]["sure"]
    assert max(p["scores"]["never"] for p in model.predict(["terminate the fee never"])) < 0.5
    # A different validation split moves the threshold: it is read from validation, not fixed.
    hp = engine.hyperparameters_parse({}, strategy="sparse")
    other = engine.build(Topics(), base="", strategy="sparse", hp=hp)
    noisy = [dict(e, target=[]) if i % 3 else e for i, e in enumerate(topic_examples(12, 1))]
    other.fit(topic_examples(30, 0), noisy, hp, evaluate=lambda ex: {}, primary_metric="micro_f1")
    assert other.meta["thresholds"]["payment"]["threshold"] != thresholds["payment"]["threshold"]


def test_a_saved_model_loads_and_predicts_identically_without_pickle(tmp_path):
    model, _, _ = trained()
    model.save(tmp_path / "v1")

    meta = json.loads((tmp_path / "v1" / "fineloop.json").read_text())
    assert meta["task_type"] == "multilabel" and meta["strategy"] == "sparse"
    with np.load(tmp_path / "v1" / "weights.npz", allow_pickle=False) as weights:  # no object arrays in it
        assert weights["coef"].shape == (3, len(json.loads((tmp_path / "v1" / "vocabulary.json").read_text())))
    loaded = engine.load_folder(tmp_path / "v1")
    texts = ["the fee shall be paid on invoice", "either party may cancel", "nothing"]
    for a, b in zip(model.predict(texts), loaded.predict(texts)):
        assert a["labels"] == b["labels"]
        assert [a["scores"][label] for label in Topics.labels] == pytest.approx(
            [b["scores"][label] for label in Topics.labels], abs=1e-6
        )


def test_a_classification_kind_trains_too():
    sentiment = K.get_kind("tests.sentiment")
    from tests.testkinds.kinds import sentiment_examples

    hp = engine.hyperparameters_parse({}, strategy="sparse")
    model = engine.build(sentiment, base="", strategy="sparse", hp=hp)
    model.fit(
        sentiment_examples(80),
        sentiment_examples(20, seed=1),
        hp,
        evaluate=lambda ex: {"macro_f1": 0.5},
        primary_metric="macro_f1",
    )
    scored = engine.score(sentiment, sentiment_examples(20, seed=2), model.predict)
    assert scored["macro_f1"] > 0.8


def test_cancelling_stops_training():
    hp = engine.hyperparameters_parse({}, strategy="sparse")
    model = engine.build(Topics(), base="", strategy="sparse", hp=hp)
    with pytest.raises(engine.Cancelled):
        model.fit(
            topic_examples(5, 0),
            topic_examples(2, 1),
            hp,
            evaluate=lambda ex: {},
            primary_metric="micro_f1",
            should_stop=lambda: True,
        )


@pytest.mark.django_db
def test_a_run_refuses_the_sparse_strategy_for_a_token_kind():
    with pytest.raises(ValidationError) as refused:
        services.training_run_start(kind="tests.skills", strategy="sparse", enqueue=False)
    assert "sparse" in str(refused.value) and "token_classification" in str(refused.value)
