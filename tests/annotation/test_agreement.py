"""Agreement measures reproduce published worked examples and refuse data they cannot score."""
import pytest

from annotation.agreement import (
    annotator_agreement_with_reference,
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    krippendorff_alpha,
    pairwise_mean,
    span_f1,
)

# --- Cohen's kappa ---------------------------------------------------------------------------


def textbook_pairs():
    """50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15."""
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    return [x for x, _ in pairs], [y for _, y in pairs]


def test_cohen_kappa_on_the_textbook_two_by_two_table_is_0_4():
    # p_o = 35/50 = 0.7; p_e = (25*30 + 25*20) / 50^2 = 0.5; kappa = (0.7 - 0.5) / 0.5
    a, b = textbook_pairs()

    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(a=b, b=a) == pytest.approx(0.4)


def test_cohen_kappa_is_1_for_identical_labels_and_minus_1_for_balanced_opposites():
    assert cohen_kappa(["x", "y", "z"], ["x", "y", "z"]) == pytest.approx(1.0)
    assert cohen_kappa(["y", "n"], ["n", "y"]) == pytest.approx(-1.0)


def test_cohen_kappa_counts_one_shared_label_throughout_as_perfect_agreement():
    assert cohen_kappa(["spam"] * 4, ["spam"] * 4) == 1.0


def test_cohen_kappa_refuses_lists_of_different_length():
    with pytest.raises(ValueError):
        cohen_kappa(["a", "b"], ["a"])


def test_cohen_kappa_refuses_empty_input():
    with pytest.raises(ValueError):
        cohen_kappa([], [])


# --- Fleiss' kappa ---------------------------------------------------------------------------

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
WIKIPEDIA_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_reproduces_the_wikipedia_worked_example():
    # P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210
    assert round(fleiss_kappa_from_counts(WIKIPEDIA_COUNTS), 3) == 0.210
    assert fleiss_kappa_from_counts(counts=WIKIPEDIA_COUNTS) == pytest.approx(0.20993, abs=1e-5)


def test_fleiss_kappa_from_label_lists_matches_the_count_matrix():
    categories = ["c1", "c2", "c3", "c4", "c5"]
    ratings = [
        [label for label, count in zip(categories, row) for _ in range(count)] for row in WIKIPEDIA_COUNTS
    ]

    assert fleiss_kappa(ratings) == pytest.approx(fleiss_kappa_from_counts(WIKIPEDIA_COUNTS))


def test_fleiss_kappa_is_1_when_every_rater_agrees_on_every_item():
    assert fleiss_kappa([["a", "a", "a"], ["b", "b", "b"]]) == pytest.approx(1.0)
    assert fleiss_kappa([["a", "a"], ["a", "a"]]) == 1.0


def test_fleiss_kappa_refuses_a_varying_number_of_raters():
    with pytest.raises(ValueError):
        fleiss_kappa([["a", "b", "a"], ["a", "b"]])
    with pytest.raises(ValueError):
        fleiss_kappa_from_counts([[1, 2], [2, 2]])


def test_fleiss_kappa_refuses_a_single_rater_and_empty_input():
    with pytest.raises(ValueError):
        fleiss_kappa([["a"], ["b"]])
    with pytest.raises(ValueError):
        fleiss_kappa([])
    with pytest.raises(ValueError):
        fleiss_kappa_from_counts([])


def test_fleiss_kappa_refuses_ragged_or_negative_counts():
    with pytest.raises(ValueError):
        fleiss_kappa_from_counts([[1, 1], [1, 1, 0]])
    with pytest.raises(ValueError):
        fleiss_kappa_from_counts([[3, -1], [1, 1]])


# --- Krippendorff's alpha --------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: coders A-D over 12
# units, written here as units (rows) x coders (columns).
_ = None
KRIPPENDORFF_UNITS = [
    [1, 1, _, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [_, 5, 5, 5],
    [_, _, 1, 1],
    [_, 3, _, _],
]


@pytest.mark.parametrize(
    "level, published",
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_reproduces_the_published_example(level, published):
    assert round(krippendorff_alpha(KRIPPENDORFF_UNITS, level=level), 3) == published


def test_krippendorff_alpha_defaults_to_interval():
    assert krippendorff_alpha(KRIPPENDORFF_UNITS) == krippendorff_alpha(KRIPPENDORFF_UNITS, level="interval")


def test_krippendorff_alpha_ignores_units_with_fewer_than_two_values():
    lone_values = KRIPPENDORFF_UNITS + [[5, _, _, _], [_, _, _, _]]

    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(lone_values, level=level) == pytest.approx(
            krippendorff_alpha(KRIPPENDORFF_UNITS, level=level)
        )


def test_krippendorff_alpha_treats_nan_as_missing():
    with_nan = [[float("nan") if v is None else v for v in unit] for unit in KRIPPENDORFF_UNITS]

    assert krippendorff_alpha(with_nan, level="interval") == pytest.approx(
        krippendorff_alpha(KRIPPENDORFF_UNITS, level="interval")
    )


def test_krippendorff_alpha_is_1_for_perfect_agreement():
    units = [[1, 1, 1], [3, 3, _], [5, 5, 5]]

    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(units, level=level) == pytest.approx(1.0)
    assert krippendorff_alpha([[4, 4], [4, 4]], level="ordinal") == 1.0


def test_krippendorff_alpha_nominal_accepts_text_labels():
    as_text = [[None if v is None else f"label-{v}" for v in unit] for unit in KRIPPENDORFF_UNITS]

    assert round(krippendorff_alpha(as_text, level="nominal"), 3) == 0.743


def test_krippendorff_alpha_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        krippendorff_alpha(KRIPPENDORFF_UNITS, level="cardinal")


def test_krippendorff_alpha_refuses_data_with_no_pairable_unit():
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, _, _], [_, 2, _]])
    with pytest.raises(ValueError):
        krippendorff_alpha([])


