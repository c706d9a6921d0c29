"""Splits keep groups whole, follow the ratios, keep labels balanced and repeat for the same seed."""
import random
from collections import defaultdict

import pytest

from suite.ml.splits import SPLITS, SplitError, split_examples, split_summary


def corpus(seed: int, n_groups: int, max_size: int = 6, minority: float = 0.1) -> list[dict]:
    """Documents of random size; each document's pieces mostly share one label, a few are "rare"."""
    rng = random.Random(seed)
    examples = []
    for g in range(n_groups):
        label = "rare" if rng.random() < minority else "common"
        for _ in range(rng.randint(1, max_size)):
            examples.append({"group": f"doc-{g}", "label": label if rng.random() < 0.9 else "other"})
    return examples


def label(example: dict) -> str:
    return example["label"]


def share(splits: list[str], name: str) -> float:
    return splits.count(name) / len(splits)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("stratified", [False, True])
def test_a_group_never_straddles_two_splits(seed, stratified):
    n_groups = random.Random(seed).randint(3, 80)
    examples = corpus(seed, n_groups)

    splits = split_examples(examples, seed=seed, label_of=label if stratified else None)

    sides = defaultdict(set)
    for example, side in zip(examples, splits):
        sides[example["group"]].add(side)
    assert all(len(s) == 1 for s in sides.values())
    assert set(splits) == set(SPLITS)


@pytest.mark.parametrize("seed", range(5))
def test_three_groups_give_each_split_one_even_when_labels_pull_them_together(seed):
    # Stratifying alone would send all three to train: each label's train deficit is the largest.
    examples = [{"group": "big", "label": "a"}] * 10 + [{"group": "x", "label": "b"}, {"group": "y", "label": "b"}]

    splits = split_examples(examples, seed=seed, label_of=label)

    assert set(splits) == set(SPLITS)
    assert len({splits[-1], splits[-2]}) == 2


@pytest.mark.parametrize("ratios", [(0.8, 0.1, 0.1), (0.6, 0.2, 0.2), (8, 1, 1)])
def test_split_sizes_follow_the_ratios_on_a_large_input(ratios):
    splits = split_examples(corpus(1, 2000), seed=7, ratios=ratios)

    total = sum(ratios)
    for name, ratio in zip(SPLITS, ratios):
        assert share(splits, name) == pytest.approx(ratio / total, abs=0.01)


@pytest.mark.parametrize("seed", range(3))
def test_stratification_keeps_a_minority_labels_share_in_every_split(seed):
    examples = corpus(seed, 1500, minority=0.08)
    labels = [e["label"] for e in examples]
    overall = labels.count("rare") / len(labels)

    splits = split_examples(examples, seed=seed, label_of=label)

    for name in SPLITS:
        in_split = [lab for lab, side in zip(labels, splits) if side == name]
        assert in_split.count("rare") / len(in_split) == pytest.approx(overall, abs=0.01)
        assert share(splits, name) == pytest.approx({"train": 0.8}.get(name, 0.1), abs=0.01)


def test_the_same_seed_gives_the_same_split():
    examples = corpus(3, 300)

    assert split_examples(examples, seed=42, label_of=label) == split_examples(examples, seed=42, label_of=label)


@pytest.mark.parametrize("max_size", [1, 6])
def test_a_different_seed_gives_a_different_split(max_size):
    examples = corpus(3, 300, max_size=max_size)

    assert split_examples(examples, seed=1) != split_examples(examples, seed=2)


def test_an_example_without_a_group_is_its_own_group():
    splits = split_examples([{"text": "a"}, {"group": None}, {"text": "c"}], seed=0)

    assert sorted(splits) == sorted(SPLITS)


def test_groups_can_be_read_from_another_key():
    examples = [{"conversation": c} for c in (1, 1, 2, 2, 3, 3)]

    splits = split_examples(examples, seed=0, group_key="conversation")

    assert splits[0] == splits[1] and splits[2] == splits[3] and splits[4] == splits[5]
    assert set(splits) == set(SPLITS)


def test_fewer_than_three_groups_is_refused_with_a_clear_message():
    examples = [{"group": "a"}, {"group": "a"}, {"group": "b"}]

    with pytest.raises(SplitError, match=r"need at least 3 groups \(documents, conversations, resumes\).*got 2"):
        split_examples(examples, seed=0)
    assert issubclass(SplitError, ValueError)


@pytest.mark.parametrize("ratios", [(0.9, 0.1, 0.0), (0.8, -0.1, 0.3), (0.5, 0.5)])
def test_ratios_that_would_leave_a_split_empty_are_refused(ratios):
    with pytest.raises(SplitError, match="ratios"):
        split_examples([{}] * 10, seed=0, ratios=ratios)


def test_split_summary_counts_examples_and_labels_per_split():
    splits = ["train", "train", "validation", "test", "train"]
    labels = ["a", "b", "a", None, "a"]

    assert split_summary(splits) == {"train": {"examples": 3}, "validation": {"examples": 1}, "test": {"examples": 1}}
    assert split_summary(splits, labels) == {
        "train": {"examples": 3, "labels": {"a": 2, "b": 1}},
        "validation": {"examples": 1, "labels": {"a": 1}},
        "test": {"examples": 1, "labels": {}},
    }
