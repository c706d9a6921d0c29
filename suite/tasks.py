import socket

from celery import shared_task
from django.utils import timezone


@shared_task(bind=True, name="suite.tasks.worker_ping")
def worker_ping(self, token: str) -> dict:
    """Answer with which worker ran the task, from which queue, and when: the broker-to-worker path end to end."""
    return {
        "token": token,
        "worker": self.request.hostname or socket.gethostname(),
        "queue": (self.request.delivery_info or {}).get("routing_key"),
        "answered_at": timezone.now().isoformat(),
    }


@shared_task(name="suite.tasks.jobs_sweep")
def jobs_sweep() -> dict:
    """Beat: put work whose worker died back in the queue (or fail it past its attempts), on every broker."""
    from suite import jobs

    return jobs.sweep_all()
