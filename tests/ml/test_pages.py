"""The staff model pages: kinds, a kind's versions and runs, starting, promoting, rolling back, a run's progress."""
import re
import time

import pytest

from suite.ml import selectors, services
from suite.ml.models import AliasMove, TrainingRun
from tests.factories import UserFactory
from tests.ml.support import make_versions
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True))
    return client


def finished_run(snapshot, **fields) -> TrainingRun:
    epochs = [
        {"epoch": e, "train_loss": 0.7 / e, "validation": {"accuracy": 0.6 + e / 20, "macro_f1": 0.55 + e / 20}, "seconds": 1.5}
        for e in (1, 2, 3)
    ]
    gate = {"metric": "macro_f1", "new": 0.7, "current": 0.5, "against": "the untrained default", "promoted": True,
            "why": "macro_f1 0.7000 beats the untrained default (0.5000) on the same test split"}
    values = dict(
        kind=KIND, snapshot=snapshot, strategy="feature", hyperparameters={"epochs": 3}, status="succeeded", progress=1.0,
        stage="done", epochs=epochs, best_epoch=3, test_metrics={"accuracy": 0.75, "macro_f1": 0.7, "per_label": {}},
        baseline_metrics={"accuracy": 0.5, "macro_f1": 0.5}, gate=gate,
    )
    return TrainingRun.objects.create(**{**values, **fields})


# --- who may see them -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/models/", f"/models/{KIND}/"])
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_a_patient_gets_403_on_every_model_page_and_action(client, snapshot):
    run = finished_run(snapshot)
    client.force_login(UserFactory(role="patient"))

    for path in ("/models/", f"/models/{KIND}/", f"/models/runs/{run.pk}/", f"/models/runs/{run.pk}.json"):
        assert client.get(path).status_code == 403, path
    for path in (f"/models/{KIND}/runs/", f"/models/{KIND}/promote/", f"/models/{KIND}/rollback/",
                 f"/models/runs/{run.pk}/restart/"):
        assert client.post(path, {"epochs": "1", "version": "1"}).status_code == 403, path
    assert TrainingRun.objects.count() == 1


# --- overview and kind page -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overview_lists_the_test_kind_with_its_serving_versions(staff_client, snapshot):
    v1, = make_versions(snapshot, 1, strategy="feature")
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")

    html = staff_client.get("/models/").content.decode()

    row = re.search(rf'<tr data-kind="{re.escape(KIND)}">(.*?)</tr>', html, re.DOTALL).group(1)
    assert f'href="/models/{KIND}/"' in row
    assert "classification" in row and "macro_f1" in row
    assert "v1" in row and "0.6000" in row
    assert "never trained" in row


@pytest.mark.django_db
def test_an_unknown_kind_is_a_404(staff_client):
    assert staff_client.get("/models/nope.nothing/").status_code == 404
    assert staff_client.post("/models/nope.nothing/runs/", {"strategy": "feature"}).status_code == 404
    assert staff_client.post("/models/nope.nothing/rollback/").status_code == 404


@pytest.mark.django_db
def test_the_kind_page_shows_versions_aliases_history_runs_snapshots_and_the_forms(staff_client, snapshot):
    v1, v2 = make_versions(snapshot, 1, 2, strategy="feature")
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")
    services.alias_move(kind=KIND, alias="candidate", version=v2, reason="gate")
    run = finished_run(snapshot)

    response = staff_client.get(f"/models/{KIND}/")

    html = response.content.decode()
    assert response.status_code == 200
    versions = re.search(r'<table id="versions">(.*?)</table>', html, re.DOTALL).group(1)
    assert 'data-version="2"' in versions and "candidate" in versions and "production" in versions
    assert "macro_f1 0.7000" in versions
    assert re.search(r'<table id="alias-history">.*gate.*</table>', html, re.DOTALL)
    assert f'href="/models/runs/{run.pk}/"' in html
    assert f"#{snapshot.pk}" in re.search(r'<table id="snapshots">(.*?)</table>', html, re.DOTALL).group(1)
    for strategy in ("full", "layerwise", "feature", "lora"):
        assert f'<option value="{strategy}"' in html
    for name in ("learning_rate", "batch_size", "epochs", "weight_decay", "warmup_ratio", "max_length", "frozen_layers",
                 "lora_rank", "seed", "patience"):
        assert f'name="{name}"' in html
    assert f'<option value="{snapshot.pk}" selected>' in html
    assert 'id="strategy-defaults"' in html


