"""Score any predictor of a kind on examples with the metrics of its task type."""
from suite.ml.tasktypes import task_type_for


def score(kind, examples: list[dict], predict) -> dict:
    return task_type_for(kind).score(examples, predict, tuple(kind.labels))
