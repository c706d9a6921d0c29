"""The scaled-out deployment: PostgreSQL and Redis, chosen by environment alone (`make test-integration`).

The whole suite runs again in that mode; these tests prove it really is PostgreSQL and Redis underneath.
"""
import os
import uuid

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from suite.celery import app
from suite.models import WorkerHeartbeat
from suite.tasks import worker_ping
from tests.factories import ConversationFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.environ.get("FINELOOP_INTEGRATION") != "1", reason="runs in `make test-integration`"),
]


@pytest.mark.django_db
def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


@pytest.mark.django_db
def test_models_keep_their_constraints_on_postgresql():
    now = timezone.now()
    WorkerHeartbeat.objects.create(hostname="w1", started_at=now, last_seen=now)

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkerHeartbeat.objects.create(hostname="w1", started_at=now, last_seen=now)

    conversation = ConversationFactory()
    assert conversation.owner.conversations.get().pk == conversation.pk


def test_the_broker_is_redis():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.transport.driver_type == "redis"


def test_task_round_trip_through_redis(celery_worker):
    token = uuid.uuid4().hex

    answer = worker_ping.apply_async(args=[token], queue="training").get(timeout=30)

    assert (answer["token"], answer["queue"], answer["worker"]) == (token, "training", celery_worker.name)


def test_healthz_reports_postgresql_and_redis(client, celery_worker):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))  # anonymous callers get up or down only
    body = client.get("/healthz").json()

    assert body["database"]["vendor"] == "postgresql"
    assert body["broker"]["transport"] == "redis"
    assert body["status"] == "up"
