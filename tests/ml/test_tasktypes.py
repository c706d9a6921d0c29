"""Task-type classes: each refuses answers of the wrong shape, and what it encodes it decodes back."""
import ast
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import torch

from suite.ml import kinds as K
from suite.ml.engine.hparams import Hyperparameters
from suite.ml.engine.loop import fit_loop
from suite.ml.tasktypes import (
    TASK_TYPES,
    rating_from_relevance,
    rating_problem,
    relevance_from_rating,
    task_type_for,
)

LABELS = ("positive", "negative")
SPAN_LABELS = ("SKILL", "TOOL")
TEXT = "I know python and excel"


def problem(task_type, answer, *, task_input=TEXT, labels=LABELS):
    return task_type_for(task_type).answer_problem(answer, task_input=task_input, labels=labels, kind_name="tests.k")


def test_task_type_for_finds_a_kinds_task_type_by_the_kind_or_by_name_and_refuses_an_unknown_name():
    assert task_type_for(K.get_kind("tests.sentiment")) is task_type_for(K.CLASSIFICATION)
    assert [task_type_for(name).name for name in TASK_TYPES] == list(TASK_TYPES)
    with pytest.raises(ValueError, match="'translation' is not one of"):
        task_type_for("translation")


def test_a_kind_of_a_labelled_task_type_without_labels_is_refused_at_registration():
    class Unlabelled(K.ModelKind):
        name, task_type = "tests.unlabelled", K.MULTILABEL

    with pytest.raises(ValueError, match="must declare its labels"):
        K.register(Unlabelled)
    assert "tests.unlabelled" not in {k.name for k in K.all_kinds()}


@pytest.mark.parametrize(
    "task_type, answer, why",
    [
        (K.CLASSIFICATION, ["positive"], "a classification answer is text"),
        (K.CLASSIFICATION, "neutral", "unknown label 'neutral'; tests.k knows"),
        (K.MULTILABEL, "positive", "a multilabel answer is a list of labels"),
        (K.MULTILABEL, ["positive", 3], "a multilabel answer is a list of labels"),
        (K.MULTILABEL, ["positive", "neutral"], "unknown label 'neutral'"),
        (K.RANKING, True, "a ranking answer is a number"),
        (K.RANKING, "4", "a ranking answer is a number"),
        (K.EXTRACTIVE_SUMMARY, [0, 2], "an extractive summary answer is {'selected'"),
        (K.EXTRACTIVE_SUMMARY, {"selected": "0,2"}, "an extractive summary answer is {'selected'"),
        (K.SEQ2SEQ, {"text": "hi"}, "a seq2seq answer is text"),
    ],
)
def test_answers_of_the_wrong_shape_are_refused_with_the_shape_named(task_type, answer, why):
    assert why in problem(task_type, answer)


@pytest.mark.parametrize(
    "spans, why",
    [
        ("7-13 SKILL", "spans are a list of [start, end, label]"),
        ([[7, 13]], "is not [start, end, label]"),
        ([[7.0, 13, "SKILL"]], "is not [start, end, label]"),
        ([[7, 13, "LANGUAGE"]], "unknown label 'LANGUAGE'"),
        ([[13, 7, "SKILL"]], "outside the text"),
        ([[18, 40, "TOOL"]], "outside the text, which has 23 characters"),
    ],
)
def test_spans_that_are_malformed_unknown_or_outside_the_text_are_refused(spans, why):
    assert why in problem(K.TOKEN_CLASSIFICATION, spans, labels=SPAN_LABELS)


@pytest.mark.parametrize(
    "task_type, answer, task_input, labels",
    [
        (K.CLASSIFICATION, "negative", TEXT, LABELS),
        (K.MULTILABEL, ["positive", "negative"], TEXT, LABELS),
        (K.MULTILABEL, [], TEXT, LABELS),
        (K.TOKEN_CLASSIFICATION, [[7, 13, "SKILL"], [18, 23, "TOOL"]], TEXT, SPAN_LABELS),
        (K.RANKING, 4, {"query": "q", "candidate": "c"}, ()),
        (K.EXTRACTIVE_SUMMARY, {"selected": [0]}, {"sentences": ["a.", "b."]}, ()),
        (K.SEQ2SEQ, "a better answer", TEXT, ()),
    ],
)
def test_answers_of_the_right_shape_pass(task_type, answer, task_input, labels):
    assert problem(task_type, answer, task_input=task_input, labels=labels) is None


def test_a_text_task_wants_non_empty_text_and_an_object_task_a_json_object():
    assert task_type_for(K.CLASSIFICATION).input_problem("  ") == "the input must be non-empty text"
    assert task_type_for(K.SEQ2SEQ).input_problem("a question") is None
    assert task_type_for(K.RANKING).input_problem("q") == "a ranking input is a JSON object"
    assert task_type_for(K.EXTRACTIVE_SUMMARY).input_problem({"sentences": []}) is None


