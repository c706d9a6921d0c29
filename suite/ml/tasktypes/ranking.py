"""Ranking: a relevance in 0..1 for a (query, candidate) pair; people rate it 1-5."""

from __future__ import annotations

from collections import defaultdict

from suite.ml import metrics as M
from suite.ml.tasktypes.base import TaskType, is_whole_number

RATING_MIN, RATING_MAX = 1, 5


def relevance_from_rating(rating) -> float:
    """1 (useless) .. 5 (exactly right) -> 0.0 .. 1.0, the soft target a ranking head learns."""
    return (float(rating) - RATING_MIN) / (RATING_MAX - RATING_MIN)


def rating_from_relevance(score) -> int:
    """A model's relevance (0..1) as the rating a task is pre-filled with."""
    clipped = min(max(float(score), 0.0), 1.0)
    return int(round(RATING_MIN + clipped * (RATING_MAX - RATING_MIN)))


def rating_problem(answer) -> str | None:
    """Why an answer is not a rating on the rubric, or None."""
    if is_whole_number(answer) and RATING_MIN <= answer <= RATING_MAX:
        return None
    return f"a rating is a whole number from {RATING_MIN} to {RATING_MAX}, not {answer!r}"


def pair_text(query: str, candidate: str, sep: str) -> str:
    """Ranking inputs are one string, so every strategy (and the shared embedding cache) sees the same text."""
    return f"{query} {sep} {candidate}"


class Ranking(TaskType):
    name = "ranking"
    feedback_type = "rating"
    primary_metric = "ndcg@10"
    text_input = False

    def encoder_texts(self, inputs, sep):
        return [pair_text(x["query"], x["candidate"], sep) for x in inputs]

    def target_row(self, target, labels):
        return [min(float(target), 1.0)]

    def metrics(self, examples, predictions, labels):
        groups = defaultdict(lambda: ([], []))
        for e, p in zip(examples, predictions):
            key = e["input"].get("query_id") or e["input"]["query"]
            groups[key][0].append(float(e["target"]))
            groups[key][1].append(float(p["score"]))
        return M.ranking_metrics(list(groups.values()))

    def target_from_answer(self, answer, feedback_type):
        return relevance_from_rating(answer) if feedback_type == "rating" else answer

    def answer_from_prediction(self, prediction, feedback_type):
        if feedback_type == "rating" and prediction.get("score") is not None:
            return rating_from_relevance(prediction["score"])
        return prediction.get("score")

    def stratum(self, target):
        return "relevant" if float(target or 0) > 0 else "not relevant"

    def answer_problem(self, answer, *, task_input, labels, kind_name):
        if not isinstance(answer, (int, float)) or isinstance(answer, bool):
            return f"a ranking answer is a number, not {answer!r}"
        return None

    def answer_from_text(self, value):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"should be a number, not {value!r}") from None

    def labelstudio_regions(self, answer, task_input):
        return [("rating", "rating", "text", {"rating": answer})]

    def from_labelstudio(self, values, *, spans):
        for value in values["rating"] + values["number"]:
            return value.get("rating", value.get("number"))
        return None

    def dataset_feature(self, datasets, labels):
        return datasets.Value("float64")
