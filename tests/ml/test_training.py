"""Training end to end through a real worker: snapshot -> run -> version -> gate -> alias, and what refuses."""
import time

import pytest
from django.core.exceptions import ValidationError

from suite.ml import kinds as K
from suite.ml import selectors, services
from suite.ml.models import AliasMove, ModelAlias, TrainingRun
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"
GOOD = {"learning_rate": 5e-3, "head_learning_rate": 1e-2, "epochs": 6, "batch_size": 16, "patience": 3}
WORSE = {"learning_rate": 1e-7, "head_learning_rate": 1e-7, "epochs": 1}


def wait_until(run: TrainingRun, done, timeout: float = 180) -> TrainingRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if done(run):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run #{run.pk} stuck in {run.status} at {run.progress:.0%} ({run.stage})")


def finished(run):
    return wait_until(run, lambda r: not r.is_active)


def test_a_kind_trains_end_to_end_and_only_a_better_model_reaches_production(celery_worker):
    # 400 reviews: a test split large enough for the gate's 95% interval to tell a real gain from noise
    snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(400), origin="synthetic reviews")

    first = finished(services.training_run_start(kind=KIND, strategy="full", hyperparameters=GOOD, snapshot=snapshot))

    assert first.status == "succeeded", first.error
    assert first.worker == celery_worker.name and first.celery_task_id
    assert first.progress == 1.0 and first.best_epoch is not None
    assert [e["epoch"] for e in first.epochs] == list(range(1, len(first.epochs) + 1))
    assert all("macro_f1" in e["validation"] and e["train_loss"] > 0 for e in first.epochs)
    v1 = first.version
    assert first.gate["promoted"] and first.gate["against"] == "the untrained default", first.gate["why"]
    assert first.test_metrics["macro_f1"] > first.baseline_metrics["macro_f1"]
    assert selectors.production_version(kind=KIND) == v1
    for name in ("model.safetensors", "head.safetensors", "config.json", "tokenizer.json", "metrics.json", "fineloop.json"):
        assert (v1.artifact_path / name).exists(), name
    assert v1.snapshot_hash == snapshot.content_hash and v1.parent is None

    second = finished(services.training_run_start(kind=KIND, strategy="feature", hyperparameters=WORSE, snapshot=snapshot))

    assert second.status == "succeeded", second.error
    assert not second.gate["promoted"]
    assert second.gate["current"] == pytest.approx(first.test_metrics["macro_f1"])  # production, re-scored on the same split
    assert second.gate["against"] == "production v1"
    v2 = second.version
    assert v2.parent == v1
    assert selectors.production_version(kind=KIND) == v1
    assert selectors.alias_version(kind=KIND, alias=ModelAlias.Name.CANDIDATE) == v2

    with pytest.raises(ValidationError, match="confirm the promotion"):
        services.version_promote(kind=KIND, number=2)  # it scored lower than v1 on its own test split
    services.version_promote(kind=KIND, number=2, force=True, reason="compare in service")
    assert selectors.production_version(kind=KIND) == v2
    services.version_rollback(kind=KIND)
    assert selectors.production_version(kind=KIND) == v1
    reasons = list(AliasMove.objects.filter(kind=KIND, alias="production").values_list("reason", flat=True))
    assert reasons == ["rollback", "promote", "gate"]

    assert K.get_kind(KIND).predict(["the concert was superb overall"])[0]["label"] == "positive"


def test_a_worker_killed_during_a_run_leaves_a_failed_run_and_the_next_one_starts(celery_worker):
    snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="synthetic reviews")
    long_run = services.training_run_start(
        kind=KIND, strategy="full", hyperparameters={**GOOD, "epochs": 200, "patience": 50}, snapshot=snapshot
    )
    wait_until(long_run, lambda r: r.status == "running" and r.progress > 0)

    celery_worker.kill()
    time.sleep(2)
    reaped = services.training_runs_reap(kind=KIND, timeout=1)

    long_run.refresh_from_db()
    assert reaped == [long_run.pk]
    assert long_run.status == "failed"
    assert "no heartbeat" in long_run.error
    celery_worker.start()
    retry = finished(services.training_run_start(kind=KIND, strategy="feature", hyperparameters={"epochs": 2}, snapshot=snapshot))
    assert retry.status == "succeeded", retry.error
    assert services.training_run_restart(run=long_run).restarted_from == long_run


