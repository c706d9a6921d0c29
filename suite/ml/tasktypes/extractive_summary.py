"""Extractive summary: which sentences of a document make its summary; each sentence is scored on its own."""

from __future__ import annotations

import json

import numpy as np
import torch

from suite.ml import metrics as M
from suite.ml.tasktypes.base import TaskType, TrainingItems, choices_of, texts_of


def summary_selection(scores: list[float], k: int | None) -> list[int]:
    """The k best sentences, in document order; by default about a fifth of the document, at least one."""
    k = k or max(1, round(len(scores) * 0.2))
    return sorted(int(i) for i in np.argsort(-np.asarray(scores), kind="stable")[:k])


class ExtractiveSummary(TaskType):
    name = "extractive_summary"
    feedback_type = "correction"
    primary_metric = "rougeL"
    text_input = False
    mean_over_examples = True

    def encoder_texts(self, inputs, sep):
        return [sentence for x in inputs for sentence in x["sentences"]]

    def training_items(self, examples, labels, sep):
        texts, rows = [], []
        for e in examples:
            chosen = set(e["target"]["selected"])
            for i, sentence in enumerate(e["input"]["sentences"]):
                texts.append(sentence)
                rows.append([1.0 if i in chosen else 0.0])
        return TrainingItems(texts, torch.tensor(rows, dtype=torch.float))

    def predict(self, model, inputs):
        scores = [p["score"] for p in super().decode(model.sequence_logits(self.encoder_texts(inputs, model.sep)), ())]
        out, at = [], 0
        for x in inputs:
            own = scores[at : at + len(x["sentences"])]
            at += len(x["sentences"])
            out.append({"scores": own, "selected": summary_selection(own, x.get("k"))})
        return out

    def scoring_inputs(self, examples):
        return [{**e["input"], "k": len(e["target"]["selected"]) or None} for e in examples]

    def metrics(self, examples, predictions, labels):
        references, chosen_sentences = [], []
        for e, p in zip(examples, predictions):
            sentences = e["input"]["sentences"]
            chosen = " ".join(sentences[i] for i in e["target"]["selected"])
            references.append(e["target"].get("reference") or chosen)
            chosen_sentences.append(" ".join(sentences[i] for i in p["selected"]))
        return M.rouge_metrics(references, chosen_sentences)

    def answer_from_prediction(self, prediction, feedback_type):
        return {"selected": list(prediction.get("selected", []))}

    def answer_problem(self, answer, *, task_input, labels, kind_name):
        if not (isinstance(answer, dict) and isinstance(answer.get("selected"), list)):
            return "an extractive summary answer is {'selected': [sentence indices]}"
        return None

    def portable_target(self, answer):
        return json.dumps(answer, ensure_ascii=False)

    def labelstudio_regions(self, answer, task_input):
        regions = [("choices", "selected", "sentences", {"choices": [str(i) for i in answer.get("selected", [])]})]
        if answer.get("reference"):
            regions.append(("textarea", "reference", "sentences", {"text": [answer["reference"]]}))
        return regions

    def from_labelstudio(self, values, *, spans):
        choices, texts = choices_of(values), texts_of(values)
        if not values["choices"] and not texts:
            return None
        try:
            selected = [int(c) for c in choices]
        except ValueError:
            raise ValueError(f"selected sentences are given by index, not {choices!r}") from None
        return {"selected": selected, **({"reference": "\n".join(texts)} if texts else {})}
