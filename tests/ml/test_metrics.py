"""Metrics checked against values worked out by hand."""
import math

import pytest

from suite.ml.metrics import (
    METRICS_BY_TASK,
    bio_to_spans,
    classification_metrics,
    multilabel_metrics,
    ranking_metrics,
    rouge_metrics,
    span_metrics,
)

# --- classification ---------------------------------------------------------------------------

# Confusion (rows true, columns predicted):   a  b  c
#                                         a   2  1  0
#                                         b   0  1  1
#                                         c   0  0  1
Y_TRUE = ["a", "a", "a", "b", "b", "c"]
Y_PRED = ["a", "a", "b", "b", "c", "c"]


def test_classification_scores_a_three_label_confusion():
    m = classification_metrics(Y_TRUE, Y_PRED)

    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["per_label"]["a"] == pytest.approx({"precision": 1.0, "recall": 2 / 3, "f1": 0.8, "support": 3})
    assert m["per_label"]["b"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2})
    assert m["per_label"]["c"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1})
    assert m["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)


def test_macro_f1_counts_a_label_that_only_appears_in_predictions():
    m = classification_metrics(["a", "a"], ["a", "b"])

    assert set(m["per_label"]) == {"a", "b"}
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.0) / 2)


def test_macro_f1_averages_over_the_given_labels_even_unseen_ones():
    m = classification_metrics(Y_TRUE, Y_PRED, labels=["a", "b", "c", "d"])

    assert m["per_label"]["d"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert m["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 4)


def test_classification_refuses_empty_or_mismatched_input():
    with pytest.raises(ValueError):
        classification_metrics([], [])
    with pytest.raises(ValueError):
        classification_metrics(["a"], ["a", "b"])


# --- multilabel -------------------------------------------------------------------------------


def test_multilabel_scores_micro_macro_and_exact_match():
    m = multilabel_metrics([["x", "y"], ["x"], ["z"]], [["x"], ["x", "z"], ["z"]])

    # x: tp 2; y: fn 1; z: tp 1, fp 1  ->  micro tp 3, fp 1, fn 1
    assert m["per_label"]["x"]["f1"] == pytest.approx(1.0)
    assert m["per_label"]["y"] == pytest.approx({"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1})
    assert m["per_label"]["z"]["f1"] == pytest.approx(2 / 3)
    assert m["micro_f1"] == pytest.approx(0.75)
    assert m["macro_f1"] == pytest.approx(5 / 9)
    assert m["exact_match"] == pytest.approx(1 / 3)
    assert m["accuracy"] == m["exact_match"]


def test_multilabel_treats_label_order_and_repeats_as_the_same_set():
    m = multilabel_metrics([["a", "b"]], [["b", "a", "a"]])

    assert m["exact_match"] == 1.0
    assert m["micro_f1"] == 1.0


# --- spans ------------------------------------------------------------------------------------


def test_bio_tags_become_token_spans_with_exclusive_ends():
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]

    assert bio_to_spans(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 6, "LOC")]


def test_a_stray_inside_tag_starts_a_span_as_in_seqeval():
    assert bio_to_spans(["O", "I-PER", "I-PER", "O"]) == [(1, 3, "PER")]
    assert bio_to_spans(["B-PER", "I-LOC"]) == [(0, 1, "PER"), (1, 2, "LOC")]


def test_a_span_running_to_the_last_token_is_closed():
    assert bio_to_spans(["O", "B-DATE-RANGE", "I-DATE-RANGE"]) == [(1, 3, "DATE-RANGE")]
    assert bio_to_spans([]) == []


def test_a_tag_that_is_not_bio_is_refused():
    with pytest.raises(ValueError, match="X-PER"):
        bio_to_spans(["X-PER"])


def test_spans_match_only_when_start_end_and_label_all_agree():
    truth = [[(0, 2, "PER"), (3, 4, "LOC")], [(1, 3, "ORG")]]
    pred = [[(0, 2, "PER"), (3, 4, "ORG")], [(1, 2, "ORG")]]  # one wrong label, one wrong boundary

    m = span_metrics(truth, pred)

    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert m["per_label"]["PER"] == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1})
    assert m["per_label"]["LOC"] == pytest.approx({"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1})
    assert m["per_label"]["ORG"] == pytest.approx({"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1})


def test_a_span_in_another_document_does_not_match():
    m = span_metrics([[(0, 1, "PER")], []], [[], [(0, 1, "PER")]])

    assert m["f1"] == 0.0


def test_spans_given_as_json_lists_are_scored_like_tuples():
    m = span_metrics([[[0, 2, "PER"]]], [[[0, 2, "PER"]]])

    assert m["f1"] == 1.0


# --- rouge ------------------------------------------------------------------------------------


def test_identical_text_scores_rouge_one_and_disjoint_text_zero():
    assert rouge_metrics(["the cat sat on the mat"], ["the cat sat on the mat"]) == pytest.approx(
        {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    )
    assert rouge_metrics(["the cat sat"], ["dogs bark loudly"]) == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}


def test_rouge_matches_a_hand_counted_prefix():
    m = rouge_metrics(["the cat sat on the mat"], ["the cat sat"])

    # unigrams 3/3 precise, 3/6 recalled; bigrams 2/2 precise, 2/5 recalled; LCS = 3 tokens
    assert m["rouge1"] == pytest.approx(2 / 3)
    assert m["rouge2"] == pytest.approx(2 * 0.4 / 1.4)
    assert m["rougeL"] == pytest.approx(2 / 3)


def test_rouge_stems_words():
    assert rouge_metrics(["the cats ran"], ["the cat ran"])["rouge1"] == pytest.approx(1.0)


def test_an_empty_prediction_scores_zero_and_counts_in_the_mean():
    m = rouge_metrics(["a summary", "a summary", "a summary"], ["a summary", "", None])

    assert m == pytest.approx({"rouge1": 1 / 3, "rouge2": 1 / 3, "rougeL": 1 / 3})


# --- ranking ----------------------------------------------------------------------------------


def test_the_first_relevant_candidate_at_rank_two_gives_mrr_one_half():
    assert ranking_metrics([([0, 1, 0], [0.9, 0.5, 0.1])])["mrr"] == pytest.approx(0.5)


def test_ndcg_uses_graded_gain_and_a_log2_discount():
    m = ranking_metrics([([0, 2, 1], [0.9, 0.8, 0.7])])

    dcg = 0 + 3 / math.log2(3) + 1 / math.log2(4)
    ideal = 3 + 1 / math.log2(3)
    assert m["ndcg@10"] == pytest.approx(dcg / ideal)
    assert m["ndcg@10"] == pytest.approx(0.6590, abs=1e-4)


def test_a_perfect_ranking_scores_one():
    assert ranking_metrics([([3, 2, 0], [0.9, 0.5, 0.1])]) == pytest.approx({"mrr": 1.0, "ndcg@10": 1.0})


def test_ndcg_ignores_candidates_past_k_and_names_its_key_after_k():
    m = ranking_metrics([([0, 0, 1], [3.0, 2.0, 1.0])], k=2)

    assert m == pytest.approx({"mrr": 1 / 3, "ndcg@2": 0.0})


def test_tied_scores_keep_the_original_order():
    assert ranking_metrics([([0, 1], [0.5, 0.5])])["mrr"] == 0.5
    assert ranking_metrics([([1, 0], [0.5, 0.5])])["mrr"] == 1.0


def test_queries_without_a_relevant_candidate_are_left_out_of_the_mean():
    groups = [([0, 0], [1.0, 2.0]), ([0, 1, 0], [0.9, 0.5, 0.1]), ([1, 0], [2.0, 1.0])]

    assert ranking_metrics(groups)["mrr"] == pytest.approx(0.75)
    assert ranking_metrics([([0, 0], [1.0, 2.0])]) == {"mrr": 0.0, "ndcg@10": 0.0}
    assert ranking_metrics([]) == {"mrr": 0.0, "ndcg@10": 0.0}


# --- the catalogue ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "task, metrics",
    [
        ("classification", classification_metrics(["a", "b"], ["a", "a"])),
        ("multilabel", multilabel_metrics([["a"]], [["a"]])),
        ("token_classification", span_metrics([[(0, 1, "A")]], [[(0, 1, "A")]])),
        ("ranking", ranking_metrics([([1, 0], [1.0, 0.0])])),
        ("extractive_summary", rouge_metrics(["a b"], ["a b"])),
        ("seq2seq", rouge_metrics(["a b"], ["a b"])),
    ],
)
def test_every_task_reports_the_metrics_it_declares(task, metrics):
    assert set(METRICS_BY_TASK[task]) <= set(metrics)


def test_the_catalogue_covers_every_task_type():
    assert set(METRICS_BY_TASK) == {
        "classification", "multilabel", "token_classification", "ranking", "extractive_summary", "seq2seq"
    }
