"""The model runtime over the API: kinds, runs, promotion and rollback, for staff only, with the API's error body."""
import pytest

from suite.ml import selectors, services
from suite.ml.models import AliasMove, TrainingRun
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.ml.support import make_versions

pytestmark = pytest.mark.django_db
KIND = "tests.sentiment"


@pytest.fixture
def staff_api(db):
    return api_client_for(UserFactory(is_staff=True))


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["code"] == code and error["message"]
    return error


# --- who may call it --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [("get", "/api/ml/kinds/"), ("get", f"/api/ml/kinds/{KIND}/"), ("get", "/api/ml/runs/"), ("post", "/api/ml/runs/"),
     ("post", f"/api/ml/kinds/{KIND}/promote/"), ("post", f"/api/ml/kinds/{KIND}/rollback/")],
)
def test_a_patient_gets_403_and_an_anonymous_caller_is_refused(method, path, api_client):
    anonymous = getattr(api_client, method)(path, format="json")
    assert anonymous.status_code in (401, 403) and anonymous.json()["error"]["code"] == "not_authenticated"

    response = getattr(api_client_for(UserFactory(role="patient")), method)(path, {"kind": KIND}, format="json")

    assert_error(response, 403, "permission_denied")
    assert TrainingRun.objects.count() == 0


# --- kinds ------------------------------------------------------------------------------------


def test_kinds_list_the_test_kind_with_its_serving_versions(staff_api, snapshot):
    v1, = make_versions(snapshot, 1)
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")

    kinds = {k["name"]: k for k in staff_api.get("/api/ml/kinds/").json()}

    sentiment = kinds[KIND]
    assert sentiment["task_type"] == "classification" and sentiment["metric"] == "macro_f1"
    assert sentiment["production"]["number"] == 1 and sentiment["production"]["aliases"] == ["production"]
    assert sentiment["candidate"] is None and sentiment["latest_run"] is None
    assert sentiment["version_count"] == 1 and sentiment["snapshot_count"] == 1


def test_a_kind_shows_its_versions_aliases_moves_and_snapshots(staff_api, snapshot):
    v1, v2 = make_versions(snapshot, 1, 2)
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")
    services.alias_move(kind=KIND, alias="candidate", version=v2, reason="gate")

    body = staff_api.get(f"/api/ml/kinds/{KIND}/").json()

    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][0]["aliases"] == ["candidate"] and body["versions"][0]["metrics"]["test"]["macro_f1"] == 0.7
    assert {a["name"]: a["version"] for a in body["aliases"]} == {"production": 1, "candidate": 2}
    assert [(m["alias"], m["from_version"], m["to_version"]) for m in body["alias_moves"]] == [("candidate", None, 2), ("production", None, 1)]
    assert [s["id"] for s in body["snapshots"]] == [snapshot.pk]
    assert body["labels"] == ["positive", "negative"]


@pytest.mark.parametrize(
    "method, path", [("get", "/api/ml/kinds/nope.x/"), ("post", "/api/ml/kinds/nope.x/promote/"), ("post", "/api/ml/kinds/nope.x/rollback/")]
)
def test_an_unknown_kind_is_a_404_with_the_error_body(staff_api, method, path):
    error = assert_error(getattr(staff_api, method)(path, {"version": 1}, format="json"), 404, "not_found")

    assert "Unknown model kind 'nope.x'" in error["message"]


# --- promote and rollback ---------------------------------------------------------------------


def test_promote_then_rollback_move_the_production_alias(staff_api, snapshot):
    v1, v2 = make_versions(snapshot, 1, 2)
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")

    promoted = staff_api.post(f"/api/ml/kinds/{KIND}/promote/", {"version": 2}, format="json")

    assert promoted.status_code == 200
    assert promoted.json()["from_version"] == 1 and promoted.json()["to_version"] == 2 and promoted.json()["reason"] == "promote"
    assert selectors.production_version(kind=KIND) == v2

    rolled = staff_api.post(f"/api/ml/kinds/{KIND}/rollback/", format="json")

    assert rolled.status_code == 200
    assert rolled.json()["to_version"] == 1 and rolled.json()["reason"] == "rollback" and rolled.json()["moved_by"]
    assert selectors.production_version(kind=KIND) == v1


