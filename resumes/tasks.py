"""Celery tasks of the careers app (queue `inference`): take an id, call one service."""
from celery import shared_task


@shared_task(name="resumes.tasks.resume_parse", acks_late=True, time_limit=600, soft_time_limit=540)
def resume_parse(resume_id: int) -> str:
    from resumes.services import resume_parse as parse

    return parse(resume_id=resume_id).status
