"""Review: a reviewer accepts an answer (it becomes training data), rejects it with a reason, or adjudicates."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotation import webhooks
from annotation.models import Annotation, AnnotationTask, Assignment
from annotation.services.validation import _check_result
from suite import access
from suite.ml import kinds as K

Status = AnnotationTask.Status


def _require_reviewer(user) -> None:
    if not access.has_role(user, "reviewer"):
        raise PermissionDenied("Reviewing is for reviewers.")


@transaction.atomic
def annotation_review(*, annotation: Annotation, reviewer, accept: bool, comment: str = "") -> Annotation:
    """Accept (the answer becomes training data) or reject with a comment (the item goes back to the queue)."""
    _require_reviewer(reviewer)
    if annotation.annotator_id == reviewer.pk:
        raise PermissionDenied("Nobody reviews their own annotation.")
    task = AnnotationTask.objects.select_for_update().get(pk=annotation.task_id)
    if annotation.status != Annotation.Status.SUBMITTED:
        raise ValidationError({"annotation": [f"This annotation was already {annotation.status}."]})
    if accept and task.status == Status.ACCEPTED:
        raise ValidationError({"annotation": ["Another answer to this item was already accepted."]})
    if not accept and not comment.strip():
        raise ValidationError({"comment": ["Say why the annotation is rejected."]})
    annotation.status = Annotation.Status.ACCEPTED if accept else Annotation.Status.REJECTED
    annotation.reviewer, annotation.review_comment, annotation.reviewed_at = reviewer, comment.strip(), timezone.now()
    annotation.save(update_fields=["status", "reviewer", "review_comment", "reviewed_at"])
    if accept:
        task.status, task.accepted_at = Status.ACCEPTED, timezone.now()
    elif not task.annotations.filter(status=Annotation.Status.SUBMITTED).exists():
        task.status = Status.OPEN
        # The annotator may try again: their slot in the overlap is free once more.
        freed, _ = (
            task.assignments.filter(annotator=annotation.annotator).exclude(status=Assignment.Status.SKIPPED).delete()
        )
        task.assigned_count = max(0, task.assigned_count - freed)
    task.save(update_fields=["status", "accepted_at", "assigned_count"])
    webhooks.on_annotation_reviewed(annotation)
    return annotation


@transaction.atomic
def task_adjudicate(*, task: AnnotationTask, reviewer, result, comment: str = "") -> Annotation:
    """A reviewer decides between annotators by writing the answer that counts."""
    _require_reviewer(reviewer)
    task = AnnotationTask.objects.select_for_update().get(pk=task.pk)
    if task.status == Status.ACCEPTED:
        raise ValidationError({"task": ["This item already has an accepted answer."]})
    _check_result(K.get_kind(task.kind), task.input, result, feedback_type=task.feedback_type)
    task.annotations.filter(status=Annotation.Status.SUBMITTED).update(
        status=Annotation.Status.REJECTED,
        reviewer=reviewer,
        reviewed_at=timezone.now(),
        review_comment="superseded by adjudication",
    )
    annotation = Annotation.objects.create(
        task=task,
        annotator=reviewer,
        result=result,
        parent_prediction=task.prediction,
        changed=result != task.prediction,
        status=Annotation.Status.ACCEPTED,
        adjudicated=True,
        reviewer=reviewer,
        review_comment=comment,
        reviewed_at=timezone.now(),
    )
    task.status, task.accepted_at = Status.ACCEPTED, timezone.now()
    task.save(update_fields=["status", "accepted_at"])
    webhooks.on_annotation_reviewed(annotation)
    return annotation
