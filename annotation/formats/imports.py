"""Import formats: Label Studio JSON, doccano JSONL, JSON lines, CSV and the QA-Feedback data of Fine-Grained RLHF.

Importers only parse: each yields `(where, item)` and raises FormatError, naming the line or item, where
the file cannot be read. Whether an item fits the kind (known labels, spans inside the text, at least two
options to prefer between) is decided by `annotation.services.import_item_problem` before anything is written.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict

from annotation.formats import (
    FormatError,
    Importer,
    json_lines,
    register_importer,
    text_stream,
)
from suite.ml.tasktypes.base import choices_of

PREFERENCE = "preference"


def _item(input, *, group="", result=None, prediction=None, feedback_type=None, prediction_score=None) -> dict:
    item = {"input": input, "group": group or "", "result": result, "prediction": prediction}
    if feedback_type:
        item["feedback_type"] = feedback_type
    if prediction_score is not None:
        item["prediction_score"] = prediction_score
    return item


def _read_json(stream, what: str):
    try:
        return json.load(text_stream(stream))
    except json.JSONDecodeError as exc:
        raise FormatError(f"line {exc.lineno}", f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except (UnicodeDecodeError, OSError, EOFError):
        raise FormatError("", f"not a UTF-8 {what} file") from None


# --- JSON lines ---------------------------------------------------------------------------------


def record_item(where: str, record) -> dict:
    """An item from a JSON object `{"input", "result" (or "target"), "prediction", "group", "feedback_type"}`."""
    if not isinstance(record, dict):
        raise FormatError(where, "expected a JSON object")
    if "input" not in record:
        raise FormatError(where, "has no 'input'")
    result = record["result"] if "result" in record else record.get("target")
    group = record.get("group")
    return _item(
        record["input"], group="" if group is None else str(group), result=result, prediction=record.get("prediction"),
        feedback_type=record.get("feedback_type"), prediction_score=record.get("prediction_score"),
    )


@register_importer
class JsonLinesImporter(Importer):
    name = "jsonl"
    description = "One JSON object a line: input, result (or target), and optionally prediction, group, feedback_type."

    def parse(self, stream, *, kind):
        for number, record in json_lines(stream):
            yield f"line {number}", record_item(f"line {number}", record)


# --- CSV ----------------------------------------------------------------------------------------


def _json_cell(where: str, column: str, value: str):
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise FormatError(where, f"column {column!r} is not valid JSON: {value[:60]!r}") from None


def _answer_cell(where: str, column: str, value: str | None, task):
    """A result or prediction cell in the shape the kind's task type takes."""
    if value is None or value == "":
        return None
    try:
        return task.answer_from_text(value)
    except json.JSONDecodeError:
        raise FormatError(where, f"column {column!r} is not valid JSON: {value[:60]!r}") from None
    except ValueError as exc:
        raise FormatError(where, f"column {column!r} {exc}") from None


@register_importer
class CsvImporter(Importer):
    """A header row, then one item a row.

    Columns: `input` (or `text`), `result` (or `label`, `target`), and optionally `prediction`, `group`.
    Spans and other structured answers are JSON in their cell (`[[0, 6, "SKILL"]]`); several labels may also
    be written `a|b`. A preference file has `prompt`, `options` (a JSON list) and `chosen` (a 0-based index).
    """

    name = "csv"
    description = "Header row; columns input, result, prediction, group (or prompt, options, chosen for preferences)."

    def parse(self, stream, *, kind):
        try:
            reader = csv.DictReader(text_stream(stream))
            columns = reader.fieldnames or []
            yield from (self._preferences(reader) if {"prompt", "options"} <= set(columns) else self._answers(reader, columns, kind))
        except csv.Error as exc:
            raise FormatError(f"line {reader.line_num}", f"not valid CSV ({exc})") from None
        except (UnicodeDecodeError, OSError, EOFError):
            raise FormatError("", "not a UTF-8 CSV file") from None

    @staticmethod
    def _cells(reader, row: dict) -> str:
        where = f"line {reader.line_num}"
        if None in row or None in row.values():
            raise FormatError(where, f"has a different number of cells than the header's {len(reader.fieldnames)}")
        return where

    def _answers(self, reader, columns, kind):
        input_column = next((c for c in ("input", "text") if c in columns), None)
        result_column = next((c for c in ("result", "label", "target") if c in columns), None)
        if input_column is None:
            raise FormatError("line 1", f"the header needs an 'input' (or 'text') column; it has {columns}")
        for row in reader:
            where = self._cells(reader, row)
            value = row[input_column]
            task_input = value if kind.task.text_input else _json_cell(where, input_column, value)
            result = _answer_cell(where, result_column, row[result_column], kind.task) if result_column else None
            prediction = _answer_cell(where, "prediction", row.get("prediction"), kind.task)
            yield where, _item(task_input, group=row.get("group") or "", result=result, prediction=prediction)

    def _preferences(self, reader):
        for row in reader:
            where = self._cells(reader, row)
            options = _json_cell(where, "options", row["options"])
            chosen = (row.get("chosen") or "").strip()
            if chosen and not chosen.lstrip("-").isdigit():
                raise FormatError(where, f"column 'chosen' should be an option's index, not {chosen!r}")
            result = {"chosen": int(chosen)} if chosen else None
            yield where, _item({"prompt": row["prompt"], "options": options}, group=row.get("group") or "", result=result, feedback_type=PREFERENCE)


