"""Celery tasks of the model runtime: ids in, one service call."""
from celery import shared_task
from django.conf import settings

from suite.ml import services

TRAINING = dict(
    acks_late=True,
    reject_on_worker_lost=False,  # a run whose worker died is failed by the jobs sweep, not replayed blindly
    soft_time_limit=settings.ML_TRAINING_TIME_LIMIT,
    time_limit=settings.ML_TRAINING_TIME_LIMIT + 300,
)


@shared_task(bind=True, name="suite.ml.tasks.training_run_execute", **TRAINING)
def training_run_execute(self, run_id: int) -> str:
    return services.training_run_execute(run_id=run_id, worker=self.request.hostname or "").status


@shared_task(bind=True, name="suite.ml.tasks.generative_training_run_execute", **TRAINING)
def generative_training_run_execute(self, run_id: int) -> str:
    return services.training_run_execute(run_id=run_id, worker=self.request.hostname or "").status


@shared_task(name="suite.ml.tasks.retraining_due_start")
def retraining_due_start() -> list[int]:
    return [run.pk for run in services.retraining_due_start()]
