"""Sequence to sequence: text in, text out, by the generative engine."""

from __future__ import annotations

import json

from suite.ml import metrics as M
from suite.ml.tasktypes.base import TaskType, texts_of


class Seq2Seq(TaskType):
    name = "seq2seq"
    feedback_type = "correction"
    primary_metric = "rougeL"
    generative = True
    mean_over_examples = label_list_form = True

    def predict(self, model, inputs):
        raise ValueError(f"{self.name} is not served by the encoder engine")

    def metrics(self, examples, predictions, labels):
        return M.rouge_metrics([str(e["target"]) for e in examples], [p["text"] for p in predictions])

    def answer_from_prediction(self, prediction, feedback_type):
        return prediction.get("text", "")

    def answer_problem(self, answer, *, task_input, labels, kind_name):
        return None if isinstance(answer, str) else f"a {self.name} answer is text, not {answer!r}"

    def answer_from_text(self, value):
        return value

    def labelstudio_regions(self, answer, task_input):
        return [
            (
                "textarea",
                "answer",
                "text",
                {"text": [answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)]},
            )
        ]

    def from_labelstudio(self, values, *, spans):
        return "\n".join(texts_of(values)) if values["textarea"] else None

    def dataset_feature(self, datasets, labels):
        return datasets.Value("string")
