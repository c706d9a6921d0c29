"""Reads for exports: the rows of a kind streamed a chunk at a time, the tasks a filter keeps, a requester's job."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404

from annotation.models import Annotation, AnnotationTask, ExportJob
from annotation.selectors.tasks import task_input_for, task_value_for
from suite import access
from suite.ml import kinds as K


def export_rows(*, kind: str, scope: str = "accepted", user=None, chunk_size: int = 500):
    """Rows of a kind for an export, streamed from the database a chunk at a time.

    `accepted`: each accepted annotation with its task; `all`: every task, with its accepted answer or None.
    Personal inputs are masked as `user` would see them.
    """

    K.get_kind(kind)
    viewer = user or AnonymousUser()
    accepted = Annotation.objects.filter(status=Annotation.Status.ACCEPTED).select_related("annotator", "reviewer")
    if scope == "all":
        tasks = (
            AnnotationTask.objects.filter(kind=kind)
            .select_related("prediction_version")
            .prefetch_related(Prefetch("annotations", queryset=accepted, to_attr="accepted_annotations"))
            .order_by("id")
        )
        pairs = ((task, next(iter(task.accepted_annotations), None)) for task in tasks.iterator(chunk_size=chunk_size))
    else:
        annotations = (
            accepted.filter(task__kind=kind)
            .select_related("task", "task__prediction_version")
            .order_by("task_id", "id")
        )
        pairs = ((annotation.task, annotation) for annotation in annotations.iterator(chunk_size=chunk_size))
    for task, annotation in pairs:
        yield {
            "task": task.pk,
            "kind": task.kind,
            "feedback_type": task.feedback_type,
            "group": task.group,
            "input": task_input_for(task=task, user=viewer) if task.personal else task.input,
            "result": task_value_for(task=task, user=viewer, value=annotation.result if annotation else None),
            "prediction": task_value_for(task=task, user=viewer, value=task.prediction),
            "prediction_score": task.prediction_score,
            "model_version": task.prediction_version.number if task.prediction_version_id else None,
            "status": task.status,
            "source": task.source,
            "annotator": annotation.annotator.get_username() if annotation and annotation.annotator else None,
            "reviewer": annotation.reviewer.get_username() if annotation and annotation.reviewer else None,
        }


def export_job_get(*, user, pk: int):
    """An export job its requester (or staff) may see; 404 for anyone else, as if it did not exist."""

    jobs = (
        ExportJob.objects.all()
        if access.is_staff(user)
        else access.owned_by(ExportJob.objects.all(), user, owner_field="requested_by")
    )
    try:
        return jobs.get(pk=pk)
    except ExportJob.DoesNotExist:
        raise Http404("No export job matches the given query.") from None


def export_task_ids(*, kind: str, filters: dict) -> set[int] | None:
    """The ids of a kind's tasks that pass checked export filters (review state, annotator, a date range of
    acceptance, else creation); None when no filter narrows by task. A label is read from each answer instead."""
    db_filters = {k: v for k, v in filters.items() if k != "label"}
    if not db_filters:
        return None
    tasks = AnnotationTask.objects.filter(kind=kind)
    if "status" in db_filters:
        tasks = tasks.filter(status__in=db_filters["status"])
    if "annotator" in db_filters:
        who = db_filters["annotator"]
        by_them = Q(annotator__username=who) | Q(external_annotator=who) | Q(external_annotator=f"labelstudio:{who}")
        tasks = tasks.filter(Exists(Annotation.objects.filter(task=OuterRef("pk")).filter(by_them)))
    if "since" in db_filters or "until" in db_filters:
        tasks = tasks.annotate(day=TruncDate(Coalesce("accepted_at", "created_at")))
        if "since" in db_filters:
            tasks = tasks.filter(day__gte=datetime.date.fromisoformat(db_filters["since"]))
        if "until" in db_filters:
            tasks = tasks.filter(day__lte=datetime.date.fromisoformat(db_filters["until"]))
    return set(tasks.values_list("pk", flat=True))
