"""The upload page and `manage.py summarize`: every input type, every bad input, a clear message each time."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from summarizer.models import Document
from tests.factories import UserFactory
from tests.summarizer.conftest import wait_finished
from tests.summarizer.support import BAD_FILES, good_files


def test_every_input_type_and_bad_input_through_the_page(celery_worker, client):
    lawyer = UserFactory(role="lawyer")
    client.force_login(lawyer)
    for name, data in good_files().items():
        response = client.post("/documents/", {"file": SimpleUploadedFile(name, data), "doc_type": "auto", "sentences": 2})
        assert response.status_code == 302, response.content[:500]
        document = wait_finished(int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
        page = client.get(f"/documents/{document.pk}/").content.decode()
        assert document.status == "done" and "Summary" in page and 'class="sentence' in page, name
    for name, (make, code) in BAD_FILES.items():
        response = client.post("/documents/", {"file": SimpleUploadedFile(name, make()), "doc_type": "auto"}, follow=True)
        document = Document.objects.get(original_name=name)
        if code == "unsupported":
            assert "could not be read" in response.content.decode()  # told at once
        document = wait_finished(document.pk)
        assert document.failure_code == code
        listing = client.get("/documents/").content.decode()
        assert document.failure_reason.split(";")[0][:40] in listing.replace("&#x27;", "'") and "Retry" in listing


@pytest.mark.django_db
def test_the_page_refuses_bad_options_with_form_errors(client):
    client.force_login(UserFactory(role="researcher"))
    response = client.post("/documents/", {"file": SimpleUploadedFile("p.md", b"Some text here."), "doc_type": "auto", "sentences": 99})
    assert response.status_code == 400 and "errors" in response.content.decode() and Document.objects.count() == 0
    assert client.get("/documents/").status_code == 200


@pytest.mark.django_db
def test_patients_cannot_open_documents(client):
    client.force_login(UserFactory(role="patient"))
    assert client.get("/documents/").status_code == 403


@pytest.mark.django_db
def test_the_command_prints_one_json_object_per_document(tmp_path, capsys):
    paths = []
    for name, data in good_files().items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    call_command("summarize", *paths, "--json", "--sentences", "2")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["doc_type"] for r in lines] == ["contract", "contract", "contract", "paper"]
    for record in lines:
        assert set(record) >= {"doc_type", "title", "pages", "summary", "tldr", "key_terms", "risks", "model_versions", "seconds"}
        assert len(record["summary"]) == 2 and set(record["summary"][0]) == {"text", "page", "start", "end"}
    pdf = lines[0]
    law = next(t for t in pdf["key_terms"] if t["category"] == "Governing Law")
    assert law["answer"] == "New York" and law["page"] == 2
    assert lines[3]["tldr"] and lines[3]["key_terms"] == []


@pytest.mark.django_db
def test_the_command_names_each_bad_file_and_goes_on(tmp_path, capsys):
    paths = []
    for name, (make, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(make())
        paths.append(str(tmp_path / name))
    (tmp_path / "ok.txt").write_text("The supplier shall deliver the goods. The buyer shall pay within thirty days.")
    call_command("summarize", *paths, str(tmp_path / "ok.txt"), "--json", "--type", "other")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r.get("error", {}).get("code") for r in out] == [code for _, code in BAD_FILES.values()] + [None]
    with pytest.raises(CommandError):
        call_command("summarize", str(tmp_path / "scan.pdf"))
    with pytest.raises(CommandError):
        call_command("summarize", str(tmp_path / "missing.txt"))


@pytest.mark.django_db
def test_the_listing_offers_retry_for_a_document_whose_worker_died(client):
    import datetime

    from django.utils import timezone

    from summarizer import services

    lawyer = UserFactory(role="lawyer")
    client.force_login(lawyer)
    document = services.document_upload(user=lawyer, file=SimpleUploadedFile("c.txt", b"The supplier shall deliver the goods."))
    Document.objects.filter(pk=document.pk).update(status="processing", updated_at=timezone.now())
    assert "Retry" not in client.get("/documents/").content.decode()
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now() - services.STALE_AFTER - datetime.timedelta(minutes=1))
    assert "Retry" in client.get("/documents/").content.decode()
    client.post(f"/documents/{document.pk}/retry/")
    assert Document.objects.get(pk=document.pk).status == "uploaded"
