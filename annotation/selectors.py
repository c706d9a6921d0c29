"""Reads of the annotation app, with its rules: masking for personal data, review queues, training examples."""
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.http import Http404

from annotation.masking import mask_many
from annotation.models import Annotation, AnnotationTask, ExportJob
from suite import access
from suite.ml import kinds as K


def accepted_examples(kind: str, since=None) -> list[dict]:
    """Accepted answers of a kind as training examples (the example source suite.ml reads)."""
    model_kind = K.get_kind(kind)
    # Preference items train reward models and go out through exports, not into the kind's own snapshots.
    rows = Annotation.objects.filter(
        task__kind=kind, task__feedback_type=model_kind.feedback_type, status=Annotation.Status.ACCEPTED
    ).select_related("task")
    if since is not None:
        rows = rows.filter(reviewed_at__gt=since)
    examples = []
    for annotation in rows.order_by("id"):
        task = annotation.task
        example = model_kind.example_from_annotation(
            {"id": f"task-{task.pk}", "group": task.group or f"task-{task.pk}", "input": task.input, "result": annotation.result}
        )
        if example is not None:
            examples.append(example)
    return examples


def review_queue(*, kind: str | None = None):
    tasks = AnnotationTask.objects.filter(status=AnnotationTask.Status.IN_REVIEW).prefetch_related("annotations")
    return tasks.filter(kind=kind) if kind else tasks


def task_input_for(*, task: AnnotationTask, user):
    """What a person may see of a task's input: the original for its owner, masked for everyone else."""
    if not task.personal or (task.subject_owner_id and task.subject_owner_id == user.pk):
        return task.input

    owner = task.subject_owner
    names = [n for n in (owner.first_name, owner.last_name, owner.username) if n] if owner else []
    if isinstance(task.input, str):
        return mask_many([task.input], known_names=names)[0]
    if isinstance(task.input, list):
        return mask_many([str(m) for m in task.input], known_names=names)
    if isinstance(task.input, dict):
        keys = [k for k, v in task.input.items() if isinstance(v, str)]
        masked = mask_many([task.input[k] for k in keys], known_names=names)
        return {**task.input, **dict(zip(keys, masked))}
    return task.input


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
            AnnotationTask.objects.filter(kind=kind).select_related("prediction_version")
            .prefetch_related(Prefetch("annotations", queryset=accepted, to_attr="accepted_annotations")).order_by("id")
        )
        pairs = ((task, next(iter(task.accepted_annotations), None)) for task in tasks.iterator(chunk_size=chunk_size))
    else:
        annotations = accepted.filter(task__kind=kind).select_related("task", "task__prediction_version").order_by("task_id", "id")
        pairs = ((annotation.task, annotation) for annotation in annotations.iterator(chunk_size=chunk_size))
    for task, annotation in pairs:
        yield {
            "task": task.pk, "kind": task.kind, "feedback_type": task.feedback_type, "group": task.group,
            "input": task_input_for(task=task, user=viewer) if task.personal else task.input,
            "result": annotation.result if annotation else None, "prediction": task.prediction,
            "prediction_score": task.prediction_score,
            "model_version": task.prediction_version.number if task.prediction_version_id else None,
            "status": task.status, "source": task.source,
            "annotator": annotation.annotator.get_username() if annotation and annotation.annotator else None,
            "reviewer": annotation.reviewer.get_username() if annotation and annotation.reviewer else None,
        }


def export_job_get(*, user, pk: int):
    """An export job its requester (or staff) may see; 404 for anyone else, as if it did not exist."""


    jobs = ExportJob.objects.all() if access.is_staff(user) else access.owned_by(ExportJob.objects.all(), user, owner_field="requested_by")
    try:
        return jobs.get(pk=pk)
    except ExportJob.DoesNotExist:
        raise Http404("No export job matches the given query.") from None
