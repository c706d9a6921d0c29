"""Training examples from accepted annotations: the source this app registers with suite.ml, and every source's."""

from annotation.models import Annotation
from suite.ml import kinds as K
from suite.ml import selectors as ml_selectors


def accepted_examples(kind: str, since=None) -> list[dict]:
    """Every accepted example of a kind, from every source (annotations, and e.g. the chatbot's ratings): the same
    data as suite.ml's, for manual snapshots and scheduled retraining alike."""
    return ml_selectors.accepted_examples(kind=kind, since=since)


def annotation_examples(kind: str, since=None) -> list[dict]:
    """Accepted answers of annotation tasks of a kind as training examples (the source this app registers)."""
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
            {
                "id": f"task-{task.pk}",
                "group": task.group or f"task-{task.pk}",
                "input": task.input,
                "result": annotation.result,
                "feedback_type": task.feedback_type,
            }
        )
        # A kind may turn one answer into several examples (a preference into a chosen and a rejected pair).
        if isinstance(example, list):
            examples.extend(example)
        elif example is not None:
            examples.append(example)
    return examples