def test_promoting_a_missing_version_and_rolling_back_without_history_are_400s(staff_api, snapshot):
    make_versions(snapshot, 1)

    missing = assert_error(staff_api.post(f"/api/ml/kinds/{KIND}/promote/", {"version": 7}, format="json"), 400, "invalid")
    no_number = assert_error(staff_api.post(f"/api/ml/kinds/{KIND}/promote/", {}, format="json"), 400, "invalid")
    no_history = assert_error(staff_api.post(f"/api/ml/kinds/{KIND}/rollback/", format="json"), 400, "invalid")

    assert "has no version 7" in missing["fields"]["version"][0]
    assert "version" in no_number["fields"]
    assert "nothing earlier to roll back to" in no_history["message"]
    assert AliasMove.objects.count() == 0


# --- runs -------------------------------------------------------------------------------------


def test_starting_a_run_returns_201_with_the_run(staff_api, snapshot):
    response = staff_api.post(
        "/api/ml/runs/",
        {"kind": KIND, "strategy": "feature", "snapshot": snapshot.pk, "hyperparameters": {"epochs": 3, "batch_size": 8}},
        format="json",
    )

    assert response.status_code == 201
    run = TrainingRun.objects.get()
    body = response.json()
    assert body["id"] == run.pk and body["status"] == "queued" and body["is_active"] is True
    assert body["kind"] == KIND and body["strategy"] == "feature" and body["snapshot"] == snapshot.pk
    assert body["hyperparameters"]["epochs"] == 3 and body["hyperparameters"]["batch_size"] == 8
    assert body["epochs"] == [] and body["version"] is None and body["primary_metric"] == "macro_f1"


def test_a_run_without_strategy_or_snapshot_takes_the_kind_default_and_the_latest_snapshot(staff_api, snapshot):
    body = staff_api.post("/api/ml/runs/", {"kind": KIND}, format="json").json()

    assert body["strategy"] == "full" and body["snapshot"] == snapshot.pk


@pytest.mark.parametrize(
    "hyperparameters, field",
    [({"epochs": 0}, "epochs"), ({"learning_rate": 5}, "learning_rate"), ({"momentum": 0.9}, "momentum"), ({"batch_size": "many"}, "batch_size")],
)
def test_bad_hyperparameters_are_a_400_naming_the_field_and_start_no_run(staff_api, snapshot, hyperparameters, field):
    response = staff_api.post("/api/ml/runs/", {"kind": KIND, "strategy": "feature", "hyperparameters": hyperparameters}, format="json")

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]
    assert TrainingRun.objects.count() == 0


def test_an_unknown_kind_or_strategy_in_the_body_is_a_400(staff_api, snapshot):
    kind = assert_error(staff_api.post("/api/ml/runs/", {"kind": "nope.x"}, format="json"), 400, "invalid")
    strategy = assert_error(staff_api.post("/api/ml/runs/", {"kind": KIND, "strategy": "magic"}, format="json"), 400, "invalid")

    assert "Unknown model kind" in kind["fields"]["kind"][0]
    assert "strategy" in strategy["fields"]
    assert TrainingRun.objects.count() == 0


def test_runs_list_newest_first_and_filter_by_kind(staff_api, snapshot):
    first = TrainingRun.objects.create(kind=KIND, snapshot=snapshot, strategy="full", status="failed")
    second = TrainingRun.objects.create(kind=KIND, snapshot=snapshot, strategy="feature", status="succeeded")

    body = staff_api.get("/api/ml/runs/", {"kind": KIND}).json()

    assert body["count"] == 2 and [r["id"] for r in body["results"]] == [second.pk, first.pk]
    assert staff_api.get("/api/ml/runs/", {"kind": "tests.skills"}).json()["count"] == 0
    assert staff_api.get(f"/api/ml/runs/{first.pk}/").json()["status"] == "failed"
    assert_error(staff_api.get(f"/api/ml/runs/{second.pk + 100}/"), 404, "not_found")


def test_cancel_then_restart_through_the_api(staff_api, snapshot):
    run = services.training_run_start(kind=KIND, strategy="feature", hyperparameters={"epochs": 2}, snapshot=snapshot)

    cancelled = staff_api.post(f"/api/ml/runs/{run.pk}/cancel/")
    again = staff_api.post(f"/api/ml/runs/{run.pk}/cancel/")
    restarted = staff_api.post(f"/api/ml/runs/{run.pk}/restart/")

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert "has already cancelled" in assert_error(again, 400, "invalid")["message"]
    assert restarted.status_code == 201
    assert restarted.json()["restarted_from"] == run.pk and restarted.json()["status"] == "queued"
    assert_error(staff_api.post(f"/api/ml/runs/{restarted.json()['id']}/restart/"), 400, "invalid")
