"""Writes of the annotation app: flags open tasks, annotators answer, reviewers decide, datasets freeze."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from annotation.models import Annotation, AnnotationProject, AnnotationTask, Assignment, AuditEntry, Flag
from suite import access
from suite.ml import kinds as K
from suite.ml import services as ml_services
from suite.ml.models import ModelOutput

Status = AnnotationTask.Status


def project_for_kind(*, kind: str) -> AnnotationProject:
    """The project flagged outputs of a kind land in."""
    K.get_kind(kind)
    return AnnotationProject.objects.get_or_create(kind=kind, name=f"{kind} feedback")[0]


def _check_result(kind: K.ModelKind, task_input, result) -> None:
    problem = kind.validate_example({"input": task_input, "target": result})
    if problem:
        raise ValidationError({"result": [problem]})


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
        _check_result(kind, output.input, correction)
    for attempt in range(2):
        try:
            with transaction.atomic():
                task = _task_for_output(output, kind)
                AnnotationTask.objects.filter(pk=task.pk).update(flag_count=F("flag_count") + 1)
                return Flag.objects.create(
                    output=output, task=task, user=user, reason=reason, comment=comment.strip(), correction=correction
                )
        except IntegrityError:
            if attempt:  # a concurrent first flag created the task; the retry finds it
                raise


def _task_for_output(output: ModelOutput, kind: K.ModelKind) -> AnnotationTask:
    task = AnnotationTask.objects.filter(output=output).first()
    if task:
        return task
    return AnnotationTask.objects.create(
        project=project_for_kind(kind=kind.name), kind=kind.name, feedback_type=kind.feedback_type, output=output,
        input=output.input, group=f"output-{output.pk}" if not output.object_id else f"{output.content_type_id}-{output.object_id}",
        prediction=kind.result_from_prediction(output.output), prediction_version=output.version,
        prediction_score=output.score, personal=kind.personal_data, subject_owner=output.owner if kind.personal_data else None,
        source=AnnotationTask.Source.FLAG,
    )


def task_next(*, user, kind: str | None = None, project: AnnotationProject | None = None) -> AnnotationTask | None:
    """The next item for an annotator: flagged first, then least confident, then oldest; within the overlap."""
    if not access.has_role(user, "annotator", "reviewer"):
        raise PermissionDenied("Annotating is for annotators.")
    mine = Assignment.objects.filter(annotator=user, status=Assignment.Status.ASSIGNED).select_related("task").first()
    if mine and mine.task.status == Status.OPEN:
        return mine.task  # finish what you were given before taking more
    candidates = AnnotationTask.objects.filter(status=Status.OPEN).exclude(assignments__annotator=user)
    if kind:
        candidates = candidates.filter(kind=kind)
    if project:
        candidates = candidates.filter(project=project)
    candidates = candidates.annotate(
        taken=Count("assignments", filter=~Q(assignments__status=Assignment.Status.SKIPPED))
    ).filter(taken__lt=F("project__overlap"))
    ordered = candidates.order_by("-flag_count", F("prediction_score").asc(nulls_last=True), "created_at", "id")
    for task_id in ordered.values_list("id", flat=True)[:20]:
        with transaction.atomic():
            task = AnnotationTask.objects.select_for_update().select_related("project").get(pk=task_id)
            taken = task.assignments.exclude(status=Assignment.Status.SKIPPED).count()
            if task.status != Status.OPEN or taken >= task.project.overlap:
                continue  # someone took the last slot between our read and our lock
            try:
                with transaction.atomic():
                    Assignment.objects.create(task=task, annotator=user)
            except IntegrityError:
                continue
            return task
    return None


def task_skip(*, task: AnnotationTask, user, reason: str) -> Assignment:
    if not reason.strip():
        raise ValidationError({"reason": ["Say why you skip this item."]})
    assignment = Assignment.objects.filter(task=task, annotator=user).first()
    if assignment is None or assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError({"task": ["This item is not assigned to you."]})
    assignment.status, assignment.skip_reason = Assignment.Status.SKIPPED, reason.strip()[:500]
    assignment.save(update_fields=["status", "skip_reason"])
    return assignment


@transaction.atomic
def annotation_submit(*, task: AnnotationTask, user, result, seconds_spent: float | None = None) -> Annotation:
    """Keep every annotator's answer (two at once lose nothing); enough answers send the task to review."""
    assignment = Assignment.objects.select_for_update().filter(task=task, annotator=user).first()
    if assignment is None or assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError({"task": ["This item is not assigned to you; take it from the queue first."]})
    if seconds_spent is not None and not 0 <= seconds_spent <= 86_400:
        raise ValidationError({"seconds_spent": ["Must be between 0 and 86400 seconds."]})
    _check_result(K.get_kind(task.kind), task.input, result)
    annotation = Annotation.objects.create(
        task=task, annotator=user, result=result, parent_prediction=task.prediction,
        changed=result != task.prediction, seconds_spent=seconds_spent,
    )
    assignment.status = Assignment.Status.SUBMITTED
    assignment.save(update_fields=["status"])
    task = AnnotationTask.objects.select_for_update().select_related("project").get(pk=task.pk)
    submitted = task.annotations.filter(status=Annotation.Status.SUBMITTED).count()
    if task.status == Status.OPEN and submitted >= task.project.overlap:
        task.status = Status.IN_REVIEW
        task.save(update_fields=["status"])
    return annotation


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
        task.assignments.filter(annotator=annotation.annotator).delete()  # the annotator may try again
    task.save(update_fields=["status", "accepted_at"])
    return annotation


@transaction.atomic
def task_adjudicate(*, task: AnnotationTask, reviewer, result, comment: str = "") -> Annotation:
    """A reviewer decides between annotators by writing the answer that counts."""
    _require_reviewer(reviewer)
    task = AnnotationTask.objects.select_for_update().get(pk=task.pk)
    if task.status == Status.ACCEPTED:
        raise ValidationError({"task": ["This item already has an accepted answer."]})
    _check_result(K.get_kind(task.kind), task.input, result)
    task.annotations.filter(status=Annotation.Status.SUBMITTED).update(
        status=Annotation.Status.REJECTED, reviewer=reviewer, reviewed_at=timezone.now(), review_comment="superseded by adjudication"
    )
    annotation = Annotation.objects.create(
        task=task, annotator=reviewer, result=result, parent_prediction=task.prediction, changed=result != task.prediction,
        status=Annotation.Status.ACCEPTED, adjudicated=True, reviewer=reviewer, review_comment=comment, reviewed_at=timezone.now(),
    )
    task.status, task.accepted_at = Status.ACCEPTED, timezone.now()
    task.save(update_fields=["status", "accepted_at"])
    return annotation


def snapshot_freeze(*, kind: str, user=None, seed: int = 13):
    """Freeze the accepted annotations of a kind into a dataset snapshot for training."""
    from annotation.selectors import accepted_examples

    return ml_services.snapshot_create(kind=kind, examples=accepted_examples(kind, None), origin="accepted annotations", seed=seed, user=user)


def audit_record(*, user, action: str, task: AnnotationTask | None = None, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(user=user, action=action, task=task, detail=detail[:500])
