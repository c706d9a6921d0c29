"""What /healthz reports: can we reach the database and the broker, and is a worker alive."""
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "up", "vendor": connection.vendor}
    except Exception as exc:
        return {"status": "down", "vendor": connection.vendor, "error": str(exc)}


def _broker() -> dict:
    from suite.celery import app

    transport = app.conf.broker_url.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.HEALTH_BROKER_TIMEOUT)
            if transport.startswith("filesystem"):
                # The filesystem transport "connects" to anything; check the folder it writes to.
                folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
                probe = settings.CELERY_FS_ROOT / ".healthz"
                probe.write_text("ok")
                probe.unlink()
                return {"status": "up", "transport": transport, "folder": folder}
        return {"status": "up", "transport": transport}
    except Exception as exc:
        return {"status": "down", "transport": transport, "error": str(exc)}


def _workers() -> dict:
    from suite.models import WorkerHeartbeat

    try:
        since = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_TTL)
        alive = list(WorkerHeartbeat.objects.filter(last_seen__gte=since))
    except Exception as exc:
        return {"status": "down", "error": str(exc), "workers": []}
    queues = sorted({q for w in alive for q in w.queues})
    return {
        "status": "up" if alive else "down",
        "workers": [
            {"hostname": w.hostname, "queues": w.queues, "last_seen": w.last_seen.isoformat()} for w in alive
        ],
        "queues_served": queues,
        **({} if alive else {"error": f"no worker has checked in within {settings.WORKER_HEARTBEAT_TTL} s"}),
    }


def health_check() -> dict:
    checks = {"database": _database(), "broker": _broker(), "worker": _workers()}
    status = "up" if all(c["status"] == "up" for c in checks.values()) else "down"
    return {"status": status, **checks, "checked_at": timezone.now().isoformat()}
