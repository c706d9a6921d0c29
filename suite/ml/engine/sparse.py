"""The "sparse" strategy: word n-gram TF-IDF features and one logistic regression per label, no encoder.

Multilabel kinds get a threshold per label chosen on the validation split (never the test split): the best F1 among
thresholds whose precision reaches MIN_PRECISION, judged as people see the output when examples carry a group (one
document's passages): per group, the top-scored item of each label. Served scores are shifted so that 0.5 is each
label's own threshold; a label that never reached the precision on validation stays under 0.5 ("possible", never
"yes"). The inverse regularisation C is tried on a grid around 1 / l2_penalty, each value one record of the run,
and each label keeps the C that served it best on validation.

Saved without pickle: the vocabulary as JSON, the weights as a plain .npz, everything else in fineloop.json.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from suite.ml.engine import Cancelled
from suite.ml.engine.hparams import Hyperparameters
from suite.ml.engine.loop import EpochRecord, FitResult

FORMAT = 1
NGRAMS = (1, 2)
MIN_DF = 2
MAX_FEATURES = 200_000
# Precision first: a label is "yes" only at a threshold that reached this precision on validation ... On CUAD's 30
# validation contracts 0.70 kept micro precision at 0.89 there (0.60: 0.86 there but 0.79 on held-out contracts,
# since a category shows a few excerpts on validation and its precision there is noisy; 0.80: recall 0.51).
MIN_PRECISION = 0.70
MIN_SHOWN = 3  # ... over at least this many items shown, or it is only ever "possible"
UNSURE_AT = 0.4  # where the best threshold of such a label is placed: under 0.5, so it is shown apart
UNSURE_CAP = 0.49
C_FACTORS = (0.25, 1.0, 4.0)  # the C grid, times 1 / l2_penalty
# A rare label's few positives weigh as much as its many negatives: on CUAD (41 labels, most under 2% of passages)
# balanced weights gave key-term F1 0.673 against 0.642 unweighted at C=4 (bench/summarizer.py, 2026-12-02).
CLASS_WEIGHT = "balanced"
SILENT = -30.0  # the bias of a label training never saw twice: it stays silent


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


class SparseModel:
    """TF-IDF over word n-grams, a linear model per label, and per-label thresholds from validation."""

    def __init__(self, *, meta: dict, vocabulary: list[str] | None = None, arrays: dict | None = None):
        self.meta = meta
        self.task_type = meta["task_type"]
        self.labels = tuple(meta["labels"])
        self._counter = None
        self.idf = self.coef = self.intercept = self.shift = self.cap = None
        if vocabulary is not None:
            self._set_vocabulary(vocabulary)
        if arrays is not None:
            for name in ("idf", "coef", "intercept", "shift", "cap"):
                setattr(self, name, arrays[name])

    # --- building, saving, loading ------------------------------------------------------------

    @classmethod
    def from_base(cls, kind, *, base: str, strategy: str, hp: Hyperparameters) -> "SparseModel":
        """`base` is unused: nothing pretrained is read."""
        if not kind.labels:
            raise ValueError(f"{kind.name} has no labels: the sparse strategy learns one linear model per label")
        meta = {
            "format": FORMAT,
            "kind": kind.name,
            "task_type": kind.task_type,
            "labels": list(kind.labels),
            "strategy": strategy,
            "base": "",
            "hyperparameters": hp.as_dict(),
            "features": {"ngrams": list(NGRAMS), "min_df": MIN_DF, "max_features": MAX_FEATURES},
        }
        return cls(meta=meta)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "vocabulary.json").write_text(json.dumps(self.vocabulary))
        np.savez_compressed(
            folder / "weights.npz",
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
            shift=self.shift,
            cap=self.cap,
        )
        (folder / "fineloop.json").write_text(json.dumps(self.meta, indent=2))

    @classmethod
    def load(cls, kind, folder: Path) -> "SparseModel":
        meta = json.loads((folder / "fineloop.json").read_text())
        vocabulary = json.loads((folder / "vocabulary.json").read_text())
        with np.load(folder / "weights.npz", allow_pickle=False) as weights:
            arrays = {name: weights[name] for name in weights.files}
        return cls(meta=meta, vocabulary=vocabulary, arrays=arrays)

    # --- features ------------------------------------------------------------------------------

    def _set_vocabulary(self, vocabulary: list[str]) -> None:
        self.vocabulary = list(vocabulary)
        self._counter = CountVectorizer(
            ngram_range=tuple(self.meta["features"]["ngrams"]),
            vocabulary={t: i for i, t in enumerate(vocabulary)},
            dtype=np.float32,
        )

    def _fit_vocabulary(self, texts: list[str]) -> None:
        f = self.meta["features"]
        counter = CountVectorizer(
            ngram_range=tuple(f["ngrams"]),
            min_df=min(f["min_df"], max(len(texts), 1)),
            max_features=f["max_features"],
            dtype=np.float32,
        )
        counts = counter.fit_transform(texts)
        vocabulary = [""] * len(counter.vocabulary_)
        for term, i in counter.vocabulary_.items():
            vocabulary[i] = term
        self._set_vocabulary(vocabulary)
        df = np.bincount(counts.indices, minlength=len(vocabulary))
        self.idf = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(
            np.float32
        )  # smoothed, as scikit-learn's TfidfTransformer

    def features(self, texts: list[str]) -> sparse.csr_matrix:
        """Sublinear term frequency times idf, each row of unit length."""
        x = self._counter.transform(texts).tocsr()
        x.data = 1 + np.log(x.data)
        x = x @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.csr_matrix(sparse.diags(1 / norms) @ x, dtype=np.float32)

    # --- inference -----------------------------------------------------------------------------

    def raw_logits(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return np.asarray(self.features(texts) @ self.coef.T) + self.intercept

    def predict(self, inputs: list) -> list[dict]:
        texts = [str(t) for t in inputs]
        z = self.raw_logits(texts)
        if self.task_type == "classification":
            z = z - z.max(axis=1, keepdims=True)
            probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
            return [
                {
                    "label": self.labels[int(p.argmax())],
                    "score": float(p.max()),
                    "scores": dict(zip(self.labels, map(float, p))),
                }
                for p in probs
            ]
        probs = np.minimum(1 / (1 + np.exp(-(z + self.shift))), self.cap)
        # "thresholded": 0.5 is each label's own threshold from validation, so a blend may read the scores as sure.
        return [
            {
                "labels": [l for l, v in zip(self.labels, p) if v >= 0.5],
                "scores": dict(zip(self.labels, map(float, p))),
                "thresholded": True,
            }
            for p in probs
        ]

    # --- training ------------------------------------------------------------------------------

    def fit(
        self,
        train: list[dict],
        validation: list[dict],
        hp: Hyperparameters,
        *,
        evaluate,
        primary_metric: str,
        on_progress=lambda fraction, stage: None,
        on_epoch=lambda record: None,
        should_stop=lambda: False,
    ) -> FitResult:
        """One record per C of the grid (the validation metric of that C for every label), then, for multilabel
        kinds, the model that keeps each label's best C; the best record's model is the one kept."""
        if not train:
            raise ValueError("no training examples")
        texts = [str(e["input"]) for e in train]
        on_progress(0.0, "counting words")
        self._fit_vocabulary(texts)
        x = self.features(texts)
        xv = self.features([str(e["input"]) for e in validation]) if validation else None
        multilabel = self.task_type != "classification"
        y = (
            np.array([[label in e["target"] for label in self.labels] for e in train], dtype=bool)
            if multilabel
            else np.array([self.labels.index(str(e["target"])) for e in train])
        )
        base_c = 1.0 / max(hp.l2_penalty, 1e-6)
        grid = [base_c * f for f in C_FACTORS]
        result, candidates, best = FitResult(), [], (-math.inf, None)
        steps = len(grid) + (1 if multilabel else 0)
        for n, c in enumerate(grid, 1):
            started = time.monotonic()
            on_progress((n - 1) / steps, f"C={c:g} ({n}/{len(grid)}): training")
            coef, intercept = (
                self._fit_labels(
                    x, y, c, hp, should_stop, lambda f, n=n: on_progress((n - 1 + f) / steps, f"C={c:g}: training")
                )
                if multilabel
                else self._fit_classes(x, y, c, hp)
            )
            self.coef, self.intercept = coef, intercept
            label_quality = self._choose_thresholds(validation, xv) if multilabel else None
            candidates.append((coef, intercept, self.shift, self.cap, label_quality))
            best = self._record(result, evaluate, validation, primary_metric, on_epoch, started, best, n, {"C": c})
        if multilabel and len(grid) > 1:
            started = time.monotonic()
            on_progress(len(grid) / steps, "each label's best C")
            pick = [max(range(len(grid)), key=lambda i, j=j: candidates[i][4][j]) for j in range(len(self.labels))]
            self.coef = np.stack([candidates[i][0][j] for j, i in enumerate(pick)])
            self.intercept = np.array([candidates[i][1][j] for j, i in enumerate(pick)], dtype=np.float32)
            self._choose_thresholds(validation, xv)
            candidates.append((self.coef, self.intercept, self.shift, self.cap, None))
            best = self._record(
                result,
                evaluate,
                validation,
                primary_metric,
                on_epoch,
                started,
                best,
                len(grid) + 1,
                {"C": "per label", "C_per_label": {label: grid[i] for label, i in zip(self.labels, pick)}},
            )
        result.best_epoch = best[1]
        self.coef, self.intercept, self.shift, self.cap, _ = candidates[result.best_epoch - 1]
        chosen = result.epochs[result.best_epoch - 1].validation
        self.meta["chosen"] = {
            "C": chosen.get("C"),
            **({"C_per_label": chosen["C_per_label"]} if "C_per_label" in chosen else {}),
        }
        if multilabel:
            self.meta["thresholds"] = self._threshold_report
        on_progress(1.0, "trained")
        return result

    def _record(self, result, evaluate, validation, primary_metric, on_epoch, started, best, epoch, extra):
        metrics = {**(evaluate(validation) if validation else {}), **extra}
        record = EpochRecord(epoch, 0.0, metrics, round(time.monotonic() - started, 3))
        result.epochs.append(record)
        on_epoch(record)
        value = metrics.get(primary_metric, -math.inf)
        return (value, epoch) if value > best[0] or best[1] is None else best

    def _fit_labels(self, x, y, c: float, hp: Hyperparameters, should_stop, progress):
        coef = np.zeros((len(self.labels), x.shape[1]), dtype=np.float32)
        intercept = np.full(len(self.labels), SILENT, dtype=np.float32)
        for j in range(len(self.labels)):
            if should_stop():
                raise Cancelled()
            if y[:, j].sum() >= 2 and not y[:, j].all():
                model = LogisticRegression(
                    C=c, solver="liblinear", max_iter=300, class_weight=CLASS_WEIGHT, random_state=hp.seed
                ).fit(x, y[:, j])
                coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
            progress((j + 1) / len(self.labels))
        return coef, intercept

    def _fit_classes(self, x, y, c: float, hp: Hyperparameters):
        coef = np.zeros((len(self.labels), x.shape[1]), dtype=np.float32)
        intercept = np.full(len(self.labels), SILENT, dtype=np.float32)
        seen = sorted(set(y.tolist()))
        if len(seen) == 1:
            intercept[seen[0]] = 0.0
            return coef, intercept
        model = LogisticRegression(C=c, max_iter=500, random_state=hp.seed).fit(x, y)
        if len(seen) == 2:  # scikit-learn keeps one row for two classes
            coef[seen[1]], intercept[seen[1]] = model.coef_[0], model.intercept_[0]
            intercept[seen[0]] = 0.0
        else:
            for row, cls in enumerate(model.classes_):
                coef[cls], intercept[cls] = model.coef_[row], model.intercept_[row]
        return coef, intercept

    def _choose_thresholds(self, validation: list[dict], xv) -> list[tuple]:
        """Per label, the threshold with the best F1 among those reaching MIN_PRECISION on validation (per group, the
        top-scored item is what is shown). Returns how good each label got, to compare Cs: (reached, F1, AUPR-ish)."""
        n = len(self.labels)
        self.shift, self.cap = np.zeros(n, dtype=np.float32), np.ones(n, dtype=np.float32)
        self._threshold_report = {}
        if not validation:
            return [(False, 0.0, 0.0)] * n
        probs = 1 / (1 + np.exp(-(np.asarray(xv @ self.coef.T) + self.intercept)))
        groups: dict[str, list[int]] = {}
        for i, e in enumerate(validation):
            groups.setdefault(str(e.get("group") or e.get("id") or i), []).append(i)
        quality = []
        for j, label in enumerate(self.labels):
            shown, support = [], 0
            for members in groups.values():
                top = max(members, key=lambda i: probs[i, j])
                shown.append((float(probs[top, j]), label in validation[top]["target"]))
                support += any(label in validation[i]["target"] for i in members)
            shown.sort(key=lambda s: -s[0])
            best_sure, best_any, tp = None, (0.0, 1.0), 0
            for k, (score, hit) in enumerate(shown, 1):
                tp += hit
                if k < len(shown) and shown[k][0] == score:
                    continue  # a threshold shows every item of its score
                f1 = 2 * tp / (k + support) if support else 0.0
                if f1 > best_any[0]:
                    best_any = (f1, score)
                if tp / k >= MIN_PRECISION and k >= MIN_SHOWN and (best_sure is None or f1 > best_sure[0]):
                    best_sure = (f1, score, tp / k, k)
            if best_sure is not None:
                f1, threshold, precision, k = best_sure
                self.shift[j] = _logit(0.5) - _logit(threshold)
            else:
                f1, threshold = best_any
                precision = k = None
                self.shift[j] = _logit(UNSURE_AT) - _logit(threshold)
                self.cap[j] = UNSURE_CAP
            self._threshold_report[label] = {
                "threshold": round(threshold, 4),
                "validation_f1": round(f1, 3),
                "sure": best_sure is not None,
                "validation_precision": None if precision is None else round(precision, 3),
                "shown": k,
            }
            quality.append((best_sure is not None, round(f1, 6)))
        return quality
