"""How unsure a prediction is, for the annotation queue's active-learning order (least sure first).

`least_confidence` looks at the top probability only; `margin` at the gap between the top two; `entropy` at the
whole distribution (normalised by log K so every kind lands in 0..1). Multilabel predictions are judged per label
(each a yes/no) and token spans per span that carries a probability (spans without one are left out), averaged:
the least settled single label or span is near 0.5 for almost every passage or resume a young model reads, so a
maximum would rank nothing. A prediction with no probabilities gives None.
"""

import math

STRATEGIES = ("least_confidence", "margin", "entropy")


def _binary(p: float) -> list[float]:
    p = min(max(float(p), 0.0), 1.0)
    return [p, 1.0 - p]


def _unsure(probs: list[float], strategy: str) -> float:
    probs = sorted((max(float(p), 0.0) for p in probs), reverse=True)
    total = sum(probs) or 1.0
    probs = [p / total for p in probs]
    if strategy == "least_confidence":
        k = len(probs)
        return (1.0 - probs[0]) * k / (k - 1) if k > 1 else 0.0
    if strategy == "margin":
        return 1.0 - (probs[0] - (probs[1] if len(probs) > 1 else 0.0))
    if strategy == "entropy":
        if len(probs) < 2:
            return 0.0
        return -sum(p * math.log(p) for p in probs if p > 0) / math.log(len(probs))
    raise ValueError(f"unknown uncertainty strategy {strategy!r}; one of {STRATEGIES}")


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def uncertainty(prediction: dict, strategy: str = "entropy") -> float | None:
    """0 (sure) .. 1 (as unsure as can be)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown uncertainty strategy {strategy!r}; one of {STRATEGIES}")
    if not isinstance(prediction, dict):
        return None
    scores = prediction.get("scores")
    if isinstance(scores, dict) and scores:
        values = list(scores.values())
        if "label" in prediction:  # one label from a distribution
            return _unsure(values, strategy)
        return _mean(_unsure(_binary(v), strategy) for v in values)  # multilabel: how unsettled its labels are
    if "label" in prediction and isinstance(prediction.get("score"), (int, float)):
        return min(max(1.0 - float(prediction["score"]), 0.0), 1.0)  # only the top label's probability is known
    spans = prediction.get("spans")
    scored = (
        [s[3] for s in spans if isinstance(s, (list, tuple)) and len(s) > 3 and isinstance(s[3], (int, float))]
        if isinstance(spans, list)
        else []
    )
    if scored:
        return _mean(_unsure(_binary(p), strategy) for p in scored)
    if isinstance(prediction.get("score"), (int, float)):
        return _unsure(_binary(prediction["score"]), strategy)
    return None


def confidence(prediction: dict, strategy: str = "entropy", fallback: float | None = None) -> float | None:
    """1 - uncertainty: what the queue sorts ascending. Least confidence keeps the model's own score where it has one."""
    if strategy == "least_confidence" and fallback is not None:
        return fallback
    unsure = uncertainty(prediction, strategy)
    return fallback if unsure is None else round(1.0 - unsure, 6)


def word_set(value) -> frozenset:
    """Lower-cased words of an input (text or the strings inside a dict/list), for the queue's diversity option."""
    if isinstance(value, dict):
        value = " ".join(str(v) for v in value.values() if isinstance(v, (str, list)))
    elif isinstance(value, list):
        value = " ".join(map(str, value))
    return frozenset(w for w in str(value).lower().split() if len(w) > 2)


def most_different(candidates: list, seen: list[frozenset], *, words_of) -> int:
    """Index of the candidate whose words overlap least (Jaccard) with anything recently taken; ties: the first."""
    if not seen:
        return 0

    def nearest(words):
        return max((len(words & s) / len(words | s) if words | s else 1.0) for s in seen)

    scores = [nearest(words_of(c)) for c in candidates]
    return min(range(len(candidates)), key=lambda i: (scores[i], i))
