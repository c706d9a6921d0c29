"""A linear-chain CRF (CRFsuite) for token-classification kinds: no encoder, features of each token instead.

The engine describes a token by what any text shows (case, shape, affixes, its place on its line, its
neighbours); a kind adds what only its domain knows through `kind.token_features(text, tokens)`, which returns one
list of attribute strings per token (layout, sections, word lists). Tags are BIO; decoding yields well-formed spans
(an I- after anything but its own label opens a span, it never dangles).

A CRF has no epochs: each "epoch" of a crf run is one point of a small (c1, c2) grid around the run's
`l1_penalty` and `l2_penalty`, scored on the validation split; the best point is the model kept.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import time
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from suite.ml.engine import Cancelled
from suite.ml.engine.hparams import Hyperparameters
from suite.ml.engine.loop import EpochRecord, FitResult

FORMAT = 1
MODEL_FILE = "model.crfsuite"
# L-BFGS iterations per grid point: 100 take 74 s of CPU on 208 dotin resumes (resumes.ner, 2026-12-02).
MAX_ITERATIONS = 100
# Grid points as powers of 4 applied to (c1, c2): the run's own point first, then more L1, more L2, both, neither.
GRID_STEPS = ((0, 0), (1, -1), (-1, 1), (1, 1), (-1, -1))

TOKEN = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+|\w+(?:[.'’+#&/-]\w+)*[+#]*\.?|[^\w\s]",
)
_SHAPE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10)
_RUNS = re.compile(r"(.)\1+")


def tokenize(text: str) -> list[tuple[int, int]]:
    """Character (start, end) of each token: words (with inner dots, apostrophes, +, #), e-mails, links, marks."""
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


@lru_cache(maxsize=50_000)
def shape(word: str) -> str:
    """'Xxxxx', 'dddd', 'XX.': runs of a class collapsed to two, so "Madrid" and "Oslo" share one."""
    return _RUNS.sub(r"\1\1", word.translate(_SHAPE))[:8]


@lru_cache(maxsize=200_000)
def word_features(w: str) -> tuple[str, ...]:
    """What a word says by itself (cached: words repeat across a corpus)."""
    low = w.lower()
    return (
        "bias",
        f"w={low}",
        f"p3={low[:3]}",
        f"s2={low[-2:]}",
        f"s3={low[-3:]}",
        f"shape={shape(w)}",
        f"upper={w.isupper()}",
        f"title={w.istitle()}",
        f"digit={any(c.isdigit() for c in w)}",
        f"alpha={w.isalpha()}",
        f"len={min(len(w), 12)}",
        f"at={'@' in w and len(w) > 3}",
        f"link={low.startswith(('http', 'www.'))}",
    )


@lru_cache(maxsize=200_000)
def neighbour_features(w: str) -> tuple[tuple[str, ...], ...]:
    """A word's features as seen from two tokens after it, one after, one before and two before (offsets -2..2)."""
    low, sh, title, upper = w.lower(), shape(w), w.istitle(), w.isupper()
    near = {d: (f"{d}:w={low}", f"{d}:shape={sh}", f"{d}:title={title}", f"{d}:upper={upper}") for d in (-1, 1)}
    return ((f"2:w={low}",), near[1], (), near[-1], (f"-2:w={low}",))  # indexed by 2 - (its offset from the token)


_POS = tuple(f"pos={k}" for k in range(7))
_EDGE = {d: (f"{d}:none",) for d in (-2, -1, 1, 2)}
_OTHER_LINE = {-1: ("-1:otherline",), 1: ("1:otherline",)}


def bucket(n: int, edges=(0, 1, 2, 3, 5, 8, 12, 20, 40)) -> int:
    """A count as a coarse feature value: the largest edge not above it."""
    return edges[max(0, bisect_right(edges, n) - 1)]


def line_of_tokens(text: str, tokens: list[tuple[int, int]]) -> list[int]:
    """The line number of each token."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return [bisect_right(starts, s) - 1 for s, _ in tokens]


def token_features(text: str, tokens: list[tuple[int, int]]) -> list[list[str]]:
    """The engine's own features of each token: the word, its place on its line, its neighbours.

    Built for speed (about 740 tokens a resume, every parse): a word's own and neighbour features come from
    per-word caches, line-level strings are made once per line, neighbours' tuples are added by reference."""
    n = len(tokens)
    if not n:
        return []
    words = [text[s:e] for s, e in tokens]
    own = list(map(word_features, words))
    near = list(map(neighbour_features, words))
    lines = line_of_tokens(text, tokens)
    pos = _POS
    after2, after1 = [x[0] for x in near], [x[1] for x in near]  # a word as seen from two tokens after it, one after
    before1, before2 = [x[3] for x in near], [x[4] for x in near]
    edge_b2, edge_b1, edge_a1, edge_a2 = _EDGE[-2], _EDGE[-1], _EDGE[1], _EDGE[2]
    other_b, other_a = _OTHER_LINE[-1], _OTHER_LINE[1]
    out = []
    first = 0
    line_n = "line.n=0"
    last_i = n - 1
    for i in range(n):
        li = lines[i]
        if i == 0 or lines[i - 1] != li:
            first = i
            line_n = f"line.n={bucket(li)}"
        f = [*own[i], pos[min(i - first, 6)], line_n]
        if i == first:
            f.append("line.first")
        if i == last_i or lines[i + 1] != li:
            f.append("line.last")
        f += before2[i - 2] if i >= 2 else edge_b2
        if i >= 1:
            f += before1[i - 1]
            if lines[i - 1] != li:
                f += other_b
        else:
            f += edge_b1
        if i < last_i:
            f += after1[i + 1]
            if lines[i + 1] != li:
                f += other_a
        else:
            f += edge_a1
        f += after2[i + 2] if i + 2 <= last_i else edge_a2
        out.append(f)
    return out


def bio_tags(tokens: list[tuple[int, int]], spans: list) -> list[str]:
    """BIO tags of tokens from character spans (a token is inside a span when it overlaps it)."""
    tags = ["O"] * len(tokens)
    ends = [e for _, e in tokens]
    for start, end, label, *_ in sorted(spans):
        i = bisect_right(ends, start)  # the first token ending after the span starts
        first = True
        while i < len(tokens) and tokens[i][0] < end:
            tags[i] = ("B-" if first else "I-") + label
            first = False
            i += 1
    return tags


def spans_from_tags(tokens: list[tuple[int, int]], tags: list[str], scores: list[float] | None = None) -> list[list]:
    """Well-formed [start, end, label, score] spans: a span opens at B-X, or at an I-X not continuing an X; its
    score is its least sure token's."""
    spans, current = [], None
    for i, tag in enumerate(tags):
        sure = scores[i] if scores else 1.0
        if current is not None and tag == f"I-{current[2]}":
            current[1] = tokens[i][1]
            current[3] = min(current[3], sure)
            continue
        if current is not None:
            spans.append(current)
            current = None
        if tag != "O":
            current = [tokens[i][0], tokens[i][1], tag[2:], sure]
    if current is not None:
        spans.append(current)
    return [[s, e, label, round(score, 4)] for s, e, label, score in spans]


class CRFModel:
    """A kind's CRF: features from the engine and the kind, CRFsuite's model held in memory, saved as its own file."""

    def __init__(self, *, kind, meta: dict, model: bytes | None = None):
        self.kind, self.meta = kind, meta
        self.task_type = meta["task_type"]
        self.labels = tuple(meta["labels"])
        self._tagger = None
        self._model = None
        self._sequences: dict[str, tuple] | None = None  # features of the texts a fit sees, computed once per fit
        if model is not None:
            self._use(model)

    # --- building, saving, loading ------------------------------------------------------------

    @classmethod
    def from_base(cls, kind, *, base: str, strategy: str, hp: Hyperparameters) -> "CRFModel":
        meta = {
            "format": FORMAT, "kind": kind.name, "task_type": kind.task_type, "labels": list(kind.labels),
            "strategy": strategy, "hyperparameters": hp.as_dict(), "max_iterations": MAX_ITERATIONS,
        }
        return cls(kind=kind, meta=meta)

    def save(self, folder: Path) -> None:
        if self._model is None:
            raise ValueError("this CRF has not been trained")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MODEL_FILE).write_bytes(self._model)
        (folder / "fineloop.json").write_text(json.dumps(self.meta, indent=2))

    @classmethod
    def load(cls, kind, folder: Path) -> "CRFModel":
        meta = json.loads((Path(folder) / "fineloop.json").read_text())
        if kind is None:  # its features come through the kind: without it the model would read other features
            raise ValueError(f"a CRF version loads with its kind ({meta['kind']}); engine.load(version, kind)")
        return cls(kind=kind, meta=meta, model=(Path(folder) / MODEL_FILE).read_bytes())

    def _use(self, model: bytes) -> None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model)
        self._model, self._tagger = model, tagger

    # --- features and inference ------------------------------------------------------------------

    def sequence(self, text: str) -> tuple[list[tuple[int, int]], list[list[str]]]:
        """(tokens, features): the engine's features of each token, then the kind's."""
        if self._sequences is not None and text in self._sequences:
            return self._sequences[text]
        tokens = tokenize(text)
        feats = token_features(text, tokens)
        extra = getattr(self.kind, "token_features", None)
        more = extra(text, tokens) if extra is not None and tokens else None
        if more:
            for f, m in zip(feats, more):
                f += m
        return tokens, feats

    def predict(self, inputs: list) -> list[dict]:
        if self._tagger is None:
            raise ValueError("this CRF has not been trained")
        out = []
        for text in inputs:
            tokens, feats = self.sequence(text)
            if not tokens:
                out.append({"spans": []})
                continue
            tags = self._tagger.tag(feats)
            sure = [self._tagger.marginal(t, i) if t != "O" else 1.0 for i, t in enumerate(tags)]  # spans need one
            out.append({"spans": spans_from_tags(tokens, tags, sure)})
        return out

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
        """One CRF per grid point, each scored on `validation`; the best is kept (early stop after `patience`)."""
        import pycrfsuite

        steps = GRID_STEPS[: max(1, min(hp.epochs, len(GRID_STEPS)))]
        points = list(dict.fromkeys((hp.l1_penalty * 4.0**a, hp.l2_penalty * 4.0**b) for a, b in steps))  # 0 stays 0
        self._sequences = {}
        try:
            on_progress(0.0, "token features")
            for e in [*train, *validation]:
                if should_stop():
                    raise Cancelled()
                self._sequences[e["input"]] = self.sequence(e["input"])
            result, best_value, best_model, waited = FitResult(), -math.inf, None, 0
            for n, (c1, c2) in enumerate(points, start=1):
                if should_stop():
                    raise Cancelled()
                on_progress((n - 1) / len(points), f"epoch {n}/{len(points)}: training c1={c1:g} c2={c2:g}")
                started = time.monotonic()
                trainer = pycrfsuite.Trainer(verbose=False)
                for e in train:
                    tokens, feats = self._sequences[e["input"]]
                    if tokens:
                        trainer.append(feats, bio_tags(tokens, e["target"]))
                # every transition is kept, so O -> I-X is learned as unlikely; decoding still closes any that remain
                trainer.set_params({
                    "c1": c1, "c2": c2, "max_iterations": self.meta["max_iterations"],
                    "feature.possible_transitions": True,
                })
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / MODEL_FILE
                    trainer.train(str(path))
                    self._use(path.read_bytes())
                last = trainer.logparser.last_iteration or {}
                tokens_seen = sum(len(self._sequences[e["input"]][0]) for e in train) or 1
                on_progress((n - 0.5) / len(points), f"epoch {n}/{len(points)}: validating")
                metrics = {**evaluate(validation), "c1": c1, "c2": c2}
                record = EpochRecord(
                    n, float(last.get("loss", 0.0)) / tokens_seen, metrics, round(time.monotonic() - started, 3)
                )
                result.epochs.append(record)
                on_epoch(record)
                value = metrics.get(primary_metric, -math.inf)
                if value > best_value:
                    best_value, best_model, result.best_epoch, waited = value, self._model, n, 0
                else:
                    waited += 1
                    if waited >= hp.patience:
                        result.stopped_early = n < len(points)
                        break
            if best_model is None:  # no point scored the primary metric: the last one stands
                best_model, result.best_epoch = self._model, len(result.epochs)
            self._use(best_model)
            best = points[result.best_epoch - 1]
            self.meta["hyperparameters"] = {**hp.as_dict(), "l1_penalty": best[0], "l2_penalty": best[1]}
            return result
        finally:
            self._sequences = None
