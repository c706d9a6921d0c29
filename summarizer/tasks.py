"""Celery tasks of the summarizer (queue `inference`): ids in, one service call."""
from celery import shared_task

from summarizer import services


@shared_task(name="summarizer.tasks.document_process", acks_late=True, soft_time_limit=900, time_limit=960)
def document_process(document_id: int) -> str:
    return services.document_process(document_id=document_id).status