# --- Label Studio -------------------------------------------------------------------------------


def _utf16_offsets(text: str, start: int, end: int) -> tuple[int, int]:
    """Python indices of offsets counted in UTF-16 code units, as the Label Studio browser counts them."""
    positions, units = {0: 0}, 0
    for index, char in enumerate(text, 1):
        units += 2 if ord(char) > 0xFFFF else 1
        positions[units] = index
    return positions.get(start, -1), positions.get(end, -1)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _ls_spans(where: str, regions: list[dict], text: str, notes=None) -> list[list]:
    """Spans `[start, end, label]` of Label Studio `labels` regions; the offsets are trusted over the quoted text.

    Label Studio stores the selected text beside the offsets, and the two can differ in whitespace (the
    browser collapses runs of spaces and line breaks in what it shows). Such a region keeps its offsets and
    is counted in `notes["whitespace_tolerated"]`; offsets counted in UTF-16 are converted; any other
    disagreement, or offsets outside the text, rejects the item.
    """
    spans = []
    for value in regions:
        start, end, labels = value.get("start"), value.get("end"), value.get("labels") or []
        if not isinstance(start, int) or not isinstance(end, int) or not labels:
            raise FormatError(where, f"a labels result needs integer start, end and labels: {value!r}")
        quoted = value.get("text")
        if not 0 <= start < end <= len(text):
            start16, end16 = _utf16_offsets(text, start, end)
            if not (0 <= start16 < end16 and (not isinstance(quoted, str) or text[start16:end16] == quoted)):
                raise FormatError(where, f"span {start}..{end} is outside the text, which has {len(text)} characters")
            start, end = start16, end16
        elif isinstance(quoted, str) and text[start:end] != quoted:
            start16, end16 = _utf16_offsets(text, start, end)
            if start16 >= 0 and end16 > start16 and text[start16:end16] == quoted:
                start, end = start16, end16
            elif _squeezed(text[start:end]) == _squeezed(quoted):
                if notes is not None:
                    notes["whitespace_tolerated"] += 1
            else:
                raise FormatError(where, f"span {start}..{end} says {quoted!r} but the text there is {text[start:end]!r}")
        spans.extend([start, end, label] for label in labels)
    return sorted(spans)


def _ls_result(where: str, results, *, kind, task_input, options: list | None, notes=None):
    """The kind-shaped answer of a Label Studio result list; None when it holds no answer."""
    if not isinstance(results, list):
        raise FormatError(where, "'result' should be a list")
    values = defaultdict(list)
    for region in results:
        if not isinstance(region, dict):
            raise FormatError(where, f"a result should be an object, not {region!r}")
        values[region.get("type")].append(region.get("value") or {})
    choices = choices_of(values)
    if options is not None:  # a preference between options
        if values["pairwise"]:
            selected = values["pairwise"][0].get("selected")
            if selected not in ("left", "right"):
                raise FormatError(where, f"a pairwise result selects 'left' or 'right', not {selected!r}")
            return {"chosen": 0 if selected == "left" else 1}
        if choices:
            choice = choices[0]
            if choice in options:
                return {"chosen": options.index(choice)}
            if str(choice).isdigit():
                return {"chosen": int(choice)}
            raise FormatError(where, f"the choice {choice!r} is none of the options")
        return None
    text = task_input if isinstance(task_input, str) else ""
    try:
        return kind.task.from_labelstudio(values, spans=lambda: _ls_spans(where, values["labels"], text, notes))
    except FormatError:
        raise
    except ValueError as exc:
        raise FormatError(where, str(exc)) from None



