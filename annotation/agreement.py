"""Inter-annotator agreement: how far two or more people labelling the same items agree.

Pure functions, no Django: callers pass plain labels (``str``, ``int``, any hashable) gathered from
annotations, and get a number back.

- ``cohen_kappa``: two annotators, nominal labels, the same items in the same order.
- ``fleiss_kappa`` / ``fleiss_kappa_from_counts``: a constant number of raters per item.
- ``krippendorff_alpha``: any number of coders, missing values allowed; nominal, ordinal,
  interval or ratio data (coincidence-matrix formulation, Krippendorff 2011).
- ``span_f1``: two annotators' spans on one text, exact or overlapping matches.
- ``pairwise_mean``: a two-annotator metric averaged over every pair that shares items.
- ``annotator_agreement_with_reference``: each annotator against the adjudicated label.

Degenerate data, where chance agreement is already perfect (everyone always used the one same
label), counts as perfect agreement (1.0) rather than an undefined 0/0.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence

LEVELS = ("nominal", "ordinal", "interval", "ratio")

Span = tuple[int, int, str]


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa between two annotators' nominal labels for the same items, in the same order."""
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs two label lists of equal length, got {len(a)} and {len(b)}")
    if not a:
        raise ValueError("cohen_kappa needs at least one item")
    n = len(a)
    observed = sum(1 for x, y in zip(a, b) if x == y) / n
    counts_a, counts_b = Counter(a), Counter(b)
    expected = sum(counts_a[label] * counts_b[label] for label in counts_a) / (n * n)
    if math.isclose(expected, 1.0):
        # Both used one single label throughout, so they also agree on every item.
        return 1.0
    return (observed - expected) / (1.0 - expected)


def fleiss_kappa(ratings: Sequence[Sequence[Hashable]]) -> float:
    """Fleiss' kappa from each item's list of labels, with the same number (>= 2) of raters per item."""
    if not ratings:
        raise ValueError("fleiss_kappa needs at least one item")
    categories: dict[Hashable, int] = {}
    for labels in ratings:
        for label in labels:
            categories.setdefault(label, len(categories))
    counts = []
    for labels in ratings:
        row = [0] * len(categories)
        for label in labels:
            row[categories[label]] += 1
        counts.append(row)
    return fleiss_kappa_from_counts(counts)