@pytest.mark.django_db
class TestRefusals:
    """Bad requests are refused with a clear message before any run exists."""

    def test_an_unknown_kind(self):
        with pytest.raises(K.UnknownKind, match="Unknown model kind 'nope'"):
            services.training_run_start(kind="nope")
        assert TrainingRun.objects.count() == 0

    def test_an_empty_dataset(self):
        with pytest.raises(ValidationError, match="empty"):
            services.snapshot_create(kind=KIND, examples=[], origin="test")

    def test_a_one_class_dataset(self):
        examples = [e for e in sentiment_examples() if e["target"] == "positive"]
        with pytest.raises(ValidationError, match="at least two classes"):
            services.snapshot_create(kind=KIND, examples=examples, origin="test")

    def test_a_dataset_too_small_to_split(self):
        examples = [{**e, "group": "doc-a" if i % 2 else "doc-b"} for i, e in enumerate(sentiment_examples(8))]
        with pytest.raises(ValidationError, match="too small to split"):
            services.snapshot_create(kind=KIND, examples=examples, origin="test")

    def test_labels_the_kind_does_not_know(self):
        with pytest.raises(ValidationError, match="not one of"):
            services.snapshot_create(kind=KIND, examples=[{"input": "x", "target": "meh"}], origin="test")

    def test_no_snapshot_yet(self):
        with pytest.raises(ValidationError, match="No dataset snapshot"):
            services.training_run_start(kind=KIND)

    @pytest.mark.parametrize(
        "hp, field",
        [({"learning_rate": 5}, "learning_rate"), ({"epochs": 0}, "epochs"), ({"batch_size": "many"}, "batch_size"),
         ({"momentum": 0.9}, "momentum"), ({"epochs": 2.5}, "epochs")],
    )
    def test_hyperparameters_out_of_range(self, hp, field):
        snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="test")
        with pytest.raises(ValidationError) as exc:
            services.training_run_start(kind=KIND, snapshot=snapshot, hyperparameters=hp)
        assert field in exc.value.message_dict
        assert TrainingRun.objects.count() == 0

    def test_an_unknown_strategy(self):
        snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="test")
        with pytest.raises(ValidationError, match="must be one of"):
            services.training_run_start(kind=KIND, snapshot=snapshot, strategy="magic")

    def test_a_second_run_while_one_runs(self):
        snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="test")
        TrainingRun.objects.create(kind=KIND, snapshot=snapshot, strategy="full", status="running")
        with pytest.raises(ValidationError, match="already queued or running"):
            services.training_run_start(kind=KIND, snapshot=snapshot)
        assert TrainingRun.objects.count() == 1


@pytest.mark.django_db
def test_snapshots_drop_duplicates_hash_content_and_keep_groups_whole():
    examples = sentiment_examples()
    snapshot = services.snapshot_create(kind=KIND, examples=examples + examples[:10], origin="test")
    again = services.snapshot_create(kind=KIND, examples=examples, origin="test")

    assert snapshot.size == len({(e["input"], e["target"]) for e in examples})
    assert snapshot.content_hash == again.content_hash
    data = selectors.snapshot_examples(snapshot=snapshot)
    groups = {split: {e["group"] for e in rows} for split, rows in data.items()}
    assert not groups["train"] & groups["test"] and not groups["train"] & groups["validation"]
    assert not groups["validation"] & groups["test"]
    assert all(len(rows) for rows in data.values())


def test_a_generative_kind_trains_on_the_gpu_queue_and_is_gated(celery_worker):
    from tests.tiny_models import sentences

    rows = sentences(90, seed=3, words=(2, 4))
    examples = [{"id": str(i), "group": str(i), "input": s, "target": s} for i, s in enumerate(rows)]
    snapshot = services.snapshot_create(kind="tests.copy", examples=examples, origin="copy task")

    run = finished(services.training_run_start(
        kind="tests.copy", strategy="full", snapshot=snapshot,
        hyperparameters={"epochs": 6, "learning_rate": 1e-2, "batch_size": 8, "max_length": 16},
    ))

    assert run.status == "succeeded", run.error
    from celery.result import AsyncResult

    # the run row is saved before the task returns; wait for the worker's own result
    assert AsyncResult(run.celery_task_id).get(timeout=30) == "succeeded"
    assert run.gate["metric"] == "rougeL" and run.gate["against"] == "the untrained default"
    assert run.test_metrics["rougeL"] > run.baseline_metrics["rougeL"] == 0.0
    # 9 test items: the gate promotes only when the interval of the gain clears zero, which so few may not show
    interval, golden = run.gate["interval"], run.gate["golden"]
    assert interval["difference"] == pytest.approx(run.test_metrics["rougeL"], abs=1e-5)
    assert interval["low"] <= interval["difference"] <= interval["high"]
    assert run.gate["promoted"] == (interval["low"] > 0 and golden["passed"])
    assert (run.version.artifact_path / "model.safetensors").exists()


@pytest.mark.django_db
def test_a_generative_kind_needs_a_configured_generator(settings):
    settings.SUITE_GENERATOR = ""
    with pytest.raises(ValidationError, match="SUITE_GENERATOR"):
        services.training_run_start(kind="tests.copy")
