"""Celery tasks of the annotation app: ids in, one service call."""
from celery import shared_task

from annotation.models import EXPORT_TIME_LIMIT
from annotation.services import exports, preannotation


@shared_task(
    name="annotation.tasks.export_build", acks_late=True, reject_on_worker_lost=False,
    soft_time_limit=EXPORT_TIME_LIMIT, time_limit=EXPORT_TIME_LIMIT + 60,
)
def export_build(job_id: int) -> str:
    return exports.export_job_build(job_id=job_id).status


@shared_task(name="annotation.tasks.preannotate", acks_late=True, soft_time_limit=EXPORT_TIME_LIMIT, time_limit=EXPORT_TIME_LIMIT + 60)
def preannotate(kind: str) -> int:
    return preannotation.preannotation_run(kind=kind)


@shared_task(name="annotation.tasks.webhook_deliver", bind=True, acks_late=True, max_retries=3, soft_time_limit=120, time_limit=150)
def webhook_deliver(self, delivery_id: int) -> str:
    """One attempt; a failure retries with exponential backoff until the retries are spent, then it is final."""
    from annotation import webhooks

    delivery = webhooks.delivery_attempt(delivery_id=delivery_id, last=self.request.retries >= webhooks.MAX_RETRIES)
    if delivery.status == delivery.Status.PENDING:
        raise self.retry(countdown=webhooks.backoff(self.request.retries), max_retries=webhooks.MAX_RETRIES)
    return delivery.status