def test_classification_targets_encode_to_label_indices_and_decode_back_from_logits():
    task = task_type_for(K.CLASSIFICATION)
    examples = [{"input": "good", "target": "positive"}, {"input": "bad", "target": "negative"}]
    items = task.training_items(examples, LABELS, "[SEP]")
    assert items.texts == ["good", "bad"] and items.targets.tolist() == [0, 1]

    logits = torch.nn.functional.one_hot(items.targets, len(LABELS)).float().numpy() * 5
    decoded = task.decode(logits, LABELS)
    assert [p["label"] for p in decoded] == ["positive", "negative"]
    assert [task.answer_from_prediction(p, "classification") for p in decoded] == ["positive", "negative"]
    assert task.output_size(LABELS) == 2


def test_multilabel_targets_encode_to_label_vectors_and_decode_back_from_logits():
    task = task_type_for(K.MULTILABEL)
    examples = [{"input": "x", "target": ["negative"]}, {"input": "y", "target": ["positive", "negative"]}]
    items = task.training_items(examples, LABELS, "[SEP]")
    assert items.targets.tolist() == [[0.0, 1.0], [1.0, 1.0]]

    decoded = task.decode((items.targets.numpy() * 2 - 1) * 5, LABELS)
    answers = [task.answer_from_prediction(p, "classification") for p in decoded]
    assert answers == [["negative"], ["positive", "negative"]]


def test_ranking_pairs_are_one_text_and_ratings_round_trip_through_relevance():
    task = task_type_for(K.RANKING)
    items = task.training_items([{"input": {"query": "q", "candidate": "c"}, "target": 3.0}], (), "[SEP]")
    assert items.texts == ["q [SEP] c"] and items.targets.tolist() == [[1.0]]  # relevance is capped at 1

    for rating in range(1, 6):
        relevance = task.target_from_answer(rating, "rating")
        assert relevance == relevance_from_rating(rating)
        assert task.answer_from_prediction({"score": relevance}, "rating") == rating == rating_from_relevance(relevance)
    assert task.target_from_answer(0.7, "correction") == 0.7  # only ratings are rescaled


def test_an_extractive_summary_trains_one_item_per_sentence_and_selects_the_best_in_document_order():
    task = task_type_for(K.EXTRACTIVE_SUMMARY)
    examples = [{"input": {"sentences": ["a.", "b.", "c."]}, "target": {"selected": [2, 0]}}]
    items = task.training_items(examples, (), "[SEP]")
    assert items.texts == ["a.", "b.", "c."] and items.targets.tolist() == [[1.0], [0.0], [1.0]]

    class Scores:  # an encoder model that scores sentence i with logit i
        sep, labels = "[SEP]", ()

        def sequence_logits(self, texts):
            return np.asarray([[float(i)] for i in range(len(texts))])

    predicted = task.predict(Scores(), [{"sentences": ["a.", "b.", "c."], "k": 2}])[0]
    assert predicted["selected"] == [1, 2]
    assert task.answer_from_prediction(predicted, "correction") == {"selected": [1, 2]}


def test_token_classification_has_bio_outputs_and_a_weighted_outside_tag():
    task = task_type_for(K.TOKEN_CLASSIFICATION)
    assert task.output_size(SPAN_LABELS) == 5  # O, B-/I-SKILL, B-/I-TOOL
    logits = torch.zeros(1, 2, 5)
    tags = torch.tensor([[0, -100]])
    assert task.loss(SPAN_LABELS)(logits, tags).item() == pytest.approx(np.log(5))
    assert task.answer_from_prediction({"spans": [[7, 13, "SKILL", 0.9]]}, "spans") == [[7, 13, "SKILL"]]


def test_label_mapping_renames_and_drops_labels_inside_each_answer_shape():
    mapped = {"competence": "SKILL", "good": "positive"}.get
    spans = [[7, 13, "competence"], [18, 23, "x"]]
    assert task_type_for(K.TOKEN_CLASSIFICATION).relabel(spans, mapped) == [[7, 13, "SKILL"]]
    assert task_type_for(K.MULTILABEL).relabel(["good", "x", "good"], mapped) == ["positive"]
    assert task_type_for(K.CLASSIFICATION).relabel("x", mapped) is None
    assert task_type_for(K.SEQ2SEQ).relabel("good", mapped) == "good"  # a text answer has no labels


@pytest.mark.parametrize(
    "task_type, answer",
    [(K.CLASSIFICATION, "positive"), (K.MULTILABEL, ["positive", "negative"]), (K.SEQ2SEQ, "a corrected answer")],
)
def test_answers_written_as_a_label_list_read_back_the_same(task_type, answer):
    task = task_type_for(task_type)
    assert task.label_list_form
    assert task.from_label_list(task.as_label_list(answer), "tests.k") == answer