# --- starting a run ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_start_run_form_with_zero_epochs_shows_the_error_and_creates_no_run(staff_client, snapshot):
    response = staff_client.post(f"/models/{KIND}/runs/", {"strategy": "feature", "snapshot": snapshot.pk, "epochs": "0"})

    assert response.status_code == 400
    field = re.search(r'<p class="field" id="field-epochs">(.*?)</p>', response.content.decode(), re.DOTALL).group(1)
    assert "must be between 1 and 200" in field
    assert 'value="0"' in field
    assert TrainingRun.objects.count() == 0


@pytest.mark.django_db
def test_a_start_run_form_without_any_snapshot_says_to_freeze_one(staff_client):
    response = staff_client.post(f"/models/{KIND}/runs/", {"strategy": "feature"})

    assert response.status_code == 400
    assert "No dataset snapshot exists for tests.sentiment" in response.content.decode()
    assert TrainingRun.objects.count() == 0


@pytest.mark.django_db
def test_a_second_run_while_one_is_active_is_refused_on_the_form(staff_client, snapshot):
    TrainingRun.objects.create(kind=KIND, snapshot=snapshot, strategy="full", status="running")

    response = staff_client.post(f"/models/{KIND}/runs/", {"strategy": "feature", "snapshot": snapshot.pk})

    assert response.status_code == 400
    assert "already queued or running" in response.content.decode()
    assert TrainingRun.objects.count() == 1


@pytest.mark.django_db
def test_a_valid_start_run_form_queues_the_run_with_blank_fields_as_strategy_defaults(staff_client, snapshot):
    response = staff_client.post(
        f"/models/{KIND}/runs/", {"strategy": "feature", "snapshot": snapshot.pk, "epochs": "3", "learning_rate": ""}
    )

    run = TrainingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/models/runs/{run.pk}/"
    assert run.status == "queued" and run.strategy == "feature" and run.snapshot == snapshot
    assert run.hyperparameters["epochs"] == 3
    assert run.hyperparameters["head_learning_rate"] == 1e-2  # the feature strategy's default


# --- promote and rollback ---------------------------------------------------------------------


@pytest.mark.django_db
def test_promote_and_rollback_buttons_move_production(staff_client, snapshot):
    v1, v2 = make_versions(snapshot, 1, 2, strategy="feature")
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")

    response = staff_client.post(f"/models/{KIND}/promote/", {"version": "2"}, follow=True)

    assert selectors.production_version(kind=KIND) == v2
    assert "tests.sentiment now serves v2" in response.content.decode()

    response = staff_client.post(f"/models/{KIND}/rollback/", follow=True)

    assert selectors.production_version(kind=KIND) == v1
    assert "rolled back to v1" in response.content.decode()
    assert list(AliasMove.objects.filter(kind=KIND).values_list("reason", flat=True)) == ["rollback", "promote", "gate"]


@pytest.mark.django_db
def test_promoting_a_missing_version_or_rolling_back_without_history_shows_the_error(staff_client, snapshot):
    make_versions(snapshot, 1, strategy="feature")

    promote = staff_client.post(f"/models/{KIND}/promote/", {"version": "9"})
    rollback = staff_client.post(f"/models/{KIND}/rollback/")

    assert promote.status_code == 400 and "has no version 9" in promote.content.decode()
    assert rollback.status_code == 400 and "nothing earlier to roll back to" in rollback.content.decode()
    assert AliasMove.objects.count() == 0


# --- a run ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_run_page_shows_progress_epochs_plots_metrics_and_the_gate(staff_client, snapshot):
    run = finished_run(snapshot)

    html = staff_client.get(f"/models/runs/{run.pk}/").content.decode()

    assert '<progress id="run-progress" max="100" value="100"' in html
    assert 'id="run-status">succeeded<' in html
    assert run.gate["why"] in html and "Promoted to production" in html
    loss = re.search(r'<svg class="plot" id="plot-loss".*?</svg>', html, re.DOTALL).group(0)
    metric = re.search(r'<svg class="plot" id="plot-metric".*?</svg>', html, re.DOTALL).group(0)
    assert loss.count('<circle class="point') == 3 and metric.count('<circle class="point') == 3
    assert '<circle class="point best"' in metric
    assert len(re.findall(r"<tr[^>]*>\s*<td>\d", re.search(r'<table id="run-epochs">(.*?)</table>', html, re.DOTALL).group(1))) == 3
    results = re.search(r'<table id="run-results">(.*?)</table>', html, re.DOTALL).group(1)
    assert "0.7000" in results and "0.5000" in results
    assert re.search(r'<form[^>]*id="run-cancel"[^>]*hidden', html)
    assert not re.search(r'<form[^>]*id="run-restart"[^>]*hidden', html)


