"""Parsing: a resume with known facts parses to exactly those facts, from every file type and every face."""
import json

import pytest
from django.core.management import call_command

from resumes.pipeline.entities import default_entities
from resumes.pipeline.profile import build_profile
from resumes.pipeline.skills import Taxonomy
from resumes.services import resume_parse, resume_upload
from tests.factories import UserFactory
from tests.resumes.support import FACTS, RESUME, docx_bytes, pdf_bytes, uploaded


def test_the_written_resume_parses_to_exactly_its_facts():
    text = RESUME
    profile = build_profile(text, default_entities(text, Taxonomy()), Taxonomy())
    assert profile == FACTS


def test_every_entity_offset_points_at_its_text_and_labels_are_the_dotin_ones():
    spans = default_entities(RESUME, Taxonomy())
    by_label = {}
    for start, end, label, _ in spans:
        by_label.setdefault(label, []).append(RESUME[start:end])
    assert by_label["Name"] == ["Jane Doe"]
    assert by_label["Email Address"] == ["jane.doe@example.org"]
    assert by_label["Companies worked at"] == ["Acme Corp", "Beta LLC"]
    assert by_label["Years of Experience"] == ["Jan 2020 - Dec 2022", "Jun 2018 - Dec 2019"]
    assert by_label["Degree"] == ["B.S. in Statistics"] and by_label["College Name"] == ["State University"]
    assert by_label["Graduation Year"] == ["2018"] and by_label["Soft Skills"] == ["communication"]


def test_overlapping_jobs_are_not_counted_twice():
    text = RESUME.replace("Jun 2018 - Dec 2019", "Jun 2019 - Jun 2020")
    profile = build_profile(text, default_entities(text, Taxonomy()), Taxonomy())
    assert profile["total_experience_months"] == 36 + 7  # Jun-Dec 2019 before Acme; Jan-Jun 2020 overlaps it


@pytest.mark.django_db
@pytest.mark.parametrize("name,content", [
    ("jane.txt", RESUME.encode()), ("jane.pdf", pdf_bytes(RESUME)), ("jane.docx", docx_bytes(RESUME)),
])
def test_txt_pdf_and_docx_give_the_same_profile(name, content):
    resume = resume_upload(user=UserFactory(role="candidate"), file=uploaded(name, content), enqueue=False)
    resume = resume_parse(resume_id=resume.pk)
    assert resume.status == "done", resume.failure_reason
    result = {k: resume.parse_result[k] for k in FACTS}
    assert result == FACTS
    assert resume.parse_result["model_versions"] == {"resumes.ner": "default"}
    for entity in resume.parse_result["entities"]:
        assert resume.text[entity["start"] : entity["end"]] == entity["text"]
    assert [s.normalized for s in resume.profile.skills.all()] == ["python", "sql", "tableau", "excel", "communication"]


@pytest.mark.django_db
@pytest.mark.parametrize("name,content,code", [
    ("resume.exe", b"MZ\x90\x00binary", "unsupported"),
    ("empty.txt", b"", "empty"),
    ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "corrupt"),
    ("broken.docx", b"PK\x03\x04 not a zip at all", "corrupt"),
    ("blank.txt", b"   \n\n  ", "no_text"),
])
def test_a_bad_file_is_kept_as_failed_with_its_reason_and_can_be_deleted(name, content, code):
    from resumes.models import Resume
    from resumes.services import resume_delete

    resume = resume_upload(user=UserFactory(role="candidate"), file=uploaded(name, content), enqueue=False)
    if resume.status == "uploaded":
        resume = resume_parse(resume_id=resume.pk)
    assert resume.status == "failed" and resume.failure_code == code, (resume.failure_code, resume.failure_reason)
    assert resume.failure_reason and not hasattr(resume, "profile") or not Resume.objects.get(pk=resume.pk).parse_result
    resume_delete(resume=resume)
    assert not Resume.objects.filter(pk=resume.pk).exists()


@pytest.mark.django_db
def test_parse_resume_command_prints_one_object_per_file(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(RESUME)
    (tmp_path / "b.docx").write_bytes(docx_bytes(RESUME.replace("Jane Doe", "John Roe")))
    call_command("parse_resume", str(tmp_path / "a.txt"), str(tmp_path / "b.docx"), "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [line["name"] for line in lines] == ["Jane Doe", "John Roe"]
    assert set(lines[0]) == {*FACTS, "entities", "model_versions"}
    assert {"label", "start", "end", "text"} == set(lines[0]["entities"][0])


def test_esco_labels_are_cut_from_the_merged_text():
    from resumes.services.reference import esco_label

    assert esco_label("manage musical staff manage staff of music coordinate duties Assign and manage staff.") == "manage musical staff"
    assert esco_label("supervise correctional procedures oversee prison procedures Supervise the operations.") == "supervise correctional procedures"


@pytest.mark.django_db
def test_a_resume_whose_worker_died_is_taken_over_or_retried_and_a_live_one_is_left_alone():
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from resumes.models import STALE_AFTER, Resume
    from resumes.services import resume_retry

    resume = resume_upload(user=UserFactory(role="candidate"), file=uploaded("cv.txt", RESUME.encode()), enqueue=False)
    Resume.objects.filter(pk=resume.pk).update(status="processing", claimed_at=timezone.now())
    assert resume_parse(resume_id=resume.pk).status == "processing"  # a live worker has it
    with pytest.raises(ValidationError):
        resume_retry(resume=Resume.objects.get(pk=resume.pk))

    Resume.objects.filter(pk=resume.pk).update(claimed_at=timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1))
    assert Resume.objects.get(pk=resume.pk).is_stale
    taken_over = resume_parse(resume_id=resume.pk)  # what the redelivered task does
    assert taken_over.status == "done" and taken_over.parse_result["name"] == "Jane Doe"


@pytest.mark.django_db
def test_a_resume_that_cannot_be_parsed_for_an_unexpected_reason_fails_with_it_recorded():
    from resumes.ml import NER
    from suite.ml import engine
    from suite.ml import services as ml_services
    from suite.ml.models import ModelVersion

    # The model in service has lost its files (a wiped volume): loading it fails inside parsing.
    names = ["Jane Doe", "John Roe", "Ann Poe"]
    snapshot = ml_services.snapshot_create(kind=NER, origin="test", examples=[
        {"id": str(i), "group": str(i), "input": name, "target": [[0, len(name), "Name"]]} for i, name in enumerate(names)
    ])
    version = ModelVersion.objects.create(kind=NER, number=1, artifact_dir="resumes.ner/gone", strategy="full", snapshot=snapshot)
    ml_services.alias_move(kind=NER, alias="production", version=version, reason="gate")
    engine.forget()
    resume = resume_upload(user=UserFactory(role="candidate"), file=uploaded("cv.txt", RESUME.encode()), enqueue=False)
    resume = resume_parse(resume_id=resume.pk)
    assert resume.status == "failed" and resume.failure_code == "error" and "unexpectedly" in resume.failure_reason
