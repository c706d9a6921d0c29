"""Task types: one class each, owning what differs between them (head, loss, encoding and decoding, metrics,
and the shape of annotations). A kind names its task type; everything else looks it up with `task_type_for`."""

from __future__ import annotations

from suite.ml.tasktypes.base import TaskType, TrainingItems
from suite.ml.tasktypes.classification import Classification, Multilabel
from suite.ml.tasktypes.extractive_summary import ExtractiveSummary, summary_selection
from suite.ml.tasktypes.ranking import (
    RATING_MAX,
    RATING_MIN,
    Ranking,
    pair_text,
    rating_from_relevance,
    rating_problem,
    relevance_from_rating,
)
from suite.ml.tasktypes.seq2seq import Seq2Seq
from suite.ml.tasktypes.token_classification import TokenClassification, token_tags

CLASSIFICATION, MULTILABEL, TOKEN_CLASSIFICATION = Classification.name, Multilabel.name, TokenClassification.name
RANKING, EXTRACTIVE_SUMMARY, SEQ2SEQ = Ranking.name, ExtractiveSummary.name, Seq2Seq.name

_BY_NAME: dict[str, TaskType] = {
    t.name: t
    for t in (Classification(), Multilabel(), TokenClassification(), Ranking(), ExtractiveSummary(), Seq2Seq())
}
TASK_TYPES = tuple(_BY_NAME)


def task_type_for(kind_or_name) -> TaskType:
    """The task type of a kind (anything with `task_type`) or of a task-type name."""
    name = getattr(kind_or_name, "task_type", kind_or_name)
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"task type {name!r} is not one of {TASK_TYPES}") from None


__all__ = [
    "CLASSIFICATION",
    "EXTRACTIVE_SUMMARY",
    "MULTILABEL",
    "RANKING",
    "RATING_MAX",
    "RATING_MIN",
    "SEQ2SEQ",
    "TASK_TYPES",
    "TOKEN_CLASSIFICATION",
    "TaskType",
    "TrainingItems",
    "pair_text",
    "rating_from_relevance",
    "rating_problem",
    "relevance_from_rating",
    "summary_selection",
    "task_type_for",
    "token_tags",
]