@pytest.mark.django_db
def test_a_failed_run_shows_its_error_and_an_unknown_run_is_a_404(staff_client, snapshot):
    run = finished_run(snapshot, status="failed", error="RuntimeError: out of memory", gate={}, test_metrics={})

    html = staff_client.get(f"/models/runs/{run.pk}/").content.decode()

    assert "RuntimeError: out of memory" in html
    assert re.search(r'<section id="run-outcome"[^>]*hidden', html)
    assert staff_client.get(f"/models/runs/{run.pk + 100}/").status_code == 404


@pytest.mark.django_db
def test_the_run_json_has_what_the_poller_needs(staff_client, snapshot):
    run = finished_run(snapshot)

    body = staff_client.get(f"/models/runs/{run.pk}.json").json()

    assert body == staff_client.get(f"/models/runs/{run.pk}/?format=json").json()
    assert {"id", "kind", "status", "stage", "progress", "is_active", "epochs", "best_epoch", "primary_metric",
            "metric_names", "test_metrics", "baseline_metrics", "gate", "error", "version"} <= set(body)
    assert body["status"] == "succeeded" and body["progress"] == 1.0 and body["is_active"] is False
    assert body["primary_metric"] == "macro_f1" and body["metric_names"] == ["accuracy", "macro_f1"]
    assert [e["epoch"] for e in body["epochs"]] == [1, 2, 3]
    assert set(body["epochs"][0]) == {"epoch", "train_loss", "validation", "seconds"}
    assert body["gate"]["why"] == run.gate["why"]


@pytest.mark.django_db
def test_cancel_stops_a_queued_run_and_restart_queues_a_copy(staff_client, snapshot):
    run = TrainingRun.objects.create(kind=KIND, snapshot=snapshot, strategy="feature", hyperparameters={"epochs": 2})
    html = staff_client.get(f"/models/runs/{run.pk}/").content.decode()
    assert 'data-active="true"' in html and re.search(r'<form[^>]*id="run-restart"[^>]*hidden', html)

    staff_client.post(f"/models/runs/{run.pk}/cancel/")
    run.refresh_from_db()
    assert run.status == "cancelled"

    response = staff_client.post(f"/models/runs/{run.pk}/restart/")
    new = TrainingRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == f"/models/runs/{new.pk}/"
    assert new.restarted_from == run and new.status == "queued" and new.hyperparameters["epochs"] == 2

    again = staff_client.post(f"/models/runs/{run.pk}/cancel/")
    assert again.status_code == 400 and "has already cancelled" in again.content.decode()


# --- a real run through a worker --------------------------------------------------------------


def test_starting_a_run_from_the_page_trains_it_and_the_run_page_shows_the_gate(celery_worker, client):
    services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="test")
    client.force_login(UserFactory(is_staff=True))

    response = client.post(f"/models/{KIND}/runs/", {"strategy": "feature", "epochs": "2"}, follow=True)

    assert response.status_code == 200
    run = TrainingRun.objects.get()
    assert response.redirect_chain == [(f"/models/runs/{run.pk}/", 302)]
    deadline = time.monotonic() + 180
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.3)
        run.refresh_from_db()
    assert run.status == "succeeded", run.error
    html = client.get(f"/models/runs/{run.pk}/").content.decode()
    assert 'id="run-status">succeeded<' in html
    assert 'id="gate-interval"' in html and 'id="gate-golden"' in html and "95% interval" in html
    assert f'{run.gate["interval"]["low"]:.4f}' in html and f'{run.gate["golden"]["tolerance"]:.4f}' in html
    assert re.search(r'<svg class="plot" id="plot-loss".*?</svg>', html, re.DOTALL).group(0).count('<circle class="point') == len(run.epochs) == 2
