"""Text extraction from uploads: every type keeps pages and offsets, every bad file gets a reason."""
import io

import docx
import pytest

from suite.documents import DocumentError, extract
from tests.files import encrypted_pdf, pdf_bytes, scanned_pdf


def test_pdf_text_keeps_page_numbers_and_offsets():
    data = pdf_bytes(["This Agreement is made between Acme Corp and Beta LLC.", "Governing law: the State of New York."])
    document = extract(data, filename="contract.pdf")
    assert document.page_count == 2
    offset = document.text.index("Governing law")
    assert document.page_at(offset) == 2
    assert document.page_at(document.text.index("Acme")) == 1
    page = document.pages[1]
    assert "New York" in document.text[page.start:page.end]


def test_docx_paragraphs_and_explicit_page_breaks():
    d = docx.Document()
    d.add_paragraph("Jane Doe, Data Engineer")
    d.add_page_break()
    d.add_paragraph("Skills: Python, SQL")
    buffer = io.BytesIO()
    d.save(buffer)
    document = extract(buffer.getvalue(), filename="resume.docx")
    assert document.page_count == 2
    assert document.page_at(document.text.index("Skills")) == 2


def test_text_and_markdown_split_pages_on_form_feed_and_survive_a_bom():
    document = extract("\ufeffPage one text.\fPage two text.".encode(), filename="notes.md")
    assert document.text.startswith("Page one")
    assert document.page_at(document.text.index("two")) == 2


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"anything", "photo.png", "unsupported"),
        (b"", "empty.txt", "empty"),
        (b"not a pdf at all", "fake.pdf", "corrupt"),
        (b"%PDF-1.4 truncated garbage", "broken.pdf", "corrupt"),
        (b"PK\x03\x04 not really a docx", "broken.docx", "corrupt"),
        (b"   \n\n  ", "blank.txt", "no_text"),
    ],
)
def test_bad_files_get_a_reason(data, filename, code):
    with pytest.raises(DocumentError) as caught:
        extract(data, filename=filename)
    assert caught.value.code == code
    assert str(caught.value)


def test_pdf_without_text_layer_is_called_scanned():
    with pytest.raises(DocumentError) as caught:
        extract(scanned_pdf(), filename="scan.pdf")
    assert caught.value.code == "no_text_layer"


def test_encrypted_pdf_asks_for_a_copy_without_password():
    with pytest.raises(DocumentError) as caught:
        extract(encrypted_pdf(), filename="locked.pdf")
    assert caught.value.code == "encrypted"


def test_size_and_page_limits_come_from_settings(settings):
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(DocumentError) as caught:
        extract(b"more than ten bytes of text", filename="long.txt")
    assert caught.value.code == "too_large"
    settings.DOCUMENT_MAX_BYTES = 10**6
    settings.DOCUMENT_MAX_PAGES = 2
    with pytest.raises(DocumentError) as caught:
        extract(b"one\ftwo\fthree", filename="three.txt")
    assert caught.value.code == "too_many_pages"
