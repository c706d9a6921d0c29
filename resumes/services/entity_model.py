"""resumes.ner's CRF, trained on the product's own data path: the accepted annotations frozen into a snapshot.

It is fitted on the snapshot's train split, its regularisation picked on the validation split, measured once on the
test split against what serves now (a promoted transformer version, else the rules), and served only when better.
"""

from __future__ import annotations

import json
import time

from django.conf import settings

from resumes import selectors
from resumes.ml import NER
from resumes.pipeline import crf
from suite.ml import engine
from suite.ml import kinds as K
from suite.ml import selectors as ml_selectors

# (c1, c2): L1 keeps few features, L2 spreads weight; both tried, the validation split picks.
GRID = ((0.05, 0.05), (0.2, 0.01))


def tagger_predictor(tagger: crf.EntityTagger, taxonomy, prepared: dict | None = None):
    """Predictions in the kind's shape: the CRF's spans, with the rules' e-mail and name where it found none."""
    from resumes.pipeline.entities import default_entities

    def predict(inputs):
        out = []
        for text in inputs:
            rules = default_entities(text, taxonomy)
            tokens = crf.tokenize(text)
            sequence = prepared.get(text) if prepared else None
            spans = tagger.spans(
                text, taxonomy, sequence or (tokens, crf.token_features(text, tokens, rules, taxonomy))
            )
            out.append({"spans": crf.filled_from_rules(spans, rules)})
        return out

    return predict


def entity_tagger_train(
    *, snapshot=None, grid=GRID, max_iterations: int = 150, promote: bool = True, log=print
) -> dict:
    """Train, pick, measure and (when it beats what serves) serve a CRF; returns what it measured."""
    from suite.ml.models import DatasetSnapshot
    from annotation.services import snapshot_freeze

    kind = K.get_kind(NER)
    snapshot = snapshot or DatasetSnapshot.objects.filter(kind=NER).first() or snapshot_freeze(kind=NER)
    splits = ml_selectors.snapshot_examples(snapshot=snapshot)
    taxonomy = selectors.skill_taxonomy()
    started = time.perf_counter()
    prepared = {e["input"]: crf.sequence(e["input"], taxonomy) for rows in splits.values() for e in rows}
    log(f"features for {len(prepared)} resumes in {time.perf_counter() - started:.0f} s")
    folder = settings.MODEL_ROOT / "resumes.ner-crf"
    folder.mkdir(parents=True, exist_ok=True)
    tried, best = [], None
    for c1, c2 in grid:
        path = folder / f"{snapshot.content_hash[:12]}-c1_{c1}-c2_{c2}.crfsuite"
        started = time.perf_counter()
        crf.train(
            splits["train"],
            path,
            taxonomy,
            c1=c1,
            c2=c2,
            max_iterations=max_iterations,
            prepared=[prepared[e["input"]] for e in splits["train"]],
        )
        seconds = time.perf_counter() - started
        validation = engine.score(
            kind, splits["validation"], tagger_predictor(crf.EntityTagger(path), taxonomy, prepared)
        )
        tried.append({"c1": c1, "c2": c2, "train_seconds": round(seconds, 1), "validation": validation})
        log(f"c1={c1} c2={c2}: validation micro F1 {validation['f1']:.3f} ({seconds:.0f} s)")
        if best is None or validation["f1"] > best[1]["f1"]:
            best = (path, validation)
    for path in folder.glob(f"{snapshot.content_hash[:12]}-*.crfsuite"):
        if path != best[0]:
            path.unlink()
    tagger = crf.EntityTagger(best[0])
    test = engine.score(kind, splits["test"], tagger_predictor(tagger, taxonomy, prepared))  # once, after the pick
    serving = kind.evaluate(splits["test"])  # what parsing serves now on the same resumes
    better = test["f1"] > serving["f1"]
    report = {
        "snapshot": snapshot.pk,
        "split_counts": snapshot.split_counts,
        "model": best[0].name,
        "tried": tried,
        "test": test,
        "serving_before": serving,
        "served": bool(promote and better),
        "date": time.strftime("%Y-%m-%d"),
    }
    (folder / f"{best[0].stem}.json").write_text(json.dumps(report, indent=1, default=str))
    log(
        f"test micro F1 {test['f1']:.3f} against {serving['f1']:.3f} served now: "
        + ("served from now on" if report["served"] else "kept, not served")
    )
    if report["served"]:
        pointer = selectors.entity_tagger_file()
        tmp = pointer.with_suffix(".tmp")
        tmp.write_text(json.dumps({"model": best[0].name, "snapshot": snapshot.pk, "test_f1": test["f1"]}))
        tmp.replace(pointer)  # atomic: a process reads the old or the new model, never half of one
    return report