def fleiss_kappa_from_counts(counts: Sequence[Sequence[int]]) -> float:
    """Fleiss' kappa from an items x categories matrix counting how many raters chose each category."""
    if not counts:
        raise ValueError("fleiss_kappa needs at least one item")
    width = len(counts[0])
    if width == 0:
        raise ValueError("fleiss_kappa needs at least one category")
    for row in counts:
        if len(row) != width:
            raise ValueError("every row of the count matrix must have one count per category")
        if any(not isinstance(c, int) or isinstance(c, bool) or c < 0 for c in row):
            raise ValueError("counts must be non-negative integers")
    raters = sum(counts[0])
    if raters < 2:
        raise ValueError(f"fleiss_kappa needs at least 2 raters per item, got {raters}")
    if any(sum(row) != raters for row in counts):
        raise ValueError("fleiss_kappa needs the same number of raters for every item")

    items = len(counts)
    # Share of pairs of raters agreeing on each item, then averaged.
    per_item = [(sum(c * c for c in row) - raters) / (raters * (raters - 1)) for row in counts]
    observed = sum(per_item) / items
    shares = [sum(row[j] for row in counts) / (items * raters) for j in range(width)]
    expected = sum(p * p for p in shares)
    if math.isclose(expected, 1.0):
        return 1.0
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(units: Sequence[Sequence[object]], *, level: str = "interval") -> float:
    """Krippendorff's alpha from units x coders reliability data (None or NaN for a missing value)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")

    # Coincidence matrix: each unit with m >= 2 values adds its m(m-1) ordered pairs of values
    # from different coders, each weighted 1/(m-1).
    coincidences: Counter = Counter()
    for unit in units:
        values = Counter(v for v in unit if not _missing(v))
        pairable = sum(values.values())
        if pairable < 2:
            continue
        for c, k in itertools.product(values, repeat=2):
            pairs = values[c] * (values[k] - (1 if c == k else 0))
            if pairs:
                coincidences[c, k] += pairs / (pairable - 1)
    if not coincidences:
        raise ValueError("krippendorff_alpha needs at least one unit with two or more values")

    marginals: Counter = Counter()
    for (c, _k), weight in coincidences.items():
        marginals[c] += weight
    n = sum(marginals.values())
    values = sorted(marginals) if level != "nominal" else list(marginals)
    delta = _metric(level, values, marginals)

    observed = sum(weight * delta(c, k) for (c, k), weight in coincidences.items())
    expected = sum(marginals[c] * marginals[k] * delta(c, k) for c in values for k in values)
    if expected == 0:
        # A single value throughout: no disagreement possible, none observed.
        return 1.0
    return 1.0 - (n - 1) * observed / expected


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _metric(level: str, values: list, marginals: Counter) -> Callable[[object, object], float]:
    """The squared difference function delta^2(c, k) for a level of measurement."""
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: float(c - k) ** 2
    if level == "ratio":
        return lambda c, k: 0.0 if c == k else float((c - k) / (c + k)) ** 2
    # Ordinal: distance is the number of pairable values lying between c and k (half of each end).
    cumulative: dict[object, float] = {}
    running = 0.0
    for value in values:
        cumulative[value] = running + marginals[value] / 2
        running += marginals[value]
    return lambda c, k: (cumulative[c] - cumulative[k]) ** 2


def span_f1(a: Sequence[Span], b: Sequence[Span], *, partial: bool = False) -> float:
    """F1 between two annotators' (start, end, label) spans on one text; partial counts overlaps of the same label."""
    for start, end, _label in (*a, *b):
        if end < start:
            raise ValueError(f"span ends before it starts: ({start}, {end})")
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    if partial:
        matched = _overlap_matches(list(a), list(b))
    else:
        matched = sum((Counter(map(tuple, a)) & Counter(map(tuple, b))).values())
    # Precision on b against reference a, recall of a; their harmonic mean is symmetric.
    return 2 * matched / (len(a) + len(b))


def _overlap_matches(a: list[Span], b: list[Span]) -> int:
    """Size of a maximum one-to-one matching of overlapping, same-label spans (augmenting paths)."""
    partners = [
        [j for j, (s2, e2, l2) in enumerate(b) if l1 == l2 and (max(s1, s2) < min(e1, e2) or (s1, e1) == (s2, e2))]
        for s1, e1, l1 in a
    ]
    owner: dict[int, int] = {}

    def claim(i: int, seen: set[int]) -> bool:
        for j in partners[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or claim(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(a)) if claim(i, set()))


def pairwise_mean(
    per_item_labels: dict[str, dict[str, object]],
    metric: Callable[[list, list], float] = cohen_kappa,
) -> float | None:
    """Mean of a two-annotator metric over annotator pairs sharing at least 2 items; None if no pair does."""
    annotators = sorted({name for labels in per_item_labels.values() for name in labels})
    scores = []
    for first, second in itertools.combinations(annotators, 2):
        shared = [
            item
            for item in sorted(per_item_labels)
            if first in per_item_labels[item] and second in per_item_labels[item]
        ]
        if len(shared) < 2:
            continue
        scores.append(
            metric(
                [per_item_labels[item][first] for item in shared],
                [per_item_labels[item][second] for item in shared],
            )
        )
    if not scores:
        return None
    return sum(scores) / len(scores)


def annotator_agreement_with_reference(
    per_item_labels: dict[str, dict[str, object]],
    reference: dict[str, object],
) -> dict[str, float]:
    """Per annotator, the share of their referenced items whose label matches the adjudicated one."""
    matches: Counter = Counter()
    totals: Counter = Counter()
    for item, labels in per_item_labels.items():
        if item not in reference:
            continue
        for annotator, label in labels.items():
            totals[annotator] += 1
            matches[annotator] += label == reference[item]
    # Annotators with no referenced item have no share to report and are left out.
    return {annotator: matches[annotator] / totals[annotator] for annotator in sorted(totals)}
