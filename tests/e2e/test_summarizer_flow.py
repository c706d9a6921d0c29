"""A lawyer in Chromium: upload a PDF, watch it processed, click a summary sentence to see its source, flag a key term
with the correct answer, remove a summary sentence, add a key term from a selection: all still there after a reload."""
import pytest
from playwright.sync_api import expect

from annotation.models import Flag
from summarizer.models import Document
from tests.e2e.pages import log_in
from tests.factories import UserFactory
from tests.summarizer.support import good_files

pytestmark = pytest.mark.e2e


def select_in_source(page, phrase: str) -> None:
    """Select `phrase` in the document pane as a person would with the mouse."""
    page.evaluate("""(phrase) => {
      const root = document.getElementById("source-text");
      const at = root.textContent.indexOf(phrase);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0, node;
      while ((node = walker.nextNode())) {
        const len = node.textContent.length;
        if (seen <= at && at <= seen + len) range.setStart(node, at - seen);
        if (seen <= at + phrase.length && at + phrase.length <= seen + len) { range.setEnd(node, at + phrase.length - seen); break; }
        seen += len;
      }
      const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }""", phrase)


def test_upload_watch_progress_highlight_source_and_corrections_survive_a_reload(page, celery_worker, tmp_path):
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
    expect(page.locator("#answers")).to_contain_text("New York")

    sentences.nth(1).click()
    expected = document.result["summary"][1]
    highlight = page.locator("#source-text mark#highlight")
    expect(highlight).to_be_visible()
    assert " ".join(highlight.inner_text().split()) == expected["text"]

    # Flag a key term, saying why and what the answer should be.
    row = page.locator("tr.key-term", has_text="Governing Law")
    expect(row).to_contain_text("New York")
    row.get_by_role("button", name="Flag").click()
    row.get_by_label("Reason").select_option("wrong")
    row.get_by_label("Correct answer").fill("Delaware")
    row.get_by_role("button", name="Send flag").click()
    expect(row.locator(".flagged-mark")).to_contain_text("Flagged")
    expect(page.locator("#feedback-status")).to_contain_text("recorded")
    flag = Flag.objects.get(user=lawyer)
    assert flag.output.kind == "summarizer.clauses" and flag.output.input.startswith("This Agreement shall be governed")
    assert flag.reason == "wrong" and "Delaware" in flag.comment

    # Remove the first summary sentence.
    removed = sentences.nth(0).get_attribute("data-start")
    sentences.nth(0).get_by_role("button", name="remove").click()
    expect(sentences).to_have_count(2)

    # Add a key term from a selection in the document pane.
    select_in_source(page, "Beta shall indemnify and hold harmless Acme")
    page.locator("#category").select_option("Insurance")
    page.locator("#key-term-answer").fill("product cover")
    page.get_by_role("button", name="Save key term").click()
    expect(page.locator("tr.key-term", has_text="Insurance")).to_contain_text("product cover")

    page.reload()
    row = page.locator("tr.key-term", has_text="Governing Law")
    expect(row).to_contain_text("flagged wrong: correct answer Delaware")
    expect(row.get_by_role("button", name="Flag")).to_have_count(0)
    expect(page.locator("#summary li.sentence")).to_have_count(2)
    expect(page.locator(f'#summary li[data-start="{removed}"]')).to_have_count(0)
    added = page.locator("tr.key-term", has_text="Insurance")
    expect(added).to_contain_text("product cover")
    expect(added).to_contain_text(f"set by {lawyer.username}")


def test_the_documents_pages_fit_a_390_px_phone(page, celery_worker, tmp_path):
    lawyer = UserFactory(role="lawyer")
    pdf = tmp_path / "a-contract-with-a-rather-long-file-name-for-a-phone-screen.pdf"
    pdf.write_bytes(good_files()["contract.pdf"])
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, lawyer.username)
    page.goto("/documents/")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible(timeout=60_000)
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) <= 0
    page.goto("/documents/")
    expect(page.locator("table.documents")).to_be_visible()
    assert page.evaluate(overflow) <= 0
