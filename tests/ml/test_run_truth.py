"""Runs report the truth: a live run is never reaped (loading included), a failed run never turns succeeded,
and the run page shows the phases with times and estimates."""
import threading
import time

import pytest

from suite.ml import engine, selectors, services
from suite.ml.models import ModelVersion, TrainingRun
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"
pytestmark = pytest.mark.django_db(transaction=True)
QUICK = {"epochs": 2, "batch_size": 16}


def execute_in_thread(run):
    """Train in a thread of this process, as `manage.py train` does; its own database connection."""
    from django.db import connection

    def target():
        try:
            services.training_run_execute(run_id=run.pk, worker="test thread")
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread


@pytest.fixture
def slow_loading(monkeypatch):
    """Loading the base model takes 3 s (a big encoder on a busy disk): a delay, the real model is still built."""
    real_build = engine.build

    def build(*args, **kwargs):
        time.sleep(3)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(engine, "build", build)


def test_the_reaper_leaves_a_run_that_is_loading_its_base_model_alone(settings, slow_loading):
    settings.ML_HEARTBEAT_INTERVAL = 0.2  # a heartbeat every 0.2 s against a 1 s reaper
    snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="synthetic reviews")
    run = services.training_run_start(kind=KIND, strategy="feature", hyperparameters=QUICK, snapshot=snapshot, enqueue=False)
    thread = execute_in_thread(run)

    reaped, seen_loading = [], False
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        run.refresh_from_db()
        seen_loading |= run.stage == "loading the base model"
        reaped += services.training_runs_reap(kind=KIND, timeout=1)
        time.sleep(0.25)
    thread.join(120)

    run.refresh_from_db()
    assert seen_loading and reaped == []
    assert run.status == "succeeded" and run.error == ""
    assert [p["name"] for p in run.phases][:3] == ["queued", "loading the base model", "training"]


def test_a_run_reaped_while_it_trains_stays_failed_and_writes_no_version(settings, slow_loading):
    settings.ML_HEARTBEAT_INTERVAL = 30  # no heartbeat during the test: the reaper fails it while it loads
    snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="synthetic reviews")
    run = services.training_run_start(kind=KIND, strategy="feature", hyperparameters=QUICK, snapshot=snapshot, enqueue=False)
    thread = execute_in_thread(run)
    while TrainingRun.objects.get(pk=run.pk).stage != "loading the base model":
        time.sleep(0.05)
    time.sleep(1.2)

    assert services.training_runs_reap(kind=KIND, timeout=1) == [run.pk]
    thread.join(120)

    run.refresh_from_db()
    assert run.status == "failed" and "no heartbeat" in run.error
    assert not ModelVersion.objects.filter(kind=KIND).exists() and selectors.production_version(kind=KIND) is None


def test_the_run_page_shows_each_phase_with_its_time_and_a_finished_run_shows_no_error_box(client, settings):
    from tests.factories import UserFactory

    snapshot = services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="synthetic reviews")
    run = services.training_run_start(kind=KIND, strategy="feature", hyperparameters=QUICK, snapshot=snapshot, enqueue=False)
    run = services.training_run_execute(run_id=run.pk)
    client.force_login(UserFactory(is_staff=True))

    body = client.get(f"/models/runs/{run.pk}/").content.decode()
    data = client.get(f"/models/runs/{run.pk}.json").json()

    assert run.status == "succeeded"
    assert [p["name"] for p in data["phases"]] == ["queued", "loading the base model", "training", "scoring the test split", "gate", "done"]
    assert all(p["state"] == "done" for p in data["phases"]) and all(p["seconds"] is not None for p in data["phases"][:-1])
    assert 'id="run-phases"' in body and "loading the base model" in body
    assert 'id="run-error" hidden' in body

    # A second run of the same kind, live in its training phase, shows what is left from its pace so far.
    second = services.training_run_start(kind=KIND, strategy="feature", hyperparameters=QUICK, snapshot=snapshot, enqueue=False)
    started = run.phases[2]["at"]
    TrainingRun.objects.filter(pk=second.pk).update(
        status="running", progress=0.5, stage="epoch 1/2: training",
        phases=[{"name": "queued", "at": started}, {"name": "loading the base model", "at": started}, {"name": "training", "at": started}],
    )
    phases = {p["name"]: p for p in client.get(f"/models/runs/{second.pk}.json").json()["phases"]}
    assert phases["training"]["state"] == "current" and phases["training"]["estimate_seconds"] is not None
    assert phases["scoring the test split"]["state"] == "pending" and phases["scoring the test split"]["estimate_seconds"] is not None
