from datetime import timedelta

from django.utils import timezone

import pytest

from suite.models import WorkerHeartbeat
from tests.factories import UserFactory


@pytest.fixture
def client(client, transactional_db):
    """Staff: anonymous callers get up or down only (tests/suite/test_hardening.py), staff the details."""
    client.force_login(UserFactory(is_staff=True))
    return client


def test_healthz_reports_database_broker_and_live_worker(client, celery_worker):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "up"
    assert body["database"]["status"] == "up"
    assert body["broker"]["status"] == "up"
    assert body["worker"]["status"] == "up"
    assert celery_worker.name in [w["hostname"] for w in body["worker"]["workers"]]
    assert set(body["worker"]["queues_served"]) == {"default", "inference", "training", "gpu"}


def test_healthz_is_503_once_the_worker_stops(client, celery_worker):
    assert client.get("/healthz").status_code == 200

    celery_worker.stop()
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["worker"]["status"] == "down"
    assert "no worker" in body["worker"]["error"]
    assert body["database"]["status"] == "up"


def test_a_heartbeat_older_than_a_minute_does_not_count(client, transactional_db, celery_worker_process):
    celery_worker_process.stop()
    WorkerHeartbeat.objects.create(
        hostname="gone@somewhere", queues=["default"], started_at=timezone.now() - timedelta(hours=1),
        last_seen=timezone.now() - timedelta(seconds=61),
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"]["workers"] == []
