"""The loop: CUAD contracts imported through the catalogue train summarizer.clauses; only the gate promotes.

With the tiny test encoder the worker's run learns nothing useful and the gate keeps it out of service; with the
real MiniLM, 60 contracts teach enough for the gate to promote it and the served key terms change.
"""
import csv
import gzip
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from annotation import services as annotation_services
from suite.ml import engine
from suite.ml import kinds as K
from suite.ml import selectors as ml_selectors
from suite.ml import services as ml_services
from suite.ml.models import ModelAlias, TrainingRun
from summarizer.formats import cuad_key
from tests.factories import UserFactory

CUAD = Path(settings.BASE_DIR).parent / "shared" / "data" / "contracts" / "cuad"
CONTRACTS = 6
REAL_CONTRACTS = 60  # 11 test contracts; 120 (23) took 9 min and still showed no gain over the patterns


def cuad_zip(n: int) -> io.BytesIO:
    """A zip in the `cuad` import format holding the first n CUAD contracts and their clause rows."""
    csv.field_size_limit(1 << 28)
    with gzip.open(CUAD / "master_clauses.csv.gz", "rt", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        rows = [row for _, row in zip(range(n), reader)]
        header = reader.fieldnames
    wanted = {cuad_key(r["Filename"]) for r in rows}
    contracts = []
    with gzip.open(CUAD / "contracts.jsonl.gz", "rt") as lines:
        for line in lines:
            record = json.loads(line)
            if cuad_key(record["filename"]) in wanted:
                contracts.append(line)
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cuad/contracts.jsonl", "".join(contracts))
        archive.writestr("cuad/master_clauses.csv", table.getvalue())
    buffer.seek(0)
    return buffer


def train(snapshot, user, **hyperparameters) -> TrainingRun:
    run = ml_services.training_run_start(kind="summarizer.clauses", strategy="feature", snapshot=snapshot, user=user,
                                         hyperparameters={"max_length": 64, **hyperparameters})
    deadline = time.monotonic() + 300
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run


@pytest.mark.skipif(not CUAD.exists(), reason="../shared/data/contracts/cuad is absent (a fresh clone has no shared data)")
def test_cuad_import_trains_clauses_and_only_the_gate_promotes(celery_worker):
    engine.forget()  # versions are cached by primary key, which a flushed test database hands out again
    reviewer, staff = UserFactory(role="reviewer"), UserFactory(is_staff=True)
    counts = annotation_services.annotations_import(format="cuad", stream=cuad_zip(CONTRACTS), kind="summarizer.clauses", accepted=True, user=reviewer)
    assert counts["accepted"] > CONTRACTS * 10
    snapshot = annotation_services.snapshot_freeze(kind="summarizer.clauses", user=reviewer)
    assert snapshot.split_counts["test"] > 0
    contract = unseen_contract()
    before = key_terms_served(contract)

    # A run that cannot have learned (one epoch at a negligible rate) is measured, kept as a candidate, not served.
    weak = train(snapshot, staff, epochs=1, head_learning_rate=1e-7)
    metric = weak.gate["metric"]
    assert metric == "key_term_f1" and not weak.gate["promoted"]
    assert weak.test_metrics[metric] <= weak.baseline_metrics[metric]
    assert ml_selectors.production_version(kind="summarizer.clauses") is None
    candidate = ModelAlias.objects.get(kind="summarizer.clauses", name="candidate").version
    assert candidate.training_run == weak
    assert key_terms_served(contract) == before

    # A run that learned: the gate alone decides, on the same split, and the served key terms follow its decision.
    strong = train(snapshot, staff, epochs=12, patience=12, head_learning_rate=5e-2)
    kind = K.get_kind("summarizer.clauses")
    version = ml_selectors.version_list(kind="summarizer.clauses").get(training_run=strong)
    passages = [line["input"] for line in map(json.loads, (settings.MODEL_ROOT / snapshot.examples_file).open())][:40]
    assert [p["scores"] for p in kind.predict(passages, version=version)] != [p["scores"] for p in kind.default_predict(passages)]
    # The gate promotes only when the 95% interval of the paired gain clears the margin and the golden set holds.
    interval, golden = strong.gate["interval"], strong.gate["golden"]
    promoted = interval["low"] > interval["margin"] and golden["passed"]
    assert strong.gate["promoted"] == promoted and (not promoted or interval["difference"] > 0)
    after = key_terms_served(contract)
    if promoted:
        assert ml_selectors.production_version(kind="summarizer.clauses") == version
        assert after["versions"]["summarizer.clauses"] == f"v{version.number}" and after["terms"] != before["terms"]
    else:
        assert ml_selectors.production_version(kind="summarizer.clauses") is None and after == before


def unseen_contract() -> str:
    """A CUAD contract the runs never trained on."""
    with gzip.open(CUAD / "contracts.jsonl.gz", "rt") as lines:
        for number, line in enumerate(lines):
            if number == REAL_CONTRACTS + 50:  # past every contract either test imports
                return json.loads(line)["text"][:20_000]
    raise AssertionError("CUAD has fewer contracts than expected")


def key_terms_served(text: str) -> dict:
    """The key terms the pipeline serves for `text` now, with the versions it used."""
    from summarizer import services as summarizer_services
    from summarizer.pipeline import analyse as A

    models, _ = summarizer_services.serving_models()
    result = A.analyse(text, [{"number": 1, "start": 0, "end": len(text)}], models, doc_type="contract")
    return {"terms": [(t["category"], t["start"], round(t["confidence"], 3)) for t in result["key_terms"]], "versions": result["model_versions"]}


@pytest.mark.django_db
def test_summary_imports_turn_reference_summaries_into_oracle_labels():
    reviewer = UserFactory(role="reviewer")
    lines = [json.dumps({"paper_id": f"p{i}", "source": ["Cats sleep.", f"We propose parser number {i} for law.", "The end is here."],
                         "target": [f"a parser number {i} for law"]}) for i in range(3)]
    counts = annotation_services.annotations_import(format="scitldr", stream=io.BytesIO("\n".join(lines).encode()),
                                                    kind="summarizer.salience", accepted=True, user=reviewer)
    assert counts["accepted"] == 3
    from annotation.models import Annotation

    assert {a.result["selected"][0] for a in Annotation.objects.all()} == {1}
    papers = json.dumps({"paper_id": "x", "body_text": "Intro text is here now. We build a tagger for speech today. It works well overall.",
                         "human_summary": "a tagger for speech"})
    assert annotation_services.annotations_import(format="scisummnet", stream=io.BytesIO(papers.encode()), kind="summarizer.salience",
                                                  accepted=True, user=reviewer)["accepted"] == 1
    plain = json.dumps({"a": {"original_text": "You agree to the terms. We may end your account at any time.", "reference_summary": "they can end your account"}})
    assert annotation_services.annotations_import(format="plain_english", stream=io.BytesIO(plain.encode()), kind="summarizer.salience",
                                                  accepted=True, user=reviewer)["accepted"] == 1
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        annotation_services.annotations_import(format="cuad", stream=io.BytesIO(b"not a zip"), kind="summarizer.clauses", accepted=True, user=reviewer)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(not CUAD.exists(), reason="../shared/data/contracts/cuad is absent (a fresh clone has no shared data)")
def test_with_the_real_encoder_the_gate_decides_on_its_interval_and_the_served_key_terms_follow(settings, request):
    """The real MiniLM trained on CUAD as `manage.py train` runs it: the gate decides by its interval and golden set.

    Since key terms need the model and the patterns to agree (precision first), a feature-strategy head on 60 or 120
    contracts shows no gain whose 95% interval clears zero (2026-12-02: +0.05 [-0.013, +0.100] on 60, +0.000 on 120),
    so the gate keeps it a candidate; the test proves that decision is the gate's rule and what users see follows it.
    """
    settings.SUITE_ENCODER = ""  # the packaged all-MiniLM-L6-v2, in this process (`manage.py train` runs the same way)
    engine.forget()
    request.addfinalizer(engine.forget)  # loaded versions are cached by primary key, which later tests hand out again
    reviewer, staff = UserFactory(role="reviewer"), UserFactory(is_staff=True)
    annotation_services.annotations_import(format="cuad", stream=cuad_zip(REAL_CONTRACTS), kind="summarizer.clauses", accepted=True, user=reviewer)
    snapshot = annotation_services.snapshot_freeze(kind="summarizer.clauses", user=reviewer)
    contract = unseen_contract()
    before = key_terms_served(contract)

    run = ml_services.training_run_start(kind="summarizer.clauses", strategy="feature", snapshot=snapshot, user=staff, enqueue=False,
                                         hyperparameters={"epochs": 25, "patience": 6, "head_learning_rate": 3e-2, "batch_size": 32, "max_length": 64})
    run = ml_services.training_run_execute(run_id=run.pk)

    assert run.status == "succeeded", run.error
    interval, golden = run.gate["interval"], run.gate["golden"]
    assert interval["groups"] >= 10 and golden["examples"] > 0
    promoted = interval["low"] > interval["margin"] and golden["passed"]
    assert run.gate["promoted"] == promoted, run.gate["why"]
    after = key_terms_served(contract)
    if promoted:
        version = ml_selectors.production_version(kind="summarizer.clauses")
        assert version.training_run == run
        assert after["versions"]["summarizer.clauses"] == f"v{version.number}" and after["terms"] != before["terms"]
    else:
        assert ml_selectors.production_version(kind="summarizer.clauses") is None and after == before
