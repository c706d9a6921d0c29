"""Evaluation metrics for every task type a model kind can have; pure Python, no Django."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rouge_score import rouge_scorer

ROUGE_KEYS = ("rouge1", "rouge2", "rougeL")

METRICS_BY_TASK: dict[str, tuple[str, ...]] = {
    "classification": ("accuracy", "macro_f1"),
    "multilabel": ("micro_f1", "macro_f1", "exact_match"),
    "token_classification": ("precision", "recall", "f1"),
    "ranking": ("mrr", "ndcg@10"),
    "extractive_summary": ROUGE_KEYS,
    "seq2seq": ROUGE_KEYS,
}

Span = tuple[int, int, str]


def _paired(y_true: Sequence, y_pred: Sequence) -> None:
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} items but y_pred has {len(y_pred)}")
    if not y_true:
        raise ValueError("cannot score an empty evaluation set")


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * precision * recall, precision + recall),
        "support": tp + fn,
    }


def _per_label(tp: Counter, fp: Counter, fn: Counter, labels: Iterable[str]) -> dict[str, dict]:
    return {label: _prf(tp[label], fp[label], fn[label]) for label in labels}


def _macro_f1(per_label: dict[str, dict]) -> float:
    return _ratio(sum(s["f1"] for s in per_label.values()), len(per_label))


def classification_metrics(y_true: list[str], y_pred: list[str], labels: list[str] | None = None) -> dict:
    """Accuracy, macro-F1 and per-label precision/recall/F1/support for single-label predictions."""
    _paired(y_true, y_pred)
    tp, fp, fn = Counter(), Counter(), Counter()
    for truth, pred in zip(y_true, y_pred):
        if truth == pred:
            tp[truth] += 1
        else:
            fp[pred] += 1
            fn[truth] += 1
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred))
    per_label = _per_label(tp, fp, fn, labels)
    return {
        "accuracy": sum(tp.values()) / len(y_true),
        "macro_f1": _macro_f1(per_label),
        "per_label": per_label,
    }


def multilabel_metrics(y_true: list[list[str]], y_pred: list[list[str]], labels: list[str] | None = None) -> dict:
    """Micro- and macro-F1, exact match (subset accuracy) and per-label scores for label sets."""
    _paired(y_true, y_pred)
    tp, fp, fn = Counter(), Counter(), Counter()
    exact = 0
    for truth, pred in zip(y_true, y_pred):
        truth, pred = set(truth), set(pred)
        exact += truth == pred
        tp.update(truth & pred)
        fp.update(pred - truth)
        fn.update(truth - pred)
    if labels is None:
        labels = sorted(set().union(*map(set, y_true), *map(set, y_pred)))
    per_label = _per_label(tp, fp, fn, labels)
    micro = _prf(*(sum(c[label] for label in labels) for c in (tp, fp, fn)))
    exact_match = exact / len(y_true)
    return {
        "micro_f1": micro["f1"],
        "macro_f1": _macro_f1(per_label),
        "exact_match": exact_match,
        "accuracy": exact_match,
        "per_label": per_label,
    }


def _tag_parts(tag: str) -> tuple[str, str | None]:
    if tag in ("O", ""):
        return "O", None
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not label:
        raise ValueError(f"not a BIO tag: {tag!r}")
    return prefix, label


def bio_to_spans(tags: list[str]) -> list[Span]:
    """Turn a BIO/IOB2 tag sequence into (start_token, end_token_exclusive, label) spans."""
    spans: list[Span] = []
    start, current = 0, None
    for i, tag in enumerate(tags):
        prefix, label = _tag_parts(tag)
        if prefix == "I" and label == current:
            continue
        if current is not None:
            spans.append((start, i, current))
        # A stray I- with no matching span open starts one, as seqeval's default mode does.
        start, current = i, label
    if current is not None:
        spans.append((start, len(tags), current))
    return spans


def span_metrics(true_spans: list[list[Span]], pred_spans: list[list[Span]]) -> dict:
    """Micro-averaged precision/recall/F1 of exact span matches (start, end and label), per document."""
    if len(true_spans) != len(pred_spans):
        raise ValueError(f"true_spans has {len(true_spans)} documents but pred_spans has {len(pred_spans)}")
    tp, fp, fn = Counter(), Counter(), Counter()
    for truth, pred in zip(true_spans, pred_spans):
        # Spans often arrive as JSON lists; tuples make them comparable as set members.
        truth, pred = {tuple(s[:3]) for s in truth}, {tuple(s[:3]) for s in pred}
        tp.update(s[2] for s in truth & pred)
        fp.update(s[2] for s in pred - truth)
        fn.update(s[2] for s in truth - pred)
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {
        "precision": micro["precision"],
        "recall": micro["recall"],
        "f1": micro["f1"],
        "per_label": _per_label(tp, fp, fn, sorted(set(tp) | set(fp) | set(fn))),
    }


@lru_cache(maxsize=1)
def _rouge_scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(list(ROUGE_KEYS), use_stemmer=True)


def rouge_metrics(references: list[str], predictions: list[str]) -> dict:
    """Mean ROUGE-1, ROUGE-2 and ROUGE-L F-measures of predictions against references."""
    _paired(references, predictions)
    scorer = _rouge_scorer()
    totals = dict.fromkeys(ROUGE_KEYS, 0.0)
    for reference, prediction in zip(references, predictions):
        # rouge_score scores empty text 0 by itself; None (a model that returned nothing) becomes empty text.
        scores = scorer.score(reference or "", prediction or "")
        for key in ROUGE_KEYS:
            totals[key] += scores[key].fmeasure
    return {key: total / len(references) for key, total in totals.items()}


def _dcg(relevances: Iterable[float]) -> float:
    return sum((2**rel - 1) / math.log2(rank + 2) for rank, rel in enumerate(relevances))


def ranking_metrics(groups: list[tuple[list[float], list[float]]], k: int = 10) -> dict:
    """Mean reciprocal rank and nDCG@k over queries, each given as (relevances, predicted scores)."""
    if k < 1:
        raise ValueError(f"k must be at least 1; got {k}")
    reciprocal_ranks, ndcgs = [], []
    for relevances, scores in groups:
        if len(relevances) != len(scores):
            raise ValueError(f"a group has {len(relevances)} relevances but {len(scores)} scores")
        if not any(rel > 0 for rel in relevances):
            continue
        # Sorting on (-score, position) breaks ties by original order, the same way every run.
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        ranked = [relevances[i] for i in order]
        reciprocal_ranks.append(1 / (1 + next(r for r, rel in enumerate(ranked) if rel > 0)))
        ndcgs.append(_dcg(ranked[:k]) / _dcg(sorted(relevances, reverse=True)[:k]))
    return {
        "mrr": _ratio(sum(reciprocal_ranks), len(reciprocal_ranks)),
        f"ndcg@{k}": _ratio(sum(ndcgs), len(ndcgs)),
    }
