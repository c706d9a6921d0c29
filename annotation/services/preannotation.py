"""Pre-annotation: the serving model fills open tasks with its suggestion and how sure it was."""

from annotation.models import AnnotationTask
from annotation.services.queue import queue_confidence
from suite.ml import kinds as K

Status = AnnotationTask.Status


def preannotation_run(*, kind: str, batch_size: int = 64) -> int:
    """Fill open tasks that have no suggestion with the serving model's prediction and confidence."""
    model_kind = K.get_kind(kind)
    from suite.ml.selectors import production_version

    version = production_version(kind=kind)
    pending = AnnotationTask.objects.filter(
        kind=kind, status=Status.OPEN, prediction__isnull=True, feedback_type=model_kind.feedback_type
    )
    done = 0
    while batch := list(pending.order_by("id")[:batch_size]):
        predictions = model_kind.predict([t.input for t in batch], version=version)
        for task, prediction in zip(batch, predictions):
            task.prediction = model_kind.result_from_prediction(prediction)
            task.prediction_score = queue_confidence(prediction, prediction.get("score"))
            task.prediction_version = version
        AnnotationTask.objects.bulk_update(batch, ["prediction", "prediction_score", "prediction_version"])
        done += len(batch)
    return done


def preannotation_start(*, kind: str) -> str:
    """Queue bulk pre-annotation of a kind's open tasks; returns the Celery task id."""
    from annotation.tasks import preannotate

    K.get_kind(kind)
    return preannotate.delay(kind).id
