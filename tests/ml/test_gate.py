"""The gate's statistics: a paired bootstrap interval of the improvement and a golden set that refuses regressions.

The predictors here are plain functions over the kind's real examples (an oracle that knows the answers, the
rule-based default, and copies of it with chosen answers flipped), so each case's truth is known exactly.
"""
import pytest
from django.core.exceptions import ValidationError

from suite.ml import gate as G
from suite.ml import kinds as K
from suite.ml import selectors, services
from suite.ml.models import GoldenSet
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"
pytestmark = pytest.mark.django_db


def answers(examples, *, wrong=()):
    """A predictor that gives each example's true label, except for the inputs in `wrong`."""
    truth = {e["input"]: e["target"] for e in examples}
    flip = {"positive": "negative", "negative": "positive"}

    def predict(inputs):
        return [{"label": flip[truth[x]] if x in wrong else truth[x], "score": 1.0} for x in inputs]

    return predict


@pytest.fixture
def test_split():
    snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(400), origin="synthetic reviews")
    return snapshot, selectors.snapshot_examples(snapshot=snapshot)["test"]


def test_a_clear_gain_clears_the_interval(test_split):
    _, test = test_split
    kind = K.get_kind(KIND)

    result = G.paired_bootstrap(kind, G.Predictions(kind, test, answers(test)), G.Predictions(kind, test, kind.default_predict))

    assert result["passed"] and result["low"] > 0 and result["low"] <= result["difference"] <= result["high"]
    assert result["resamples"] == kind.gate_resamples and result["groups"] > 10


def test_a_gain_of_one_example_is_noise_and_the_interval_refuses_it(test_split):
    _, test = test_split
    kind = K.get_kind(KIND)
    inputs = [e["input"] for e in test]
    current = answers(test, wrong=set(inputs[:4]))
    new = answers(test, wrong=set(inputs[1:4]))  # right on exactly one more example

    result = G.paired_bootstrap(kind, G.Predictions(kind, test, new), G.Predictions(kind, test, current))

    assert result["difference"] > 0 and result["low"] <= 0 < result["high"]
    assert not result["passed"] and "does not clear" in result["why"]


def test_a_kind_margin_refuses_a_real_but_small_gain(test_split):
    _, test = test_split
    kind = K.get_kind(KIND)
    inputs = [e["input"] for e in test]
    current, new = answers(test, wrong=set(inputs[:12])), answers(test)

    plain = G.paired_bootstrap(kind, G.Predictions(kind, test, new), G.Predictions(kind, test, current))
    demanding = G.paired_bootstrap(kind, G.Predictions(kind, test, new), G.Predictions(kind, test, current), margin=0.5)

    assert plain["passed"] and not demanding["passed"] and demanding["margin"] == 0.5


def test_the_gate_refuses_a_candidate_that_regresses_on_the_golden_set_even_when_the_test_split_improves(test_split):
    snapshot, test = test_split
    kind = K.get_kind(KIND)
    golden = services.golden_set_for(kind=KIND, snapshot=snapshot).examples
    worse_on_golden = answers(test + golden, wrong={e["input"] for e in golden[: len(golden) // 3]})

    gate = services.gate_decide(
        kind=kind, new=G.Predictions(kind, test, answers(test)), current=G.Predictions(kind, test, kind.default_predict),
        current_version=None, golden_new=G.Predictions(kind, golden, worse_on_golden),
        golden_current=G.Predictions(kind, golden, answers(golden)),
    )

    assert gate["interval"]["passed"] and not gate["golden"]["passed"] and not gate["promoted"]
    assert gate["golden"]["regression"] > gate["golden"]["tolerance"] == kind.golden_tolerance
    assert "beyond the tolerance" in gate["why"]


def test_the_golden_set_is_frozen_from_the_first_snapshot_and_grows_only(test_split):
    snapshot, test = test_split
    golden = services.golden_set_for(kind=KIND, snapshot=snapshot)
    later = services.snapshot_create(kind=KIND, examples=sentiment_examples(100, seed=5), origin="later")

    assert golden.frozen_from == snapshot and len(golden.examples) == len(test)
    assert services.golden_set_for(kind=KIND, snapshot=later).pk == golden.pk  # not re-frozen from a later snapshot
    with pytest.raises(ValidationError, match="only grows"):
        services.golden_set_freeze(kind=KIND, snapshot=later)

    grown = services.golden_set_add(kind=KIND, examples=[{"input": "the museum was grim today", "target": "negative"}])
    again = services.golden_set_add(kind=KIND, examples=[{"input": "the museum was grim today", "target": "negative"}])

    assert len(grown.examples) == len(test) + 1 == len(again.examples)


def test_a_golden_set_with_no_examples_is_a_clear_message_and_nothing_is_written():
    with pytest.raises(ValidationError, match="No examples given"):
        services.golden_set_add(kind=KIND, examples=[])
    with pytest.raises(ValidationError, match="not one of"):
        services.golden_set_add(kind=KIND, examples=[{"input": "x", "target": "meh"}])
    assert not GoldenSet.objects.exists()

    kind = K.get_kind(KIND)
    test = sentiment_examples(40)
    gate = services.gate_decide(
        kind=kind, new=G.Predictions(kind, test, answers(test)), current=G.Predictions(kind, test, kind.default_predict),
        current_version=None,
    )
    assert not gate["promoted"] and "has no examples" in gate["golden"]["why"]
