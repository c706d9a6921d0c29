"""Reads of the annotation app, with its rules: masking for personal data, review queues, training examples."""
from annotation.models import Annotation, AnnotationTask
from suite.ml import kinds as K


def accepted_examples(kind: str, since=None) -> list[dict]:
    """Accepted answers of a kind as training examples (the example source suite.ml reads)."""
    model_kind = K.get_kind(kind)
    rows = Annotation.objects.filter(task__kind=kind, status=Annotation.Status.ACCEPTED).select_related("task")
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
    from annotation.masking import mask_many

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
