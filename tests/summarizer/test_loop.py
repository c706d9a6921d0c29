"""The loop: CUAD contracts imported through the catalogue train summarizer.clauses; only the gate promotes."""
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


@pytest.mark.skipif(not CUAD.exists(), reason="../shared/data/contracts/cuad is absent (a fresh clone has no shared data)")
def test_cuad_import_trains_clauses_and_only_the_gate_promotes(celery_worker):
    engine.forget()  # versions are cached by primary key, which a flushed test database hands out again
    reviewer, staff = UserFactory(role="reviewer"), UserFactory(is_staff=True)
    counts = annotation_services.annotations_import(format="cuad", stream=cuad_zip(CONTRACTS), kind="summarizer.clauses", accepted=True, user=reviewer)
    assert counts["accepted"] > CONTRACTS * 10
    snapshot = annotation_services.snapshot_freeze(kind="summarizer.clauses", user=reviewer)
    assert snapshot.split_counts["test"] > 0

    kind = K.get_kind("summarizer.clauses")
    passages = [json.loads(line)["input"] for line in (settings.MODEL_ROOT / snapshot.examples_file).open()][:40]
    before = kind.predict(passages)

    run = ml_services.training_run_start(
        kind="summarizer.clauses", strategy="feature", snapshot=snapshot, user=staff,
        hyperparameters={"epochs": 12, "patience": 4, "head_learning_rate": 5e-2, "max_length": 64},
    )
    deadline = time.monotonic() + 240
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    assert run.status == "succeeded", run.error
    print("GATE", run.gate, run.test_metrics, run.baseline_metrics)
    version = ml_selectors.version_list(kind="summarizer.clauses").get(training_run=run)
    production = ml_selectors.production_version(kind="summarizer.clauses")
    # The gate alone decides: production iff the test metric beat the untrained default on the same split.
    assert (production == version) == run.gate["promoted"]
    assert ModelAlias.objects.filter(kind="summarizer.clauses", name="candidate" if not run.gate["promoted"] else "production", version=version).exists()
    after = kind.predict(passages, version=version)
    assert [p["scores"] for p in after] != [p["scores"] for p in before]
    assert TrainingRun.objects.filter(kind="summarizer.clauses", status="succeeded").count() == 1


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
