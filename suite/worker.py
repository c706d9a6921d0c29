"""Worker heartbeats: a running worker writes a row every WORKER_HEARTBEAT_INTERVAL seconds."""
import logging
import os
import threading

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)
_stop = threading.Event()


def heartbeat_write(*, hostname: str, queues: list[str]) -> None:
    from suite.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname,
        defaults={"queues": sorted(queues), "pid": os.getpid(), "last_seen": now},
        create_defaults={"queues": sorted(queues), "pid": os.getpid(), "last_seen": now, "started_at": now},
    )


def _beat_forever(hostname: str, queues: list[str]) -> None:
    while not _stop.is_set():
        try:
            close_old_connections()
            heartbeat_write(hostname=hostname, queues=queues)
        except Exception:  # a missed beat only makes /healthz report the worker late, never kills it
            logger.exception("worker heartbeat failed")
        finally:
            connection.close()
        _stop.wait(settings.WORKER_HEARTBEAT_INTERVAL)


@worker_ready.connect
def _start_heartbeat(sender=None, **kwargs):
    consumer = sender
    hostname = consumer.hostname
    queues = [q.name for q in consumer.task_consumer.queues] if consumer.task_consumer else []
    _stop.clear()
    threading.Thread(target=_beat_forever, args=(hostname, queues), name="fineloop-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_heartbeat(sender=None, **kwargs):
    from suite.models import WorkerHeartbeat

    _stop.set()
    try:
        WorkerHeartbeat.objects.filter(hostname=getattr(sender, "hostname", "")).delete()
    except Exception:
        logger.exception("could not remove the heartbeat of a stopping worker")
