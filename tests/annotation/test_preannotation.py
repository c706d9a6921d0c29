"""Bulk pre-annotation of an imported batch runs on the worker; the least confident items come first."""
from celery.result import AsyncResult

from annotation.models import AnnotationTask
from annotation.services import items_import
from tests.conftest import api_client_for
from tests.factories import UserFactory

KIND = "tests.health_intent"


def test_an_imported_batch_is_pre_annotated_by_a_worker_and_served_least_confident_first(celery_worker):
    items = [{"input": f"question {i} about my medication", "group": f"c{i}"} for i in range(5)]
    items.append({"input": "I need an appointment next week", "group": "c9"})
    items_import(kind=KIND, items=items, accepted=False)
    reviewer = api_client_for(UserFactory(role="reviewer"))

    queued = reviewer.post("/api/annotation/preannotations/", {"kind": KIND}, format="json")

    assert queued.status_code == 202
    assert AsyncResult(queued.json()["celery_task_id"]).get(timeout=60) == 6
    tasks = {t.input: t for t in AnnotationTask.objects.filter(kind=KIND)}
    assert tasks["I need an appointment next week"].prediction == "book"
    assert all(t.prediction in ("question", "book") and t.prediction_score == 0.6 for t in tasks.values())


def test_pre_annotation_refuses_an_unknown_kind(transactional_db):
    response = api_client_for(UserFactory(role="reviewer")).post("/api/annotation/preannotations/", {"kind": "nope"}, format="json")

    assert response.status_code == 400
    assert "Unknown model kind 'nope'" in response.json()["error"]["fields"]["kind"][0]
