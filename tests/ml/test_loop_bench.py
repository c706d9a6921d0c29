"""The loop benchmark's path on a tiny model: flags, the queue, answers, accepts, runs and the gate, both orders.

bench/loop.py measures the real encoder on public data; here a tiny BERT and synthetic patient messages prove
that each step of the benchmark goes through the product (and that its encoder cache changes no number), not how
well it learns.
"""

import importlib.util
import random
from pathlib import Path

import pytest

from suite.ml import uncertainty

ROOT = Path(__file__).resolve().parent.parent.parent
KIND = "tests.health_intent"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_loop", ROOT / "bench" / "loop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    asks = ("what dose of {} is safe", "can I take {} with food", "does {} cause drowsiness", "is {} safe in pregnancy")
    books = (
        "please find me a slot about my {}",
        "I need to see someone about {} next week",
        "get me in for {} on friday",
    )
    things = ("ibuprofen", "my knee", "the rash", "paracetamol", "my back", "insulin", "a cough", "my eyes")
    out = []
    for i in range(n):
        label = "question" if i % 2 else "book"
        text = rng.choice(asks if label == "question" else books).format(rng.choice(things)) + f" ({seed}-{i})"
        out.append({"id": f"m{seed}-{i}", "group": f"m{seed}-{i}", "input": text, "target": label})
    return out


@pytest.mark.django_db(transaction=True)
def test_both_orders_go_through_flag_task_answer_accept_snapshot_run_and_gate_and_report_the_held_out_metric(
    tmp_path, settings
):
    from annotation.models import Annotation, AnnotationTask, Flag
    from annotation.services import queue_confidence
    from suite.ml import kinds as K
    from suite.ml.models import ModelOutput, ModelVersion

    settings.ANNOTATION_UNCERTAINTY, settings.ANNOTATION_QUEUE_DIVERSITY = "entropy", False
    loop = _bench()
    kind = K.get_kind(KIND)
    pool, held_out = _messages(24, seed=1), _messages(10, seed=2)
    out = {"rows": [], "file": str(tmp_path / "loop-test.json")}
    hp = {"epochs": 2, "batch_size": 4}

    loop.arm(kind, pool, held_out, steps=[8, 16], every=8, order="active", hp=hp, out=out)
    active = [r for r in out["rows"] if r["order"] == "active"]
    assert [r["corrections"] for r in active] == [8, 16]
    # Every pool item was served, recorded and flagged once; the corrections are reviewed answers.
    assert ModelOutput.objects.filter(kind=KIND).count() == Flag.objects.count() == 24
    assert Annotation.objects.filter(status="accepted").count() == 16
    # The newest trained version re-scored the queue: what is left is ordered by that version's confidence.
    newest = ModelVersion.objects.filter(kind=KIND).order_by("-number").first()
    left = list(AnnotationTask.objects.filter(kind=KIND, status="open"))
    assert len(left) == 8
    expected = [queue_confidence(p, p.get("score")) for p in kind.predict_with([t.input for t in left], newest)]
    assert [t.prediction_score for t in left] == pytest.approx(expected)

    loop.arm(kind, pool, held_out, steps=[8, 16], every=8, order="random", hp=hp, out=out)
    rows = out["rows"]
    assert [(r["order"], r["corrections"]) for r in rows] == [
        ("active", 8),
        ("active", 16),
        ("random", 8),
        ("random", 16),
    ]
    for row in rows:
        assert row["status"] == "succeeded"
        assert (
            set(row["snapshot"]) == {"train", "validation", "test"}
            and sum(row["snapshot"].values()) == row["corrections"]
        )
        assert row["promoted"] == (
            row["interval"]["low"] > 0 and row["golden"]["passed"]
        )  # the gate's two checks decide
        assert row["held_out"]["n"] == len(held_out) and 0 <= row["held_out"]["accuracy"] <= 1
    assert Path(out["file"]).exists()
    # The held-out records were never flagged, answered or trained on.
    assert not ModelOutput.objects.filter(input__in=[r["input"] for r in held_out]).exists()


@pytest.mark.django_db(transaction=True)
def test_the_frozen_encoder_cache_gives_the_predictions_the_encoder_gives(tmp_path):
    from suite.ml import engine
    from suite.ml import kinds as K
    from suite.ml.engine import hyperparameters_parse
    from suite.ml.services import base_model_path

    loop = _bench()
    kind = K.get_kind(KIND)
    hp = hyperparameters_parse({"epochs": 1}, strategy="feature")
    model = engine.build(kind, base=base_model_path(kind), strategy="feature", hp=hp)
    texts = [m["input"] for m in _messages(12, seed=3)]
    plain = model.predict(texts)
    restore = loop.cache_frozen_encoder(tmp_path / "features.pt")
    try:
        first, again = model.predict(texts), model.predict(list(reversed(texts)))[::-1]  # other batches, other padding
        loop.save_features()
        assert (tmp_path / "features.pt").exists()
    finally:
        restore()
    for a, b, c in zip(plain, first, again):
        assert a["label"] == b["label"] == c["label"]
        assert b["scores"] == pytest.approx(a["scores"], abs=1e-5) and c["scores"] == pytest.approx(
            a["scores"], abs=1e-5
        )


def test_span_uncertainty_reads_only_spans_with_a_probability_and_averages_them():
    # A span without a probability says nothing; a span at 0.5 is as unsure as can be, one at 0.99 nearly sure.
    unsure = {"spans": [[0, 4, "Name"], [5, 9, "Skill", 0.5]]}
    mostly_sure = {"spans": [[0, 4, "Name"], [5, 9, "Skill", 0.5], [10, 12, "Skill", 0.99], [13, 15, "Skill", 0.99]]}
    assert uncertainty.uncertainty(unsure, "entropy") == pytest.approx(1.0)
    assert uncertainty.uncertainty(mostly_sure, "entropy") < uncertainty.uncertainty(unsure, "entropy")
    assert (
        uncertainty.uncertainty({"spans": [[0, 4, "Name"]]}, "entropy") is None
    )  # no probability anywhere: nothing to judge


def test_multilabel_uncertainty_ranks_a_passage_with_more_unsettled_labels_first():
    one_unsettled = {"labels": [], "scores": {"a": 0.5, "b": 0.01, "c": 0.01, "d": 0.01}}
    three_unsettled = {"labels": [], "scores": {"a": 0.5, "b": 0.4, "c": 0.6, "d": 0.01}}
    for strategy in uncertainty.STRATEGIES:
        assert uncertainty.uncertainty(three_unsettled, strategy) > uncertainty.uncertainty(one_unsettled, strategy)
