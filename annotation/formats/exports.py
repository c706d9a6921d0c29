"""Export formats: JSON lines, SFT chat or prompt/completion JSONL, preference pairs, CoNLL, Label Studio, HF datasets.

Every exporter takes an iterator of rows (`annotation.selectors.export_rows`: `task`, `kind`, `feedback_type`,
`group`, `input`, `result`, `prediction`, `prediction_score`, `model_version`, `status`, `source`,
`annotator`, `reviewer`) and writes each one before it reads the next, so memory stays flat however many
rows there are. Rows a format cannot hold (a preference in a CoNLL file) are left out.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from annotation.formats import Exporter, FormatError, register_exporter

PREFERENCE = "preference"


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _text(value) -> str:
    return value if isinstance(value, str) else _dump(value)


def _best_option(result) -> int | None:
    """The preferred option of a preference result: `{"chosen": i}` or `{"ranking": [best, ...]}`."""
    if not isinstance(result, dict):
        return None
    if "chosen" in result:
        return result["chosen"]
    ranking = result.get("ranking") or []
    return ranking[0] if ranking else None


def _ranking(result, size: int) -> list[int]:
    """Options best first; with only a choice, the chosen one first and the rest in their order."""
    if isinstance(result, dict) and result.get("ranking"):
        return list(result["ranking"])
    best = _best_option(result)
    return [best] + [i for i in range(size) if i != best]


def _open(path: Path):
    return open(path, "w", encoding="utf-8", newline="\n")


@register_exporter
class JsonLinesExporter(Exporter):
    name = "jsonl"
    description = "Every row as one JSON object a line (input, result, prediction, group, feedback type, status); imports back as jsonl."

    def write(self, rows, path, *, kind, options):
        count = 0
        with _open(path) as out:
            for row in rows:
                out.write(_dump({
                    "id": f"task-{row['task']}", "group": row["group"], "kind": row["kind"], "feedback_type": row["feedback_type"],
                    "input": row["input"], "result": row["result"], "prediction": row["prediction"],
                    "prediction_score": row["prediction_score"], "model_version": row["model_version"],
                    "status": row["status"], "source": row["source"], "annotator": row["annotator"], "reviewer": row["reviewer"],
                }) + "\n")
                count += 1
        return count


@register_exporter
class SFTExporter(Exporter):
    """Supervised fine-tuning pairs: the input as the prompt, the answer as the completion.

    Options: `style` is `messages` (chat: `{"messages": [system?, user, assistant]}`, the default) or
    `prompt_completion` (`{"prompt", "completion"}`); `system` adds a system message. A structured answer
    (labels, spans) is written as JSON; a preference contributes its preferred option.
    """

    name = "sft"
    description = "Supervised fine-tuning JSONL: chat messages (style=messages) or prompt/completion (style=prompt_completion)."
    STYLES = ("messages", "prompt_completion")

    def check(self, kind, options):
        if options.get("style", "messages") not in self.STYLES:
            raise FormatError("", f"sft style is one of {', '.join(self.STYLES)}, not {options.get('style')!r}")

    @staticmethod
    def pair(row) -> tuple[str, str] | None:
        result = row["result"]
        if result is None:
            return None
        if row["feedback_type"] == PREFERENCE:
            best = _best_option(result)
            return (row["input"]["prompt"], row["input"]["options"][best]) if best is not None else None
        return _text(row["input"]), _text(result)

    def write(self, rows, path, *, kind, options):
        style, system = options.get("style", "messages"), options.get("system") or ""
        count = 0
        with _open(path) as out:
            for row in rows:
                pair = self.pair(row)
                if pair is None:
                    continue
                prompt, completion = pair
                if style == "prompt_completion":
                    record = {"prompt": prompt, "completion": completion}
                else:
                    messages = [{"role": "system", "content": system}] if system else []
                    record = {"messages": messages + [{"role": "user", "content": prompt}, {"role": "assistant", "content": completion}]}
                out.write(_dump(record) + "\n")
                count += 1
        return count


@register_exporter
class PreferenceExporter(Exporter):
    """Preference pairs `{"prompt", "chosen", "rejected"}` (the shape DPO and reward-model trainers read).

    A choice among n options gives n-1 pairs (the chosen one against each other); a ranking gives every
    pair in its order. A correction that changed the model's answer gives the pair (correction, model
    answer) unless the option `corrections` is false.
    """

    name = "preference"
    description = "Preference pairs JSONL: prompt, chosen, rejected (from preferences and, optionally, corrections)."

    def write(self, rows, path, *, kind, options):
        corrections = options.get("corrections", True) not in (False, "false", "0", "no")
        count = 0
        with _open(path) as out:
            for row in rows:
                for prompt, chosen, rejected in self.pairs(row, corrections=corrections):
                    out.write(_dump(self.line(row, prompt, chosen, rejected)) + "\n")
                    count += 1
        return count

    @staticmethod
    def line(row, prompt, chosen, rejected) -> dict:
        return {"prompt": prompt, "chosen": chosen, "rejected": rejected, "group": row["group"]}

    @staticmethod
    def pairs(row, *, corrections: bool):
        result = row["result"]
        if result is None:
            return
        if row["feedback_type"] == PREFERENCE:
            options = row["input"]["options"]
            order = _ranking(result, len(options))
            ranked = order if isinstance(result, dict) and result.get("ranking") else order[:1]
            for position, better in enumerate(ranked):
                for worse in order[position + 1:]:
                    yield row["input"]["prompt"], options[better], options[worse]
        elif corrections and row["feedback_type"] == "correction":
            prediction = row["prediction"]
            if isinstance(result, str) and isinstance(prediction, str) and prediction != result:
                yield _text(row["input"]), result, prediction


TOKEN = re.compile(r"\w+|[^\w\s]")


def bio_tokens(text: str, spans: list) -> list[tuple[str, str]]:
    """(token, BIO tag) for each word or punctuation mark of the text; a token inside a span takes its label."""
    tagged, spans = [], sorted(spans)
    for match in TOKEN.finditer(text):
        start, end = match.span()
        for span_start, span_end, label in spans:
            if start < span_end and end > span_start:
                key = (span_start, span_end, label)
                tagged.append((match.group(), f"{'I' if tagged and tagged[-1][2] == key else 'B'}-{label}", key))
                break
        else:
            tagged.append((match.group(), "O", None))
    return [(token, tag) for token, tag, _ in tagged]


@register_exporter
class CoNLLExporter(Exporter):
    """Spans as CoNLL: one `token TAG` line per word or punctuation mark with BIO tags, a blank line between items."""

    name = "conll"
    description = "CoNLL: token and BIO tag per line, items separated by a blank line (token classification kinds)."
    extension = ".conll"

    def check(self, kind, options):
        if not kind.task.token_level:
            raise FormatError("", f"CoNLL holds spans; {kind.name} is a {kind.task_type} kind")

    def write(self, rows, path, *, kind, options):
        count = 0
        with _open(path) as out:
            for row in rows:
                if row["feedback_type"] != "spans" or row["result"] is None or not isinstance(row["input"], str):
                    continue
                out.writelines(f"{token} {tag}\n" for token, tag in bio_tokens(row["input"], row["result"]))
                out.write("\n")
                count += 1
        return count


def _ls_regions(answer, row, kind, origin: str) -> list[dict]:
    """Label Studio results for a FineLoop answer."""
    regions = []

    def region(kind_of: str, from_name: str, to_name: str, value: dict):
        regions.append({"id": f"r{row['task']}-{origin[0]}{len(regions)}", "type": kind_of, "from_name": from_name,
                        "to_name": to_name, "origin": origin, "value": value})

    task_input = row["input"]
    if row["feedback_type"] == PREFERENCE:
        options, best = task_input["options"], _best_option(answer)
        if best is None:
            return regions
        if len(options) == 2:
            region("pairwise", "preference", "left,right", {"selected": "left" if best == 0 else "right"})
        else:
            region("choices", "chosen", "prompt", {"choices": [options[best]]})
        return regions
    for kind_of, from_name, to_name, value in kind.task.labelstudio_regions(answer, task_input):
        region(kind_of, from_name, to_name, value)
    return regions


@register_exporter
class LabelStudioExporter(Exporter):
    """A Label Studio JSON export: a list of tasks with `data`, `annotations` and `predictions`.

    Answers become `choices`, `labels` (offsets in UTF-16 code units, as the browser counts), `textarea`,
    `rating`, or `pairwise` for a preference between two options (`choices` over the options when there are
    more; a ranking gives its top choice). The group, kind and status travel in the task's `meta`.
    """

    name = "labelstudio"
    description = "Label Studio JSON: tasks with data, annotations (accepted answers) and predictions (pre-annotations)."
    extension = ".json"

    def write(self, rows, path, *, kind, options):
        count = 0
        with _open(path) as out:
            out.write("[")
            for row in rows:
                out.write(("," if count else "") + "\n" + _dump(self.task(row, kind)))
                count += 1
            out.write("\n]\n")
        return count

    @staticmethod
    def task(row, kind) -> dict:
        task_input = row["input"]
        if row["feedback_type"] == PREFERENCE:
            data = {"prompt": task_input["prompt"], "options": task_input["options"]}
            if len(task_input["options"]) == 2:
                data["left"], data["right"] = task_input["options"]
        else:
            data = {"text": task_input} if isinstance(task_input, str) else dict(task_input)
        task = {
            "id": row["task"], "data": data,
            "meta": {"group": row["group"], "kind": row["kind"], "feedback_type": row["feedback_type"], "status": row["status"]},
            "annotations": [], "predictions": [],
        }
        if row["result"] is not None:
            task["annotations"].append({"result": _ls_regions(row["result"], row, kind, "manual"), "was_cancelled": False,
                                        "ground_truth": row["status"] == "accepted"})
        if row["prediction"] is not None:
            prediction = {"result": _ls_regions(row["prediction"], row, kind, "prediction")}
            if row["prediction_score"] is not None:
                prediction["score"] = row["prediction_score"]
            if row["model_version"] is not None:
                prediction["model_version"] = str(row["model_version"])
            task["predictions"].append(prediction)
        return task


@register_exporter
class HuggingFaceExporter(Exporter):
    """A Hugging Face `datasets` folder written with `save_to_disk`; read it back with `load_from_disk`.

    Columns: `id`, `group`, `input` (JSON text when the input is an object) and `target` in the kind's own
    shape: a ClassLabel (classification), a list of labels (multilabel), a list of `{start, end, label}`
    (spans), text (seq2seq), a number (ranking), JSON text otherwise. Only answers of the kind's own
    feedback type are written: preferences go to the `preference` format. Rows pass through an Arrow file
    on disk in batches, so memory stays flat.
    """

    name = "hf"
    description = "Hugging Face datasets folder (save_to_disk): id, group, input, target typed per task."
    extension = ""
    folder = True

    @staticmethod
    def features(kind):
        import datasets

        string = datasets.Value("string")
        target = kind.task.dataset_feature(datasets, kind.labels)
        return datasets.Features({"id": string, "group": string, "input": string, "target": target})

    @staticmethod
    def record(row, kind) -> dict:
        result = kind.task.portable_target(row["result"])
        return {"id": f"task-{row['task']}", "group": row["group"] or f"task-{row['task']}", "input": _text(row["input"]), "target": result}

    def write(self, rows, path, *, kind, options):
        import datasets

        datasets.disable_progress_bars()
        features, count = self.features(kind), 0
        records = (self.record(row, kind) for row in rows if row["result"] is not None and row["feedback_type"] == kind.feedback_type)
        first = next(records, None)

        def generate():
            nonlocal count
            if first is not None:
                count += 1
                yield first
            for record in records:
                count += 1
                yield record

        cache = tempfile.mkdtemp(prefix="hf-export-")
        try:
            if first is None:
                dataset = datasets.Dataset.from_dict({name: [] for name in features}, features=features)
            else:
                dataset = datasets.Dataset.from_generator(generate, features=features, cache_dir=cache, fingerprint=Path(cache).name)
            dataset.save_to_disk(str(path))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        return count


# --- doccano ----------------------------------------------------------------------------------------


@register_exporter
class DoccanoExporter(Exporter):
    """doccano JSONL as its exports write it, one `{"id", "text", "label"}` a line, imported back by doccano's
    "JSONL" upload: spans as `[start, end, label]`, a classification as `[label]`, labels as a list, a
    correction or summary as `[text]`. Preferences and ratings have no doccano form and are left out."""

    name = "doccano"
    description = "doccano JSONL: {id, text, label} with spans [start, end, label], category lists or text answers."

    def check(self, kind, options):
        if not kind.task.label_list_form:
            raise FormatError("", f"doccano holds spans, categories and text answers; {kind.name} is a {kind.task_type} kind")

    def write(self, rows, path, *, kind, options):
        count = 0
        with _open(path) as out:
            for row in rows:
                if row["feedback_type"] != kind.feedback_type or not isinstance(row["input"], str):
                    continue
                answer = row["result"] if row["result"] is not None else None
                record = {"id": row["task"], "text": row["input"],
                          "label": kind.task.as_label_list(answer) if answer is not None else []}
                if row["group"]:
                    record["group"] = row["group"]
                out.write(_dump(record) + "\n")
                count += 1
        return count


# --- SQuAD ------------------------------------------------------------------------------------------

SQUAD_QUESTION = 'Highlight the parts (if any) of this text related to "{label}".'


@register_exporter
class SquadExporter(Exporter):
    """SQuAD 2.0 JSON (the form CUAD_v1.json is published in): one document per item, one question per label.

    A span answer gives its exact text and `answer_start`; a passage labelled with a key term (multilabel
    or classification) answers with the whole passage; a label the item lacks is an unanswerable question
    (`is_impossible`). Option `question` is the wording, with `{label}` where the label goes.
    """

    name = "squad"
    description = "SQuAD 2.0 JSON of key terms: per item and label, answers with answer_start, or is_impossible."
    extension = ".json"

    def check(self, kind, options):
        if not kind.task.labelled_answers or not kind.labels:
            raise FormatError("", f"SQuAD questions ask for a label's text; {kind.name} is a {kind.task_type} kind without labels")
        if "{label}" not in options.get("question", "{label}"):
            raise FormatError("", "the question option needs {label} where the label goes")

    @staticmethod
    def answers(row, kind, label) -> list[dict]:
        text, result = row["input"], row["result"]
        if kind.task.token_level:
            return [{"text": text[s:e], "answer_start": s} for s, e, name in result if name == label]
        return [{"text": text, "answer_start": 0}] if label in kind.task.answer_labels(result) else []

    def write(self, rows, path, *, kind, options):
        template, count = options.get("question") or SQUAD_QUESTION, 0
        with _open(path) as out:
            out.write('{"version": "v2.0", "data": [')
            for row in rows:
                if row["result"] is None or row["feedback_type"] != kind.feedback_type or not isinstance(row["input"], str):
                    continue
                qas = []
                for label in kind.labels:
                    answers = self.answers(row, kind, label)
                    qas.append({"id": f"task-{row['task']}__{label}", "question": template.format(label=label),
                                "answers": answers, "is_impossible": not answers})
                document = {"title": row["group"] or f"task-{row['task']}", "paragraphs": [{"context": row["input"], "qas": qas}]}
                out.write(("," if count else "") + "\n" + _dump(document))
                count += 1
            out.write("\n]}\n")
        return count


# --- the generative tier: DPO and KTO, as TRL reads them ----------------------------------------------


@register_exporter
class DPOExporter(PreferenceExporter):
    """DPO pairs exactly as TRL's DPOTrainer reads them: `{"prompt", "chosen", "rejected"}` and nothing else.

    From preferences (the chosen option against each other; a ranking gives every ordered pair) and, unless
    the option `corrections` is false, from corrections that changed the model's answer (correction over it).
    """

    name = "dpo"
    description = "DPO JSONL for TRL: prompt, chosen, rejected (preferences and corrections)."

    @staticmethod
    def line(row, prompt, chosen, rejected) -> dict:
        return {"prompt": _text(prompt), "chosen": _text(chosen), "rejected": _text(rejected)}


def kto_rows(row):
    """(prompt, completion, desirable) judgements a row holds: thumbs as people gave them.

    A rating of 4-5 is a thumbs up, 1-2 a thumbs down (3 says neither); a preference marks its chosen option
    up and the others down; a correction marks the corrected answer up and the model's answer it replaced
    down; a flagged output nobody has corrected yet is a thumbs down on what the model said.
    """
    result, prediction, task_input = row["result"], row["prediction"], row["input"]
    if row["feedback_type"] == PREFERENCE:
        if result is None:
            return
        best, options = _best_option(result), task_input["options"]
        for index, option in enumerate(options):
            yield task_input["prompt"], option, index == best
        return
    if row["feedback_type"] == "rating":
        if result is not None and result != 3:
            yield task_input, prediction, result >= 4
        return
    if result is not None:
        yield task_input, result, True
        if prediction is not None and prediction != result:
            yield task_input, prediction, False
    elif row["source"] == "flag" and prediction is not None:
        yield task_input, prediction, False


@register_exporter
class KTOExporter(Exporter):
    """KTO rows exactly as TRL's KTOTrainer reads them: `{"prompt", "completion", "label"}` with a boolean label.

    Thumbs up and down come from ratings, preferences, corrections and flags (see `kto_rows`); export with
    scope `all` to include flagged outputs nobody has corrected yet.
    """

    name = "kto"
    description = "KTO JSONL for TRL: prompt, completion, label (true: desirable) from ratings, preferences, corrections, flags."

    def write(self, rows, path, *, kind, options):
        count = 0
        with _open(path) as out:
            for row in rows:
                for prompt, completion, desirable in kto_rows(row):
                    if completion is None:
                        continue
                    out.write(_dump({"prompt": _text(prompt), "completion": _text(completion), "label": bool(desirable)}) + "\n")
                    count += 1
        return count
