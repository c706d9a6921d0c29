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


def heartbeat_write(*, hostname: str, queues: list[str], started: bool = False) -> None:
    """`started` on a worker's first beat: a claim older than its start was made by a process that is gone, even
    when the new one reuses the host name (suite.jobs puts such work back in the queue)."""
    from suite.models import WorkerHeartbeat

    now = timezone.now()
    fields = {"queues": sorted(queues), "pid": os.getpid(), "last_seen": now}
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={**fields, **({"started_at": now} if started else {})},
        create_defaults={**fields, "started_at": now},
    )


def _beat_forever(hostname: str, queues: list[str]) -> None:
    started = True
    while not _stop.is_set():
        try:
            close_old_connections()
            heartbeat_write(hostname=hostname, queues=queues, started=started)
            started = False
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
