"""Flags: the person who saw a model output (or staff) says it is wrong; the first flag opens an annotation task."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from annotation import webhooks
from annotation.models import AnnotationProject, AnnotationTask, Flag
from annotation.services.queue import queue_confidence
from annotation.services.validation import _check_result
from suite import access
from suite.ml import kinds as K
from suite.ml.models import ModelOutput


def project_for_kind(*, kind: str) -> AnnotationProject:
    """The project flagged outputs of a kind land in."""
    K.get_kind(kind)
    return AnnotationProject.objects.get_or_create(kind=kind, name=f"{kind} feedback")[0]


def flag_create(*, output: ModelOutput, user, reason: str, comment: str = "", correction=None) -> Flag:
    """The owner of an output (or staff) flags it; the first flag opens a task, later ones raise its priority."""
    if output.owner_id != user.pk and not access.is_staff(user):
        raise PermissionDenied("Only the person who saw this output, or staff, can flag it.")
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": [f"Choose one of: {', '.join(Flag.Reason.values)}."]})
    if reason == Flag.Reason.OTHER and not comment.strip():
        raise ValidationError({"comment": ["Say what is wrong when the reason is 'other'."]})
    kind = K.get_kind(output.kind)
    if correction is not None:
        _check_result(kind, output.input, correction, feedback_type=kind.feedback_type)
    for attempt in range(2):
        try:
            with transaction.atomic():
                task = _task_for_output(output, kind)
                AnnotationTask.objects.filter(pk=task.pk).update(flag_count=F("flag_count") + 1)
                flag = Flag.objects.create(
                    output=output, task=task, user=user, reason=reason, comment=comment.strip(), correction=correction
                )
                webhooks.on_flag_created(flag)
                return flag
        except IntegrityError:
            if attempt:  # a concurrent first flag created the task; the retry finds it
                raise


def _task_for_output(output: ModelOutput, kind: K.ModelKind) -> AnnotationTask:
    task = AnnotationTask.objects.filter(output=output).first()
    if task:
        return task
    return AnnotationTask.objects.create(
        project=project_for_kind(kind=kind.name),
        kind=kind.name,
        feedback_type=kind.feedback_type,
        output=output,
        input=output.input,
        group=f"output-{output.pk}" if not output.object_id else f"{output.content_type_id}-{output.object_id}",
        prediction=kind.result_from_prediction(output.output),
        prediction_version=output.version,
        prediction_score=queue_confidence(output.output, output.score),
        personal=kind.personal_data,
        subject_owner=output.owner if kind.personal_data else None,
        source=AnnotationTask.Source.FLAG,
    )