def test_a_label_list_with_two_labels_is_refused_for_a_single_label_kind():
    with pytest.raises(ValueError, match="tests.k takes one label per text"):
        task_type_for(K.CLASSIFICATION).from_label_list(["positive", "negative"], "tests.k")
    assert not task_type_for(K.RANKING).label_list_form


@pytest.mark.parametrize(
    "task_type, cell, answer",
    [
        (K.CLASSIFICATION, "positive", "positive"),
        (K.MULTILABEL, "positive|negative", ["positive", "negative"]),
        (K.MULTILABEL, '["positive"]', ["positive"]),
        (K.TOKEN_CLASSIFICATION, '[[7, 13, "SKILL"]]', [[7, 13, "SKILL"]]),
        (K.RANKING, "4", 4.0),
        (K.EXTRACTIVE_SUMMARY, '{"selected": [1]}', {"selected": [1]}),
    ],
)
def test_an_answer_written_in_one_text_cell_is_read_in_the_task_types_shape(task_type, cell, answer):
    assert task_type_for(task_type).answer_from_text(cell) == answer


def test_a_ranking_cell_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="should be a number, not 'high'"):
        task_type_for(K.RANKING).answer_from_text("high")


@pytest.mark.parametrize(
    "task_type, answer, task_input",
    [
        (K.CLASSIFICATION, "negative", TEXT),
        (K.MULTILABEL, ["positive", "negative"], TEXT),
        (K.TOKEN_CLASSIFICATION, [[7, 13, "SKILL"], [18, 23, "TOOL"]], TEXT),
        (K.RANKING, 4, {"query": "q", "candidate": "c"}),
        (K.EXTRACTIVE_SUMMARY, {"selected": [0, 2], "reference": "a. c."}, {"sentences": ["a.", "b.", "c."]}),
        (K.SEQ2SEQ, "a corrected answer", TEXT),
    ],
)
def test_label_studio_regions_read_back_as_the_same_answer(task_type, answer, task_input):
    task = task_type_for(task_type)
    values = defaultdict(list)
    for region_type, _, _, value in task.labelstudio_regions(answer, task_input):
        values[region_type].append(value)

    def spans():  # what the importer does with `labels` regions (the text has no characters beyond UTF-16's BMP)
        return [[v["start"], v["end"], v["labels"][0]] for v in values["labels"]]

    assert task.from_labelstudio(values, spans=spans) == answer


def test_a_rating_outside_the_rubric_is_refused():
    assert rating_problem(3) is None
    assert "a rating is a whole number from 1 to 5, not 6" == rating_problem(6)
    assert rating_problem(2.5) and rating_problem(True)


def test_a_kinds_answer_problem_is_its_task_types_shape_then_its_own_rules():
    sentiment = K.get_kind("tests.sentiment")
    assert sentiment.answer_problem("a fine meal", ["positive"]) == "a classification answer is text, not ['positive']"
    assert sentiment.answer_problem("a fine meal", "positive") is None


def test_scoring_no_examples_is_refused():
    with pytest.raises(ValueError, match="no examples to score"):
        task_type_for(K.CLASSIFICATION).score([], lambda inputs: [], LABELS)


def test_the_learning_rate_schedule_counts_exactly_the_batches_each_epoch_yields():
    net = torch.nn.Linear(2, 1)
    batches, progress = [], []

    def collate(indices):
        batches.append(list(indices))
        return torch.ones(len(indices), 2), torch.zeros(len(indices), 1)

    fit_loop(
        net, param_groups=[{"params": net.parameters(), "lr": 0.1}], size=10, collate=collate,
        loss_of=lambda batch: torch.nn.functional.mse_loss(net(batch[0]), batch[1]),
        hp=Hyperparameters(batch_size=4, epochs=2, patience=5), validation=[], evaluate=lambda examples: {"m": 0.0},
        primary_metric="m", on_progress=lambda fraction, stage: progress.append(fraction),
        on_epoch=lambda record: None, should_stop=lambda: False,
    )

    assert [len(b) for b in batches] == [4, 4, 2, 4, 4, 2]
    assert sorted(i for b in batches[:3] for i in b) == list(range(10))  # each epoch sees every item once
    assert progress[-1] == pytest.approx(1.0)  # the schedule's step count is the batches' count


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_imports_point_one_way_engine_and_task_types_never_import_the_kinds_registry():
    ml = Path(__file__).resolve().parents[2] / "suite" / "ml"
    for path in [*(ml / "engine").glob("*.py"), *(ml / "tasktypes").glob("*.py")]:
        assert "suite.ml.kinds" not in _imported_modules(path), path.name
    kinds_imports = _imported_modules(ml / "kinds.py")
    for upward in ("suite.ml.engine", "suite.ml.selectors", "suite.ml.models"):
        assert upward not in kinds_imports
