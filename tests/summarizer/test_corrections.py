"""People's corrections stay visible (page data, API, Markdown, PDF); a typeset PDF; deleting a document deletes what came from it."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from annotation.models import Annotation, AnnotationTask, Assignment, Flag
from suite.ml.models import ModelOutput
from summarizer import services
from summarizer.models import Document, DocumentOutput
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.summarizer.support import CONTRACT

pytestmark = pytest.mark.django_db


def processed_contract(lawyer) -> Document:
    document = services.document_upload(user=lawyer, file=SimpleUploadedFile("supply.txt", CONTRACT.encode()), doc_type="contract")
    services.document_process(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.failure_reason
    return document


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_flag_keeps_its_reason_and_correct_answer_and_shows_as_flagged_after_reload():
    lawyer = UserFactory(role="lawyer")
    document = processed_contract(lawyer)
    client = api_client_for(lawyer)
    law = next(t for t in document.result["key_terms"] if t["category"] == "Governing Law")
    response = client.post(f"/api/summarizer/documents/{document.pk}/flags/",
                           {"output": law["output"], "reason": "wrong", "answer": "Delaware"}, format="json")
    assert response.status_code == 201, response.json()
    flag = Flag.objects.get(pk=response.json()["id"])
    assert flag.reason == "wrong" and "Delaware" in flag.comment
    again = client.get(f"/api/summarizer/documents/{document.pk}/").json()["result"]  # a fresh read: what a reload shows
    shown = next(t for t in again["key_terms"] if t["category"] == "Governing Law")
    assert shown["flag"]["reason"] == "wrong" and shown["flag"]["answer"] == "Delaware" and shown["flag"]["by"] == lawyer.username
    markdown = client.get(f"/api/summarizer/documents/{document.pk}/summary.md").content.decode()
    assert "flagged wrong, correct answer: Delaware" in markdown


def test_removed_summary_sentences_stay_removed_and_added_ones_stay():
    lawyer = UserFactory(role="lawyer")
    document = processed_contract(lawyer)
    client = api_client_for(lawyer)
    candidates = document.result["summary_candidates"]
    shown = [candidates.index([s["start"], s["end"]]) for s in document.result["summary"]]
    removed = shown[0]
    added = next(i for i in range(len(candidates)) if i not in shown)
    response = client.post(f"/api/summarizer/documents/{document.pk}/summary/", {"selected": shown[1:] + [added]}, format="json")
    assert response.status_code == 201, response.json()
    summary = client.get(f"/api/summarizer/documents/{document.pk}/").json()["result"]["summary"]
    starts = [s["start"] for s in summary]
    assert candidates[removed][0] not in starts and candidates[added][0] in starts
    assert next(s for s in summary if s["start"] == candidates[added][0])["set_by"]["by"] == lawyer.username


def test_an_added_key_term_appears_in_the_api_markdown_and_pdf_marked_as_set_by_a_person():
    lawyer = UserFactory(role="lawyer")
    document = processed_contract(lawyer)
    client = api_client_for(lawyer)
    start = document.text.index("Beta shall indemnify")
    end = document.text.index(".", start) + 1
    response = client.post(f"/api/summarizer/documents/{document.pk}/key-terms/",
                           {"start": start, "end": end, "category": "Insurance", "answer": "product liability cover"}, format="json")
    assert response.status_code == 201, response.json()
    result = client.get(f"/api/summarizer/documents/{document.pk}/").json()["result"]
    term = next(t for t in result["key_terms"] if t["category"] == "Insurance")
    assert term["answer"] == "product liability cover" and term["status"] == "yes" and term["set_by"]["by"] == lawyer.username
    markdown = client.get(f"/api/summarizer/documents/{document.pk}/summary.md").content.decode()
    assert "| Insurance | product liability cover | yes |" in markdown and f"set by {lawyer.username}" in markdown
    text = pdf_text(client.get(f"/api/summarizer/documents/{document.pk}/summary.pdf").content)
    assert "product liability cover" in " ".join(text.split()) and f"set by {lawyer.username}" in " ".join(text.split())


def test_a_persons_governing_law_answers_the_at_a_glance_question():
    lawyer = UserFactory(role="lawyer")
    document = processed_contract(lawyer)
    start = document.text.index("This Agreement shall be governed")
    services.key_term_correct(document=document, user=lawyer, start=start, end=start + 60, category="Governing Law", answer="New York (state)")
    document.refresh_from_db()
    answer = next(a for a in document.result["answers"] if a["key"] == "governing_law")
    assert answer["answer"] == "New York (state)" and answer["set_by"]["by"] == lawyer.username


def test_the_pdf_download_is_typeset_with_headings_and_a_key_terms_table_not_markdown():
    lawyer = UserFactory(role="lawyer")
    document = processed_contract(lawyer)
    response = api_client_for(lawyer).get(f"/api/summarizer/documents/{document.pk}/summary.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "|" not in text and "**" not in text and "---" not in text
    flat = " ".join(text.split())
    for heading in ("At a glance", "Summary", "Key terms", "Risks"):
        assert heading in flat
    assert "Category Answer Status Page Excerpt" in flat  # the table's header row, typeset as cells
    assert "Governing law New York" in flat and "(p. 1)" in flat


def test_deleting_a_document_deletes_its_outputs_flags_tasks_answers_and_file(django_capture_on_commit_callbacks):
    lawyer, annotator = UserFactory(role="lawyer"), UserFactory(role="annotator")
    other = processed_contract(UserFactory(role="lawyer"))  # someone else's document stays whole
    document = processed_contract(lawyer)
    services.document_process(document_id=document.pk)  # outputs of an earlier run are no longer shown, still derived
    Document.objects.filter(pk=document.pk).update(status="uploaded")
    services.document_process(document_id=document.pk)
    document.refresh_from_db()
    law = next(t for t in document.result["key_terms"] if t["category"] == "Governing Law")
    flag = services.output_flag(document=document, user=lawyer, output_id=law["output"], reason="wrong", answer="Delaware")
    Assignment.objects.create(task=flag.task, annotator=annotator)
    Annotation.objects.create(task=flag.task, annotator=annotator, result=["Governing Law"])
    path = document.file.path
    derived = ModelOutput.objects.filter(object_id=str(document.pk), content_type__model="document")
    assert derived.count() > len(document.result["key_terms"]) + 2  # two runs' worth

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion commits
        response = api_client_for(lawyer).delete(f"/api/summarizer/documents/{document.pk}/")
    assert response.status_code == 204
    assert not derived.exists() and not Flag.objects.filter(pk=flag.pk).exists()
    assert not AnnotationTask.objects.filter(pk=flag.task_id).exists() and not Annotation.objects.filter(task_id=flag.task_id).exists()
    assert not Assignment.objects.filter(task_id=flag.task_id).exists() and not DocumentOutput.objects.filter(document_id=document.pk).exists()
    import os

    assert not os.path.exists(path)
    assert ModelOutput.objects.filter(object_id=str(other.pk), content_type__model="document").exists()
