"""The learning loops: dotin -> resumes.ner trained by the real worker -> gate -> parse output changes; and
relevance feedback -> resumes.match retrained -> the job the candidate rejected moves down."""
import io
import time

import pytest

from annotation.services import annotations_import, snapshot_freeze
from resumes.ml import MATCH, NER
from resumes.models import JobPosting, Recommendation, Resume
from resumes.services import match_feedback_record, recommendations_build, resume_parse, resume_upload
from suite.ml import selectors as ml_selectors
from suite.ml import services as ml_services
from suite.ml.models import TrainingRun
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.resumes.support import DATA, RESUME, import_postings, uploaded

DOTIN = DATA / "resumes" / "dotin" / "train.jsonl"
FAST = {"learning_rate": 5e-3, "head_learning_rate": 1e-2, "epochs": 8, "patience": 4, "max_length": 128, "batch_size": 16}


def wait(run: TrainingRun, seconds: float = 240) -> TrainingRun:
    deadline = time.monotonic() + seconds
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    return run


@pytest.mark.skipif(not DOTIN.exists(), reason="../shared/data/resumes/dotin is not here")
def test_dotin_trains_resumes_ner_on_the_worker_and_the_gate_decides_what_parses(celery_worker):
    candidate, reviewer = UserFactory(role="candidate"), UserFactory(role="reviewer")
    client = api_client_for(candidate)
    uploaded_response = client.post("/api/resumes/", {"file": uploaded("jane.txt", RESUME.encode())}, format="multipart")
    resume = Resume.objects.get(pk=uploaded_response.json()["id"])
    deadline = time.monotonic() + 60
    while resume.status in ("uploaded", "processing") and time.monotonic() < deadline:
        time.sleep(0.3)
        resume.refresh_from_db()
    assert resume.status == "done" and resume.parse_result["name"] == "Jane Doe"  # parsed by the worker
    before = resume.parse_result

    lines = DOTIN.read_bytes().splitlines(keepends=True)[:30]
    counts = annotations_import(format="dotin", stream=io.BytesIO(b"".join(lines)), kind=NER, accepted=True, user=reviewer)
    assert counts["accepted"] == 30 and counts["skipped"] >= 0
    snapshot = snapshot_freeze(kind=NER)
    run = wait(ml_services.training_run_start(kind=NER, strategy="full", hyperparameters={**FAST, "epochs": 3}, snapshot=snapshot))

    assert run.status == "succeeded", run.error
    gate = run.gate
    # The gate decides (a clear improvement, no golden-set loss); what parses next follows its decision.
    assert {"new", "current", "promoted", "interval"} <= set(gate)
    assert gate["promoted"] == (ml_selectors.production_version(kind=NER) is not None)
    assert client.post(f"/api/resumes/{resume.pk}/retry/").status_code == 202
    deadline = time.monotonic() + 60
    resume.refresh_from_db()
    while resume.status != "done" and time.monotonic() < deadline:
        time.sleep(0.3)
        resume.refresh_from_db()
    after = resume.parse_result
    if gate["promoted"]:
        assert after["model_versions"] == {NER: "v1"} and after["entities"] != before["entities"]
    else:
        assert after["model_versions"] == {NER: "default"} and after["entities"] == before["entities"]


@pytest.mark.django_db(transaction=True)
def test_marking_a_job_not_relevant_moves_it_down_after_resumes_match_is_retrained(tmp_path):
    import_postings(tmp_path)
    clerk = JobPosting.objects.get(title="Warehouse Data Clerk")
    resumes = []
    for i in range(11):
        owner = UserFactory(role="candidate")
        text = RESUME.replace("Jane Doe", f"Jane Doe{'x' * i}")
        resumes.append(resume_parse(resume_id=resume_upload(user=owner, file=uploaded(f"r{i}.txt", text.encode()), enqueue=False).pk))
    # The last candidate judges nothing: what moves its clerk posting is the retrained ranker, not a "not relevant".
    mine = resumes.pop()
    rank_before = Recommendation.objects.get(resume=mine, job=clerk).rank
    assert rank_before <= 2  # its words match the resume well: the untrained ranking puts it near the top

    for resume in resumes:
        for job in JobPosting.objects.all():
            relevant = job.title in ("Data Analyst", "Senior Reporting Analyst", "Statistician")
            match_feedback_record(resume=resume, job=job, user=resume.owner, rating=5 if relevant else 1)
    snapshot = snapshot_freeze(kind=MATCH)
    hp = {"epochs": 150, "patience": 50, "head_learning_rate": 5e-2, "batch_size": 8}
    run = ml_services.training_run_start(kind=MATCH, strategy="feature", hyperparameters=hp, snapshot=snapshot, enqueue=False)
    run = ml_services.training_run_execute(run_id=run.pk)
    assert run.status == "succeeded", run.error
    assert run.gate["promoted"], run.gate

    recommendations_build(resume=mine)
    rank_after = Recommendation.objects.get(resume=mine, job=clerk).rank
    assert rank_after > rank_before and rank_after >= 4, (rank_before, rank_after, str([(r.job.title, r.score, r.components) for r in Recommendation.objects.filter(resume=mine)]))
