"""The promotion gate's statistics: a paired bootstrap of the improvement, and the golden-set regression check.

Both sides are predicted once; the bootstrap only re-scores stored predictions on resampled examples, resampling
whole groups (a document's pieces together), so the interval reflects how the test items were drawn.
"""
from __future__ import annotations

import random
from collections.abc import Callable

from suite.ml import kinds as K
from suite.ml.metrics import ROUGE_KEYS

CONFIDENCE = 0.95


class Predictions:
    """A predictor's outputs on a fixed list of examples, computed once and replayed for any subset."""

    def __init__(self, kind: K.ModelKind, examples: list[dict], predictor: Callable):
        self.kind, self.examples = kind, examples
        self._stored: list | None = None

        def recording(inputs):
            out = predictor(inputs)
            self._stored = list(out)
            return out

        self.metrics = kind.evaluate(examples, predictor=recording)
        if self._stored is None or len(self._stored) != len(examples):
            raise ValueError(f"{kind.name}: evaluate did not predict every example once; the gate cannot replay it")

    def score(self, indices: list[int]) -> dict:
        chosen = [self.examples[i] for i in indices]
        replay = [self._stored[i] for i in indices]
        return self.kind.evaluate(chosen, predictor=lambda inputs: replay)

    def per_example(self, metric: str) -> list[float]:
        return [float(self.score([i]).get(metric, 0.0)) for i in range(len(self.examples))]


def _decomposable(kind: K.ModelKind, metric: str) -> bool:
    """ROUGE of summaries is a mean over examples: score each once, then resample means (fast)."""
    return kind.task.mean_over_examples and metric in ROUGE_KEYS


def paired_bootstrap(
    kind: K.ModelKind, new: Predictions, current: Predictions, *, resamples: int | None = None, seed: int = 13,
    margin: float | None = None,
) -> dict:
    """95% interval of (new - current) on the kind's metric; passed only when its lower bound clears the margin."""
    metric = kind.primary_metric
    resamples = resamples or kind.gate_resamples
    margin = kind.gate_margin if margin is None else margin
    examples = new.examples
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        groups.setdefault(str(e.get("group") or e.get("id") or i), []).append(i)
    keys = list(groups)
    rng = random.Random(seed)
    if _decomposable(kind, metric):
        a, b = new.per_example(metric), current.per_example(metric)

        def diff(indices):
            return sum(a[i] - b[i] for i in indices) / len(indices)
    else:
        def diff(indices):
            return float(new.score(indices).get(metric, 0.0)) - float(current.score(indices).get(metric, 0.0))

    diffs = []
    for _ in range(resamples):
        indices = [i for key in rng.choices(keys, k=len(keys)) for i in groups[key]]
        diffs.append(diff(indices))
    diffs.sort()
    tail = (1 - CONFIDENCE) / 2
    low, high = diffs[int(tail * (len(diffs) - 1))], diffs[int(round((1 - tail) * (len(diffs) - 1)))]
    a_value, b_value = float(new.metrics.get(metric, 0.0)), float(current.metrics.get(metric, 0.0))
    passed = low > margin
    return {
        "metric": metric, "new": a_value, "current": b_value, "difference": round(a_value - b_value, 6),
        "low": round(low, 6), "high": round(high, 6), "confidence": CONFIDENCE, "resamples": resamples,
        "groups": len(keys), "margin": margin, "passed": passed,
        "why": (
            f"{metric} {a_value:.4f} vs {b_value:.4f}: improvement {a_value - b_value:+.4f}, 95% interval "
            f"[{low:+.4f}, {high:+.4f}] over {len(keys)} test groups ({resamples} paired resamples); "
            + ("its lower bound clears" if passed else "its lower bound does not clear")
            + f" the margin {margin:+.4f}"
        ),
    }


def golden_check(kind: K.ModelKind, new: Predictions, current: Predictions, *, tolerance: float | None = None) -> dict:
    """The candidate may not lose more than the kind's tolerance on the golden set against what serves now."""
    metric = kind.primary_metric
    tolerance = kind.golden_tolerance if tolerance is None else tolerance
    a_value, b_value = float(new.metrics.get(metric, 0.0)), float(current.metrics.get(metric, 0.0))
    regression = b_value - a_value
    passed = regression <= tolerance
    return {
        "metric": metric, "examples": len(new.examples), "new": a_value, "current": b_value,
        "regression": round(regression, 6), "tolerance": tolerance, "passed": passed,
        "why": (
            f"golden set ({len(new.examples)} examples): {metric} {a_value:.4f} vs {b_value:.4f} now serving; "
            + (f"within the tolerance of {tolerance:.4f}" if passed else f"a regression of {regression:.4f} is beyond the tolerance of {tolerance:.4f}")
        ),
    }
