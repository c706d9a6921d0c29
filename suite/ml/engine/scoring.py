"""Score any predictor of a kind on examples with the metrics of its task type."""
from collections import defaultdict

from suite.ml import kinds as K
from suite.ml import metrics as M


def score(kind: K.ModelKind, examples: list[dict], predict) -> dict:
    if not examples:
        raise ValueError("no examples to score")
    t = kind.task_type
    if t == K.EXTRACTIVE_SUMMARY:
        inputs = [{**e["input"], "k": len(e["target"]["selected"]) or None} for e in examples]
    else:
        inputs = [e["input"] for e in examples]
    preds = predict(inputs)
    if t == K.CLASSIFICATION:
        out = M.classification_metrics([str(e["target"]) for e in examples], [p["label"] for p in preds], list(kind.labels))
    elif t == K.MULTILABEL:
        out = M.multilabel_metrics([list(e["target"]) for e in examples], [p["labels"] for p in preds], list(kind.labels))
    elif t == K.TOKEN_CLASSIFICATION:
        out = M.span_metrics(
            [[tuple(s[:3]) for s in e["target"]] for e in examples],
            [[tuple(s[:3]) for s in p["spans"]] for p in preds],
        )
    elif t == K.RANKING:
        groups = defaultdict(lambda: ([], []))
        for e, p in zip(examples, preds):
            key = e["input"].get("query_id") or e["input"]["query"]
            groups[key][0].append(float(e["target"]))
            groups[key][1].append(float(p["score"]))
        out = M.ranking_metrics(list(groups.values()))
    elif t == K.EXTRACTIVE_SUMMARY:
        references, predictions = [], []
        for e, p in zip(examples, preds):
            sentences = e["input"]["sentences"]
            chosen = " ".join(sentences[i] for i in e["target"]["selected"])
            references.append(e["target"].get("reference") or chosen)
            predictions.append(" ".join(sentences[i] for i in p["selected"]))
        out = M.rouge_metrics(references, predictions)
    elif t == K.SEQ2SEQ:
        out = M.rouge_metrics([str(e["target"]) for e in examples], [p["text"] for p in preds])
    else:
        raise ValueError(f"no metrics for task type {t!r}")
    return {k: v for k, v in out.items() if k != "per_label"} | {"n": len(examples)}
