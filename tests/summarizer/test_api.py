"""The API with a real worker: every input type processed, every bad input failed with a reason, feedback recorded."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotation.models import AnnotationTask, Flag
from suite.ml.models import ModelOutput
from summarizer.models import Document
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.summarizer.conftest import wait_finished
from tests.summarizer.support import BAD_FILES, CONTRACT, good_files


def upload(client, name, data, **fields):
    return client.post("/api/summarizer/documents/", {"file": SimpleUploadedFile(name, data), **fields}, format="multipart")


def test_every_input_type_is_processed_by_the_worker_with_cited_sentences(celery_worker):
    lawyer = UserFactory(role="lawyer")
    client = api_client_for(lawyer)
    ids = {}
    for name, data in good_files().items():
        response = upload(client, name, data, sentences=3)
        assert response.status_code == 201, response.json()
        ids[name] = response.json()["id"]
    for name, pk in ids.items():
        document = wait_finished(pk)
        assert document.status == "done", (name, document.failure_reason)
        body = client.get(f"/api/summarizer/documents/{pk}/").json()
        result = body["result"]
        assert len(result["summary"]) == 3
        for sentence in result["summary"]:
            assert " ".join(document.text[sentence["start"]:sentence["end"]].split()) == sentence["text"]
        assert set(body["model_versions"]) == {"summarizer.salience", "summarizer.clauses", "summarizer.doctype"}
        expected = "paper" if name.startswith("paper") else "contract"
        assert body["doc_type"] == expected, name
    pdf = client.get(f"/api/summarizer/documents/{ids['contract.pdf']}/").json()
    law = next(t for t in pdf["result"]["key_terms"] if t["category"] == "Governing Law")
    assert law["answer"] == "New York" and law["page"] == 2 and pdf["pages"] == 2
    # Every output the lawyer sees is recorded against the model that made it.
    assert ModelOutput.objects.filter(owner=lawyer, kind="summarizer.clauses").count() >= 5 * 3
    assert ModelOutput.objects.filter(owner=lawyer, kind="summarizer.salience").count() == 4


def test_bad_files_fail_with_a_reason_and_can_be_retried_or_deleted(celery_worker):
    client = api_client_for(UserFactory(role="researcher"))
    for name, (make, code) in BAD_FILES.items():
        response = upload(client, name, make())
        assert response.status_code == 201, response.json()
        document = wait_finished(response.json()["id"])
        assert (document.status, document.failure_code) == ("failed", code), name
        assert document.failure_reason and document.file.name  # the upload is kept
        listed = client.get("/api/summarizer/documents/").json()["results"]
        assert any(d["id"] == document.pk and d["failure_reason"] == document.failure_reason for d in listed)
    scan = Document.objects.get(original_name="scan.pdf")
    retried = client.post(f"/api/summarizer/documents/{scan.pk}/retry/", {}, format="json")
    assert retried.status_code == 200 and wait_finished(scan.pk).failure_code == "no_text_layer"
    png = Document.objects.get(original_name="photo.png")
    refused = client.post(f"/api/summarizer/documents/{png.pk}/retry/", {}, format="json")
    assert refused.status_code == 400 and "supported" in refused.json()["error"]["message"]
    assert client.delete(f"/api/summarizer/documents/{png.pk}/").status_code == 204
    assert not Document.objects.filter(pk=png.pk).exists()


@pytest.mark.django_db
def test_too_large_empty_and_bad_options_are_refused_and_nothing_is_stored(settings):
    client = api_client_for(UserFactory(role="lawyer"))
    settings.DOCUMENT_MAX_BYTES = 100
    too_big = upload(client, "big.txt", b"x" * 500)
    assert too_big.status_code == 400 and too_big.json()["error"]["fields"]["file"]
    settings.DOCUMENT_MAX_BYTES = 10_000
    assert upload(client, "empty.txt", b"").status_code == 400
    bad = upload(client, "c.txt", CONTRACT.encode(), doc_type="poem", sentences=0)
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) >= {"doc_type", "sentences"}
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_only_lawyers_and_researchers_use_it_and_only_owners_see_their_documents():
    from summarizer import services

    owner = UserFactory(role="lawyer")
    document = services.document_upload(user=owner, file=SimpleUploadedFile("c.txt", CONTRACT.encode()))
    assert api_client_for(UserFactory(role="patient")).get("/api/summarizer/documents/").status_code == 403
    other = api_client_for(UserFactory(role="lawyer"))
    assert other.get(f"/api/summarizer/documents/{document.pk}/").status_code == 404
    assert other.delete(f"/api/summarizer/documents/{document.pk}/").status_code == 404


@pytest.mark.django_db
def test_feedback_flags_key_terms_corrects_summaries_and_adds_key_terms():
    from summarizer import services

    lawyer = UserFactory(role="lawyer")
    document = services.document_upload(user=lawyer, file=SimpleUploadedFile("c.txt", CONTRACT.encode()), doc_type="contract")
    services.document_process(document_id=document.pk)
    document.refresh_from_db()
    client = api_client_for(lawyer)
    term = next(t for t in document.result["key_terms"] if t["category"] == "Cap on Liability")

    flagged = client.post(f"/api/summarizer/documents/{document.pk}/flags/", {"output": term["output"], "reason": "wrong"}, format="json")
    assert flagged.status_code == 201, flagged.json()
    task = AnnotationTask.objects.get(pk=flagged.json()["task"])
    assert task.kind == "summarizer.clauses" and task.prediction == ["Cap on Liability"]

    corrected = client.post(f"/api/summarizer/documents/{document.pk}/summary/", {"selected": [0, 2]}, format="json")
    assert corrected.status_code == 201, corrected.json()
    assert Flag.objects.get(pk=corrected.json()["id"]).correction == {"selected": [0, 2]}
    assert client.post(f"/api/summarizer/documents/{document.pk}/summary/", {"selected": [999]}, format="json").status_code == 400

    preferred = client.post(f"/api/summarizer/documents/{document.pk}/preference/", {"options": [[0, 1], [1, 3]], "chosen": 1}, format="json")
    assert preferred.status_code == 201, preferred.json()
    assert Flag.objects.get(pk=preferred.json()["id"]).correction == {"selected": [1, 3]}
    same = client.post(f"/api/summarizer/documents/{document.pk}/preference/", {"options": [[0], [0]], "chosen": 0}, format="json")
    assert same.status_code == 400

    start = document.text.index("Beta shall indemnify")
    end = document.text.index(".", start) + 1
    added = client.post(f"/api/summarizer/documents/{document.pk}/key-terms/", {"start": start, "end": end, "category": "Insurance"}, format="json")
    assert added.status_code == 201, added.json()
    flag = Flag.objects.get(pk=added.json()["id"])
    assert "Insurance" in flag.correction and flag.output.input.startswith("Beta shall indemnify")
    outside = client.post(f"/api/summarizer/documents/{document.pk}/key-terms/", {"start": 0, "end": 10**6, "category": "Insurance"}, format="json")
    assert outside.status_code == 400

    markdown = client.get(f"/api/summarizer/documents/{document.pk}/summary.md")
    assert markdown.status_code == 200 and b"| Governing Law | New York |" in markdown.content
    pdf = client.get(f"/api/summarizer/documents/{document.pk}/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_document_whose_worker_died_is_taken_over_or_retried_and_a_live_one_is_left_alone():
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from summarizer import services

    lawyer = UserFactory(role="lawyer")
    document = services.document_upload(user=lawyer, file=SimpleUploadedFile("c.txt", CONTRACT.encode()))
    Document.objects.filter(pk=document.pk).update(status="processing", stage="scoring", updated_at=timezone.now())
    assert services.document_process(document_id=document.pk).stage == "scoring"  # a live worker has it
    document.refresh_from_db()
    assert document.is_active and not document.is_stale
    with pytest.raises(ValidationError, match="still processing"):
        services.document_retry(document=document, user=lawyer)

    dead = timezone.now() - services.STALE_AFTER - datetime.timedelta(minutes=1)
    Document.objects.filter(pk=document.pk).update(updated_at=dead)
    document.refresh_from_db()
    assert document.is_stale and not document.is_active
    taken_over = services.document_process(document_id=document.pk)  # what the redelivered task does
    assert taken_over.status == "done" and taken_over.result["key_terms"]