def _ls_input(where: str, data, kind):
    """The task input and, for a preference task, its options."""
    if not isinstance(data, dict):
        raise FormatError(where, "'data' should be an object")
    if isinstance(data.get("options"), list) or ("left" in data and "right" in data):
        options = data["options"] if isinstance(data.get("options"), list) else [data["left"], data["right"]]
        return {"prompt": data.get("prompt", data.get("text", "")), "options": options}, options
    if not kind.task.text_input:
        return data, None
    if isinstance(data.get("text"), str):
        return data["text"], None
    strings = [v for v in data.values() if isinstance(v, str)]
    if len(strings) != 1:
        raise FormatError(where, f"'data' needs a 'text' field; it has {sorted(data)}")
    return strings[0], None


def _ls_annotator(annotation: dict) -> str:
    """Who wrote a Label Studio annotation: `completed_by` is a user id, or an object with the e-mail."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    return "" if who is None else f"labelstudio:{who}"[:200]


@register_importer
class LabelStudioImporter(Importer):
    """A Label Studio JSON export, as its "Export > JSON" writes it: a list of tasks with `id`, `data`, `meta`,
    `annotations` (each with `completed_by`, `result`, `was_cancelled`, `ground_truth`), `drafts`,
    `predictions` (with `model_version` and `score`) and, in some editions, `agreement`.

    Text tasks with `choices` (classification), `labels` (character spans; the offsets are trusted when the
    quoted text differs only in whitespace, and offsets counted in UTF-16 are converted), `textarea`
    (corrections), `rating`, and `pairwise` or option `choices` for a preference between `data.options`
    (or `data.left` / `data.right`). Of several annotations the ground truth counts, else the latest one not
    cancelled; the best-scored prediction becomes the pre-annotation, with its model version and score.
    Drafts are work nobody submitted: counted, not imported.
    """

    name = "labelstudio"
    description = "Label Studio JSON export: tasks with data, annotations[].result[], predictions (model_version, score), drafts."

    def parse(self, stream, *, kind):
        tasks = _read_json(stream, "Label Studio JSON")
        if isinstance(tasks, dict) and isinstance(tasks.get("data"), dict):
            tasks = [tasks]  # one task, as Label Studio's API returns it
        if not isinstance(tasks, list):
            hint = " (this looks like one doccano record: use the doccano format)" if isinstance(tasks, dict) and "text" in tasks else ""
            raise FormatError("", f"a Label Studio export is a JSON list of tasks{hint}")
        for number, task in enumerate(tasks, 1):
            if not isinstance(task, dict) or "data" not in task:
                raise FormatError(f"item {number}", "a task needs 'data' (a Label Studio task is {\"id\", \"data\", \"annotations\", ...})")
            where = f"item {number}" + (f" (task {task['id']})" if task.get("id") is not None else "")
            yield where, self._task(where, task, kind)

    def _task(self, where: str, task: dict, kind) -> dict:
        notes = self.notes
        task_input, options = _ls_input(where, task["data"], kind)
        every = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
        annotations = [a for a in every if not a.get("was_cancelled")]
        notes["cancelled_ignored"] += len(every) - len(annotations)
        notes["drafts_ignored"] += len([d for d in task.get("drafts") or [] if isinstance(d, dict)])
        chosen = next((a for a in annotations if a.get("ground_truth")), None)
        if chosen is None and annotations:
            chosen = max(enumerate(annotations), key=lambda ia: (str(ia[1].get("updated_at") or ia[1].get("created_at") or ""), ia[0]))[1]
        if len(annotations) > 1:
            notes["tasks_with_several_annotations"] += 1
        result = _ls_result(where, chosen.get("result", []), kind=kind, task_input=task_input, options=options, notes=notes) if chosen else None
        predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict) and p.get("result")]
        prediction = score = None
        model_version = ""
        if predictions:
            best = max(predictions, key=lambda p: p.get("score") if isinstance(p.get("score"), (int, float)) else float("-inf"))
            prediction = _ls_result(f"{where} prediction", best["result"], kind=kind, task_input=task_input, options=options, notes=notes)
            score = best.get("score") if isinstance(best.get("score"), (int, float)) and not isinstance(best.get("score"), bool) else None
            model_version = str(best.get("model_version") or "")[:200]
            notes["predictions"] += 1
        if isinstance(task.get("agreement"), (int, float)):
            notes["agreement_sum"] += float(task["agreement"])
            notes["agreement_tasks"] += 1
        meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
        group = meta.get("group") or (f"labelstudio-{task['id']}" if task.get("id") is not None else "")
        item = _item(
            task_input, group=str(group), result=result, prediction=prediction,
            feedback_type=PREFERENCE if options is not None else None, prediction_score=score,
        )
        item["prediction_model"] = model_version
        item["external_id"] = f"labelstudio:{task['id']}" if task.get("id") is not None else ""
        item["annotator_ref"] = _ls_annotator(chosen) if chosen else ""
        return item


# --- doccano ------------------------------------------------------------------------------------


def _doccano_spans(where: str, record: dict) -> list[list] | None:
    """Spans of a doccano record: `label: [[start, end, "L"]]` (sequence labelling) or `entities` (relation mode)."""
    if isinstance(record.get("entities"), list):
        spans = []
        for entity in record["entities"]:
            if not isinstance(entity, dict) or not {"start_offset", "end_offset", "label"} <= set(entity):
                raise FormatError(where, f"an entity needs start_offset, end_offset and label: {entity!r}")
            spans.append([entity["start_offset"], entity["end_offset"], entity["label"]])
        return sorted(spans)
    labels = record.get("label", record.get("labels"))
    if labels is None:
        return None
    if not isinstance(labels, list) or not all(isinstance(s, list) and len(s) == 3 for s in labels):
        raise FormatError(where, f"sequence labels are [[start, end, label], ...], not {labels!r}")
    return sorted([list(s) for s in labels])


@register_importer
class DoccanoImporter(Importer):
    """doccano JSONL as doccano exports it: `{"id", "text", "label", ...}` a line.

    - sequence labelling (token_classification kinds): `label: [[start, end, "LABEL"], ...]`, or `entities:
      [{"start_offset", "end_offset", "label"}]` from a relation project;
    - text classification: `label: ["positive"]` (one label; a multilabel kind takes the list);
    - sequence to sequence: `label: ["the target text"]` (the first text).
    An empty `label` makes an item to annotate (doccano writes unlabelled documents that way too, so it cannot
    mean "no entities here"). Other fields (`Comments`, `meta`) are ignored.
    """

    name = "doccano"
    description = "doccano JSONL: {text, label} with spans [start, end, label], category lists or target texts."

    def parse(self, stream, *, kind):
        for number, record in json_lines(stream, "doccano JSONL"):
            where = f"line {number}"
            if not isinstance(record, dict) or not isinstance(record.get("text", record.get("data")), str):
                raise FormatError(where, "a doccano record needs 'text'")
            text = record.get("text", record.get("data"))
            if kind.task.token_level:
                result = _doccano_spans(where, record)
            else:
                labels = record.get("label", record.get("labels"))
                labels = [labels] if isinstance(labels, str) else (labels or [])
                if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
                    raise FormatError(where, f"'label' is a list of labels or texts, not {labels!r}")
                if not kind.task.label_list_form:
                    raise FormatError("", f"doccano holds spans, categories and texts; {kind.name} is a {kind.task_type} kind")
                try:
                    result = kind.task.from_label_list(labels, kind.name)
                except ValueError as exc:
                    raise FormatError(where, str(exc)) from None
            meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
            group = record.get("group") or meta.get("group") or (f"doccano-{record['id']}" if record.get("id") is not None else "")
            # doccano writes unlabelled documents with `label: []` too: an empty answer is no answer, not "nothing here".
            item = _item(text, group=str(group), result=result or None)
            if record.get("id") is not None:
                item["external_id"] = f"doccano:{record['id']}"
            yield where, item


# --- QA-Feedback (Fine-Grained RLHF) --------------------------------------------------------------

# `preference` holds six pairwise judgements in this order; 1: the first is preferred, 2: the second, 0: none.
QA_PAIRS = ((1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4))


def qa_prompt(record: dict) -> str:
    """The question with its grounding passages, written as the Fine-Grained RLHF policy reads it."""
    passages = " ".join(f"wikipage: {p[0]} text: {' '.join(p[1:])}" for p in record.get("passages") or [] if p)
    return f"question: {record['question']} context: {passages}".strip()


@register_importer
class QAFeedbackImporter(Importer):
    """QA-Feedback (Wu et al., 2023, Fine-Grained RLHF): `dev_feedback.json` (or `.json.gz`).

    Each record has a `question`, grounding `passages`, four sampled answers `prediction 1..4`, fine-grained
    `feedback` on `prediction 1` (`errors`: character spans with an `error type`; `missing-info`;
    `corrected-prediction`) and `preference`: six pairwise judgements (1v2, 1v3, 1v4, 2v3, 2v4, 3v4).
    What an import yields depends on the kind's task type:

    - seq2seq kind -> correction items: input is the question with its passages (`question: ... context:
      wikipage: ... text: ...`), the pre-annotation is `prediction 1`, the result its `corrected-prediction`;
      and preference items, one per pairwise judgement: `{"prompt", "options": [answer a, answer b]}` with
      result `{"chosen": 0 or 1}`. Ties (0) and empty corrections are skipped and counted.
    - token_classification kind -> span items: input is `prediction 1`, the result its error spans
      `[start, end, error type]` (an answer without errors is an item with no spans). The kind must declare
      the error types as labels (Irrelevant, Wrong-Grounding, Unverifiable, Redundant, Incoherent); an
      unknown one rejects the file.

    `missing-info` points at passage sentences rather than at the answer and is not imported. Every item of
    one question shares a group (`qa-<hash of the question>`), so a dataset split keeps a question on one side.
    """

    name = "qa_feedback"
    description = "QA-Feedback (Fine-Grained RLHF): corrections and preferences for a seq2seq kind, error spans for a token_classification kind."

    def parse(self, stream, *, kind):
        if not (kind.task.generative or kind.task.token_level):
            raise FormatError("", f"QA-Feedback imports into a seq2seq kind (corrections, preferences) or a "
                                  f"token_classification kind (error spans); {kind.name} is {kind.task_type}")
        records = _read_json(stream, "QA-Feedback JSON")
        if not isinstance(records, list):
            raise FormatError("", "QA-Feedback is a JSON list of records")
        for number, record in enumerate(records, 1):
            where = f"item {number}"
            if not isinstance(record, dict) or not isinstance(record.get("question"), str):
                raise FormatError(where, "a record needs a 'question'")
            feedback = record.get("feedback")
            answers = [record.get(f"prediction {i}") for i in range(1, 5)]
            if not isinstance(feedback, dict) or not isinstance(answers[0], str):
                raise FormatError(where, "a record needs 'prediction 1' and its 'feedback'")
            group = "qa-" + hashlib.sha1(record["question"].encode()).hexdigest()[:12]
            if kind.task.token_level:
                yield where, _item(answers[0], group=group, result=self._spans(where, feedback))
                continue
            prompt = qa_prompt(record)
            corrected = (feedback.get("corrected-prediction") or "").strip()
            if corrected:
                yield where, _item(prompt, group=group, result=corrected, prediction=answers[0])
            else:
                self.skipped.append(f"{where}: no corrected answer")
            yield from self._preferences(where, record, prompt, answers, group)

    @staticmethod
    def _spans(where: str, feedback: dict) -> list[list]:
        spans = []
        for error in feedback.get("errors") or []:
            if not isinstance(error, dict) or not {"start", "end", "error type"} <= set(error):
                raise FormatError(where, f"an error needs start, end and 'error type': {error!r}")
            spans.append([error["start"], error["end"], error["error type"]])
        return sorted(spans)

    def _preferences(self, where: str, record: dict, prompt: str, answers: list, group: str):
        judgements = record.get("preference") or []
        if not isinstance(judgements, list) or len(judgements) not in (0, len(QA_PAIRS)):
            raise FormatError(where, f"'preference' holds six pairwise judgements, not {judgements!r}")
        for (a, b), judgement in zip(QA_PAIRS, judgements):
            pair = f"{where} ({a} vs {b})"
            if judgement == 0:
                self.skipped.append(f"{pair}: no preference")
                continue
            if judgement not in (1, 2):
                raise FormatError(pair, f"a judgement is 0, 1 or 2, not {judgement!r}")
            yield pair, _item(
                {"prompt": prompt, "options": [answers[a - 1], answers[b - 1]]}, group=group,
                result={"chosen": judgement - 1}, feedback_type=PREFERENCE,
            )
