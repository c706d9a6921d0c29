"""The annotator's queue: the next item (flagged, then least sure, then oldest), skipping it, answering it."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef

from annotation.models import Annotation, AnnotationProject, AnnotationTask, Assignment
from annotation.services.validation import _check_result
from suite import access
from suite.ml import kinds as K
from suite.ml import uncertainty

Status = AnnotationTask.Status
QUEUE_READS = 5


def queue_confidence(prediction, score: float | None) -> float | None:
    """How sure the model was, by the queue's uncertainty strategy (ANNOTATION_UNCERTAINTY: least_confidence,
    margin or entropy); the queue serves the least sure first."""
    strategy = getattr(settings, "ANNOTATION_UNCERTAINTY", "least_confidence")
    return uncertainty.confidence(prediction if isinstance(prediction, dict) else {}, strategy, fallback=score)


# With the diversity option the queue looks this far down its order for the item least like recent ones.
DIVERSITY_WINDOW = 20


def _diverse_pick(ordered, *, kind: str | None, user) -> AnnotationTask | None:
    """Among the first unsure items, the one whose words overlap least with what this kind's queue gave out last."""
    window = list(ordered[:DIVERSITY_WINDOW])
    if len(window) < 2:
        return window[0] if window else None
    recent = Assignment.objects.filter(task__kind=kind) if kind else Assignment.objects.filter(annotator=user)
    seen = [uncertainty.word_set(a.task.input) for a in recent.select_related("task").order_by("-pk")[:10]]
    return window[uncertainty.most_different(window, seen, words_of=lambda t: uncertainty.word_set(t.input))]


def task_next(
    *,
    user,
    kind: str | None = None,
    project: AnnotationProject | None = None,
    diverse: bool | None = None,
) -> AnnotationTask | None:
    """The next item for an annotator: flagged first, then least confident, then oldest; within the overlap.
    `diverse` (default ANNOTATION_QUEUE_DIVERSITY) picks, among the first unsure items, the one least like the
    items given out last, so a batch of corrections does not teach the same thing twenty times."""
    if not access.has_role(user, "annotator", "reviewer"):
        raise PermissionDenied("Annotating is for annotators.")
    held = Assignment.objects.filter(annotator=user, status=Assignment.Status.ASSIGNED, task__status=Status.OPEN)
    if kind:
        held = held.filter(task__kind=kind)
    if project:
        held = held.filter(task__project=project)
    mine = held.select_related("task").order_by("pk").first()
    if mine:
        return mine.task  # finish what you were given in this queue before taking more
    candidates = AnnotationTask.objects.filter(status=Status.OPEN, assigned_count__lt=F("project__overlap")).exclude(
        Exists(Assignment.objects.filter(task=OuterRef("pk"), annotator=user))
    )
    if kind:
        candidates = candidates.filter(kind=kind)
    if project:
        candidates = candidates.filter(project=project)
    # The classic queue: lock the first free item and skip items other annotators hold right now
    # (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the IMMEDIATE transaction serializes writers).
    ordered = candidates.order_by(*AnnotationTask.QUEUE_ORDER).select_related("project")
    if diverse is None:
        diverse = getattr(settings, "ANNOTATION_QUEUE_DIVERSITY", False)
    for _ in range(QUEUE_READS):
        with transaction.atomic():
            if diverse:
                picked = _diverse_pick(ordered, kind=kind, user=user)
                task = (
                    ordered.filter(pk=picked.pk).select_for_update(skip_locked=True, of=("self",)).first()
                    if picked
                    else None
                )
            else:
                task = ordered.select_for_update(skip_locked=True, of=("self",)).first()
            if task is None:
                if diverse and picked is not None:
                    continue  # another annotator holds it right now: look again
                return None
            try:
                with transaction.atomic():
                    Assignment.objects.create(task=task, annotator=user)
            except IntegrityError:
                continue
            AnnotationTask.objects.filter(pk=task.pk).update(assigned_count=F("assigned_count") + 1)
            return task
    return None


def task_skip(*, task: AnnotationTask, user, reason: str) -> Assignment:
    if not reason.strip():
        raise ValidationError({"reason": ["Say why you skip this item."]})
    assignment = Assignment.objects.filter(task=task, annotator=user).first()
    if assignment is None or assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError({"task": ["This item is not assigned to you."]})
    with transaction.atomic():
        assignment.status, assignment.skip_reason = Assignment.Status.SKIPPED, reason.strip()[:500]
        assignment.save(update_fields=["status", "skip_reason"])
        AnnotationTask.objects.filter(pk=task.pk).update(assigned_count=F("assigned_count") - 1)
    return assignment


@transaction.atomic
def annotation_submit(*, task: AnnotationTask, user, result, seconds_spent: float | None = None) -> Annotation:
    """Keep every annotator's answer (two at once lose nothing); enough answers send the task to review."""
    assignment = Assignment.objects.select_for_update().filter(task=task, annotator=user).first()
    if assignment is None or assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError({"task": ["This item is not assigned to you; take it from the queue first."]})
    if seconds_spent is not None and not 0 <= seconds_spent <= 86_400:
        raise ValidationError({"seconds_spent": ["Must be between 0 and 86400 seconds."]})
    _check_result(K.get_kind(task.kind), task.input, result, feedback_type=task.feedback_type)
    annotation = Annotation.objects.create(
        task=task,
        annotator=user,
        result=result,
        parent_prediction=task.prediction,
        changed=result != task.prediction,
        seconds_spent=seconds_spent,
    )
    assignment.status = Assignment.Status.SUBMITTED
    assignment.save(update_fields=["status"])
    task = AnnotationTask.objects.select_for_update().select_related("project").get(pk=task.pk)
    submitted = task.annotations.filter(status=Annotation.Status.SUBMITTED).count()
    if task.status == Status.OPEN and submitted >= task.project.overlap:
        task.status = Status.IN_REVIEW
        task.save(update_fields=["status"])
    return annotation
