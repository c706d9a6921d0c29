"""Celery tasks of the annotation app: ids in, one service call."""
from celery import shared_task

from annotation import services

EXPORT_TIME_LIMIT = 3600


@shared_task(
    name="annotation.tasks.export_build", acks_late=True, reject_on_worker_lost=False,
    soft_time_limit=EXPORT_TIME_LIMIT, time_limit=EXPORT_TIME_LIMIT + 60,
)
def export_build(job_id: int) -> str:
    return services.export_job_build(job_id=job_id).status


@shared_task(name="annotation.tasks.preannotate", acks_late=True, soft_time_limit=EXPORT_TIME_LIMIT, time_limit=EXPORT_TIME_LIMIT + 60)
def preannotate(kind: str) -> int:
    return services.preannotation_run(kind=kind)
