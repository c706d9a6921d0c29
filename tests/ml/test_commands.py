"""`manage.py train` and `manage.py models`, as an operator runs them."""
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from suite.ml import selectors
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"
pytestmark = pytest.mark.django_db(transaction=True)


def write_examples(path, examples):
    path.write_text("\n".join(json.dumps(e) for e in examples))
    return path


def run_command(*args) -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_train_prints_real_metrics_and_the_gate_decision_as_json(tmp_path):
    examples = write_examples(tmp_path / "reviews.jsonl", sentiment_examples())

    report = json.loads(run_command("train", KIND, "--examples", str(examples), "--strategy", "feature", "--epochs", "20", "--json"))

    assert report["status"] == "succeeded"
    assert report["version"] == 1
    assert set(report["metrics"]) == {"validation", "test"}
    assert 0.0 <= report["metrics"]["test"]["macro_f1"] <= 1.0
    interval, golden = report["gate"]["interval"], report["gate"]["golden"]
    assert interval["low"] <= interval["difference"] <= interval["high"] and interval["resamples"] > 0
    assert interval["passed"] == (interval["low"] > interval["margin"])
    assert golden["examples"] > 0 and golden["passed"] == (golden["regression"] <= golden["tolerance"])
    assert report["promoted"] == (interval["passed"] and golden["passed"])
    assert "on the same test split" in report["why"]
    assert len(report["epochs"]) >= 1


def test_train_prints_a_readable_report(tmp_path):
    examples = write_examples(tmp_path / "reviews.jsonl", sentiment_examples())

    out = run_command("train", KIND, "--examples", str(examples), "--strategy", "feature", "--epochs", "3")

    assert "epoch 1: train loss" in out
    assert "test: accuracy" in out
    assert "gate: " in out and "95% interval" in out and "golden set" in out


def test_train_refuses_bad_input_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="Unknown model kind 'nope'"):
        run_command("train", "nope")
    with pytest.raises(CommandError, match="No dataset snapshot"):
        run_command("train", KIND)
    with pytest.raises(CommandError, match="epochs: must be between"):
        run_command("train", KIND, "--examples", str(write_examples(tmp_path / "e.jsonl", sentiment_examples())), "--epochs", "0")
    (tmp_path / "broken.jsonl").write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read examples"):
        run_command("train", KIND, "--examples", str(tmp_path / "broken.jsonl"))


def test_train_async_queues_the_run(tmp_path):
    examples = write_examples(tmp_path / "reviews.jsonl", sentiment_examples())

    queued = json.loads(run_command("train", KIND, "--examples", str(examples), "--async", "--json"))

    assert queued["status"] == "queued" and queued["kind"] == KIND


def test_models_list_promote_and_rollback(tmp_path):
    examples = write_examples(tmp_path / "reviews.jsonl", sentiment_examples())
    run_command("train", KIND, "--examples", str(examples), "--strategy", "feature", "--epochs", "2", "--json")
    run_command("train", KIND, "--strategy", "feature", "--epochs", "1", "--lr", "1e-7", "--json")

    listing = json.loads(run_command("models", "list", "--json"))
    assert KIND in [k["kind"] for k in listing["kinds"]]
    versions = json.loads(run_command("models", "list", KIND, "--json"))["versions"]
    assert sorted(v["version"] for v in versions) == [1, 2]

    production = selectors.production_version(kind=KIND)
    if production is None or production.number != 1:
        run_command("models", "promote", KIND, "1", "--force", "--reason", "test setup")
    promoted = json.loads(run_command("models", "promote", KIND, "2", "--force", "--reason", "compare", "--json"))
    assert (promoted["production"], promoted["previous"]) == (2, 1)
    rolled = json.loads(run_command("models", "rollback", KIND, "--json"))
    assert rolled["production"] == 1
    assert selectors.production_version(kind=KIND).number == 1

    with pytest.raises(CommandError, match="has no version 9"):
        run_command("models", "promote", KIND, "9")