# --- span F1 ---------------------------------------------------------------------------------

REFERENCE_SPANS = [(0, 5, "PER"), (10, 20, "ORG"), (30, 34, "LOC")]


def test_span_f1_exact_counts_only_identical_spans():
    other = [(0, 5, "PER"), (12, 20, "ORG"), (30, 34, "DATE"), (40, 44, "LOC")]

    # one match; precision 1/4, recall 1/3 -> F1 = 2 * 1 / (3 + 4)
    assert span_f1(REFERENCE_SPANS, other) == pytest.approx(2 / 7)
    assert span_f1(REFERENCE_SPANS, REFERENCE_SPANS) == pytest.approx(1.0)


def test_span_f1_partial_counts_overlaps_with_the_same_label():
    other = [(0, 5, "PER"), (12, 20, "ORG"), (30, 34, "DATE"), (40, 44, "LOC")]

    # PER and ORG overlap with the same label; the DATE/LOC overlap differs in label -> 2 matches
    assert span_f1(REFERENCE_SPANS, other, partial=True) == pytest.approx(4 / 7)


def test_span_f1_is_symmetric():
    other = [(1, 4, "PER"), (15, 25, "ORG")]

    for partial in (False, True):
        assert span_f1(REFERENCE_SPANS, other, partial=partial) == pytest.approx(
            span_f1(other, REFERENCE_SPANS, partial=partial)
        )


def test_span_f1_partial_matches_each_span_at_most_once():
    # two short spans inside one long one: only one can be its match
    assert span_f1([(0, 10, "X")], [(0, 3, "X"), (5, 8, "X")], partial=True) == pytest.approx(2 / 3)


def test_span_f1_partial_finds_the_largest_matching_not_the_first_one():
    # pairing (0, 10) with (9, 11) first would leave (8, 12) alone; both can be matched
    a = [(0, 10, "X"), (8, 12, "X")]
    b = [(9, 11, "X"), (0, 2, "X")]

    assert span_f1(a, b, partial=True) == pytest.approx(1.0)


def test_span_f1_partial_does_not_count_touching_spans_as_overlapping():
    assert span_f1([(0, 5, "X")], [(5, 10, "X")], partial=True) == 0.0


def test_span_f1_of_two_empty_span_sets_is_1_and_of_one_empty_set_is_0():
    assert span_f1([], []) == 1.0
    assert span_f1([], [], partial=True) == 1.0
    assert span_f1(REFERENCE_SPANS, []) == 0.0
    assert span_f1([], REFERENCE_SPANS, partial=True) == 0.0


def test_span_f1_refuses_a_span_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        span_f1([(5, 2, "X")], [(2, 5, "X")])


# --- pairwise mean and agreement with the reference ------------------------------------------

PER_ITEM = {
    "i1": {"alice": "y", "bob": "y", "carol": "y"},
    "i2": {"alice": "y", "bob": "n", "carol": "y"},
    "i3": {"alice": "n", "bob": "n", "carol": "n"},
    "i4": {"alice": "n", "bob": "n", "dave": "y"},
}


def test_pairwise_mean_averages_cohen_kappa_over_pairs_sharing_two_items():
    # alice-bob 0.5 (4 items), alice-carol 1.0 and bob-carol 0.4 (3 items); dave shares one item only
    assert pairwise_mean(PER_ITEM) == pytest.approx((0.5 + 1.0 + 0.4) / 3)


def test_pairwise_mean_takes_any_two_annotator_metric():
    def raw_agreement(a, b):
        return sum(x == y for x, y in zip(a, b)) / len(a)

    # alice-bob 3/4, alice-carol 3/3, bob-carol 2/3
    assert pairwise_mean(PER_ITEM, metric=raw_agreement) == pytest.approx((3 / 4 + 1 + 2 / 3) / 3)


def test_pairwise_mean_is_none_when_no_pair_shares_two_items():
    assert pairwise_mean({"i1": {"alice": "y", "bob": "n"}, "i2": {"alice": "y"}}) is None
    assert pairwise_mean({}) is None


def test_agreement_with_reference_is_each_annotators_share_of_matching_items():
    reference = {"i1": "y", "i2": "n", "i3": "n", "i4": "n", "i9": "y"}

    assert annotator_agreement_with_reference(PER_ITEM, reference) == pytest.approx(
        {"alice": 3 / 4, "bob": 1.0, "carol": 2 / 3, "dave": 0.0}
    )


def test_agreement_with_reference_skips_items_without_a_reference():
    reference = {"i1": "y"}

    assert annotator_agreement_with_reference(PER_ITEM, reference=reference) == {
        "alice": 1.0,
        "bob": 1.0,
        "carol": 1.0,
    }
