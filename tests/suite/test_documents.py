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


# --- every extraction error ends as a DocumentError with its reason (issue 15) -------------------------

import zipfile  # noqa: E402

from tests.files import docx_bytes  # noqa: E402


def rezipped(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def test_a_docx_with_malformed_xml_fails_with_a_reason():
    broken = rezipped(docx_bytes("Hello"), replace={"word/document.xml": b"<w:document><w:body><w:p>unclosed"})

    with pytest.raises(DocumentError) as caught:
        extract(broken, filename="cv.docx")

    assert caught.value.code == "corrupt" and "damaged" in str(caught.value)


def test_a_docx_that_is_not_a_zip_fails_with_a_reason():
    with pytest.raises(DocumentError) as caught:
        extract(b"PK\x03\x04 not really a zip" * 10, filename="cv.docx")

    assert caught.value.code == "corrupt"


def test_a_zip_bomb_docx_is_refused_from_its_directory_without_unzipping(settings):
    settings.DOCX_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
    # 60 MB of zeros compress to about 60 KB: the directory alone tells the unzipped size.
    bomb = rezipped(docx_bytes("Hello"), add={"word/media/filler.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024

    with pytest.raises(DocumentError) as caught:
        extract(bomb, filename="cv.docx")

    assert caught.value.code == "too_large" and "unzips to" in str(caught.value)


def test_a_docx_with_too_many_parts_is_refused(settings):
    settings.DOCX_MAX_MEMBERS = 50
    crowded = rezipped(docx_bytes("Hello"), add={f"word/extra/part{i}.xml": b"<a/>" for i in range(60)})

    with pytest.raises(DocumentError) as caught:
        extract(crowded, filename="cv.docx")

    assert caught.value.code == "too_complex"


def test_a_pdf_whose_reader_raises_anything_fails_with_a_reason():
    truncated = pdf_bytes(["A page of text long enough to count as text."])[:400]

    with pytest.raises(DocumentError) as caught:
        extract(truncated, filename="paper.pdf")

    assert caught.value.code in ("corrupt", "no_text_layer")
