"""Seeded, leak-free train/validation/test splits: whole groups go to one split, labels stay balanced."""
from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Hashable

SPLITS = ("train", "validation", "test")


class SplitError(ValueError):
    pass


def _groups(examples: list[dict], group_key: str) -> dict[Hashable, list[int]]:
    groups: dict[Hashable, list[int]] = {}
    for i, example in enumerate(examples):
        group = example.get(group_key)
        # Tagged keys keep an ungrouped example's own index from colliding with a real group named 3.
        key = ("own", i) if group is None else ("group", group)
        groups.setdefault(key, []).append(i)
    return groups


def _normalised(ratios: tuple[float, float, float]) -> tuple[float, ...]:
    if len(ratios) != len(SPLITS) or any(r <= 0 for r in ratios):
        raise SplitError(f"ratios must be three positive numbers (train, validation, test); got {ratios}")
    total = sum(ratios)
    return tuple(r / total for r in ratios)


def split_examples(
    examples: list[dict],
    *,
    seed: int,
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1),
    group_key: str = "group",
    label_of: Callable[[dict], str | None] | None = None,
) -> list[str]:
    """Assign each example to "train", "validation" or "test", keeping groups whole and labels stratified."""
    ratios = _normalised(ratios)
    groups = _groups(examples, group_key)
    if len(groups) < 3:
        raise SplitError(
            "need at least 3 groups (documents, conversations, resumes) to split into "
            f"train/validation/test; got {len(groups)}"
        )
    labels = [label_of(example) if label_of else None for example in examples]
    group_labels = {key: Counter(labels[i] for i in members) for key, members in groups.items()}

    # Every label (None included, which is all of them without label_of) wants its share in each split.
    label_totals = Counter(labels)
    wanted = [{label: ratio * n for label, n in label_totals.items()} for ratio in ratios]
    filled = [Counter() for _ in SPLITS]

    order = list(groups)
    random.Random(seed).shuffle(order)
    # Large groups first so small ones can even out the remainder; groups of similar size keep
    # the seeded order, so the seed matters even when every group has a different size.
    order.sort(key=lambda key: -int(math.log2(len(groups[key]))))

    assigned: list[list[Hashable]] = [[] for _ in SPLITS]
    for key in order:
        counts = group_labels[key]

        def deficit(s: int) -> float:
            return sum(n * (wanted[s][label] - filled[s][label]) for label, n in counts.items())

        best = max(range(len(SPLITS)), key=deficit)
        assigned[best].append(key)
        filled[best].update(counts)

    # Tiny inputs can leave a split empty; give it the most recently placed group of the fullest split.
    for s, keys in enumerate(assigned):
        if not keys:
            donor = max(range(len(SPLITS)), key=lambda d: len(assigned[d]))
            keys.append(assigned[donor].pop())

    result = [""] * len(examples)
    for s, keys in enumerate(assigned):
        for key in keys:
            for i in groups[key]:
                result[i] = SPLITS[s]
    return result


def split_summary(splits: list[str], labels: list[str | None] | None = None) -> dict:
    """Examples per split, and per label per split when labels are given (unlabelled ones not counted)."""
    summary: dict[str, dict] = {name: {"examples": 0} for name in SPLITS}
    for name in splits:
        summary[name]["examples"] += 1
    if labels is not None:
        if len(labels) != len(splits):
            raise ValueError(f"got {len(splits)} splits but {len(labels)} labels")
        per_split = {name: Counter() for name in SPLITS}
        for name, label in zip(splits, labels):
            if label is not None:
                per_split[name][label] += 1
        for name, counts in per_split.items():
            summary[name]["labels"] = dict(sorted(counts.items()))
    return summary
