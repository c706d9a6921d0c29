"""A lawyer in Chromium: upload a PDF, watch it processed, click a summary sentence to see its source, flag a key term."""
import pytest
from playwright.sync_api import expect

from annotation.models import Flag
from summarizer.models import Document
from tests.e2e.pages import log_in
from tests.factories import UserFactory
from tests.summarizer.support import good_files

pytestmark = pytest.mark.e2e


def test_upload_watch_progress_highlight_source_and_flag_a_key_term(page, celery_worker, tmp_path):
    lawyer = UserFactory(role="lawyer")
    pdf = tmp_path / "supply-agreement.pdf"
    pdf.write_bytes(good_files()["contract.pdf"])
    log_in(page, lawyer.username)

    page.goto("/documents/")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_label("Summary sentences").fill("3")
    page.get_by_role("button", name="Upload").click()

    # The result page polls progress and shows the result once the worker is done.
    expect(page.get_by_role("heading", name="Summary")).to_be_visible(timeout=60_000)
    document = Document.objects.get(owner=lawyer)
    assert document.status == "done"
    sentences = page.locator("#summary li.sentence")
    expect(sentences).to_have_count(3)

    sentences.nth(1).click()
    expected = document.result["summary"][1]
    highlight = page.locator("#source-text mark#highlight")
    expect(highlight).to_be_visible()
    assert " ".join(highlight.inner_text().split()) == expected["text"]

    row = page.locator("tr.key-term", has_text="Governing Law")
    expect(row).to_contain_text("New York")
    row.get_by_role("button", name="Flag").click()
    expect(row.get_by_role("button", name="Flagged")).to_be_visible()
    expect(page.locator("#feedback-status")).to_contain_text("recorded")
    flag = Flag.objects.get(user=lawyer)
    assert flag.output.kind == "summarizer.clauses" and flag.output.input.startswith("This Agreement shall be governed")
