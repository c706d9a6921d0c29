"""Reads of tasks with their rules: what a person may see of one (masked personal data), the queue, review."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from annotation import privacy
from annotation.models import Annotation, AnnotationTask, Assignment

Status = AnnotationTask.Status


def task_input_for(*, task: AnnotationTask, user):
    """What a person may see of a task's input: the original for its owner, masked for everyone else."""
    if not task.personal or (task.subject_owner_id and task.subject_owner_id == user.pk):
        return task.input

    # Every text at any depth (a preference item's options too); spans tasks keep offsets so they stay editable.
    return privacy.shown_to(
        task.input,
        viewer=user,
        owner=task.subject_owner,
        keep_offsets=task.feedback_type == "spans",
    )


def task_value_for(*, task: AnnotationTask, user, value):
    """An answer or prediction of a personal task (free text may quote the input) as `user` may see it."""
    if not task.personal or value is None:
        return value
    return privacy.shown_to(value, viewer=user, owner=task.subject_owner, keep_offsets=task.feedback_type == "spans")


def task_is_masked_for(*, task: AnnotationTask, user) -> bool:
    """Whether `user` sees a masked copy of the task's personal data (everyone but the person it is about)."""
    return task.personal and task.subject_owner_id != user.pk


def task_get(*, pk: int) -> AnnotationTask:
    """A task with what its pages and answers show (the model version, the project); 404 when there is none."""
    return get_object_or_404(AnnotationTask.objects.select_related("prediction_version", "project"), pk=pk)


def task_assigned_to(*, user, pk: int) -> tuple[AnnotationTask, Assignment]:
    """A task and its assignment to `user`; 404 when it was never theirs."""
    task = task_get(pk=pk)
    assignment = Assignment.objects.filter(task=task, annotator=user).first()
    if assignment is None:
        raise Http404("This item is not assigned to you.")
    return task, assignment


def task_recent_flags(*, task: AnnotationTask, limit: int = 5) -> list:
    """The first flags on a task's output (what the people who saw it said), none when it was never flagged."""
    return list(task.flags.all()[:limit]) if task.flag_count else []


def queue_overview() -> list[dict]:
    """Per kind with tasks: how many are open, in review and accepted."""
    return list(
        AnnotationTask.objects.values("kind")
        .annotate(
            open=Count("id", filter=Q(status=Status.OPEN)),
            in_review=Count("id", filter=Q(status=Status.IN_REVIEW)),
            accepted=Count("id", filter=Q(status=Status.ACCEPTED)),
        )
        .order_by("kind")
    )


def item_in_progress(*, user) -> AnnotationTask | None:
    """The open item already assigned to `user`, which the queue hands out again before anything else."""
    assignment = (
        Assignment.objects.filter(annotator=user, status=Assignment.Status.ASSIGNED, task__status=Status.OPEN)
        .select_related("task")
        .first()
    )
    return assignment.task if assignment else None


def review_queue(*, kind: str | None = None):
    """Tasks waiting for a reviewer, with their answers and annotators."""
    tasks = (
        AnnotationTask.objects.filter(status=Status.IN_REVIEW)
        .select_related("prediction_version")
        .prefetch_related("annotations__annotator")
    )
    return tasks.filter(kind=kind) if kind else tasks


def review_kinds() -> list[str]:
    """The kinds that have tasks in review, for the review page's filter."""
    return sorted(set(AnnotationTask.objects.filter(status=Status.IN_REVIEW).values_list("kind", flat=True)))


def annotation_get(*, pk: int) -> Annotation:
    return get_object_or_404(Annotation.objects.select_related("task"), pk=pk)
