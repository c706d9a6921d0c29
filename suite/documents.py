"""Text out of uploaded documents (PDF, DOCX, TXT, Markdown), kept with page numbers and character offsets.

Every domain app that takes uploads (contracts and papers, resumes) reads them through here, so a file is
judged the same way everywhere: the type from its name and its first bytes, the size and page limits from
settings, and one `DocumentError` with a reason a person can act on when the file cannot be read.
"""
from __future__ import annotations

import bisect
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings

PDF, DOCX, TXT, MARKDOWN = "pdf", "docx", "txt", "md"
EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".txt": TXT, ".text": TXT, ".md": MARKDOWN, ".markdown": MARKDOWN}
ACCEPT = ",".join(EXTENSIONS)  # for <input type="file" accept=...>
PAGE_SEPARATOR = "\n\n"
# Fewer visible characters than this per page means the PDF is a scan without a text layer.
MIN_CHARS_PER_PAGE = 20


class DocumentError(ValueError):
    """A file that cannot be turned into text; `code` is stable for APIs, the message is for people."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as people count pages
    start: int  # offsets of the page's text in ExtractedDocument.text
    end: int


@dataclass
class ExtractedDocument:
    text: str
    pages: list[Page]
    file_type: str
    title: str = ""
    _starts: list[int] = field(default_factory=list, repr=False)

    def page_at(self, offset: int) -> int:
        """The page number holding character `offset` of the text."""
        if not self._starts:
            self._starts = [p.start for p in self.pages]
        index = bisect.bisect_right(self._starts, max(offset, 0)) - 1
        return self.pages[max(index, 0)].number if self.pages else 1

    @property
    def page_count(self) -> int:
        return len(self.pages)


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def max_pages() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_PAGES", 500))


def file_type_of(filename: str) -> str:
    """The document type from a file name; DocumentError('unsupported') for anything else."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(sorted({s.lstrip('.').upper() for s in (".pdf", ".docx", ".txt", ".md")}))
        shown = suffix or "a file without an extension"
        raise DocumentError("unsupported", f"{shown} files are not supported; upload one of: {known}.")
    return EXTENSIONS[suffix]


def check_size(size: int) -> None:
    if size <= 0:
        raise DocumentError("empty", "The file is empty.")
    if size > max_bytes():
        raise DocumentError(
            "too_large", f"The file is {size / 1048576:.1f} MB; the limit is {max_bytes() / 1048576:.0f} MB.")


def extract(source: str | Path | bytes | IO[bytes], *, filename: str | None = None) -> ExtractedDocument:
    """The text of a document with its pages; raises DocumentError with the reason it cannot be read."""
    if isinstance(source, (str, Path)):
        filename = filename or Path(source).name
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    file_type = file_type_of(filename or "")
    check_size(len(data))
    reader = {PDF: _pdf, DOCX: _docx, TXT: _plain, MARKDOWN: _plain}[file_type]
    try:
        texts, title = reader(data)
    except DocumentError:
        raise
    except MemoryError as exc:
        raise DocumentError("too_large", "The document is too large to read.") from exc
    except Exception as exc:  # any reader's unforeseen error still ends as a reason, never "processing" forever
        raise DocumentError("corrupt", f"The file is damaged and cannot be read ({type(exc).__name__}).") from exc
    if len(texts) > max_pages():
        raise DocumentError("too_many_pages", f"The document has {len(texts)} pages; the limit is {max_pages()}.")
    document = _join(texts, file_type, title)
    if not document.text.strip():
        raise DocumentError("no_text", "The document holds no text.")
    return document


def _join(texts: list[str], file_type: str, title: str) -> ExtractedDocument:
    parts, pages, offset = [], [], 0
    for number, text in enumerate(texts, start=1):
        if parts:
            parts.append(PAGE_SEPARATOR)
            offset += len(PAGE_SEPARATOR)
        parts.append(text)
        pages.append(Page(number, offset, offset + len(text)))
        offset += len(text)
    text = "".join(parts)
    return ExtractedDocument(text=text, pages=pages, file_type=file_type, title=title or _first_line(text))


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def _clean(text: str) -> str:
    # PDF text layers carry NULs and stray carriage returns; offsets are taken after this, once.
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+\n", "\n", text)


def _pdf(data: bytes) -> tuple[list[str], str]:
    from pypdf import PdfReader

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise DocumentError("corrupt", "The file is not a PDF, or it is damaged: it does not start like one.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlocks_without_password(reader):
            raise DocumentError("encrypted", "The PDF is protected by a password; upload a copy without one.")
        texts = [_clean(page.extract_text() or "") for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many types (PyPdfError, KeyError, RecursionError, ...) for broken files
        raise DocumentError("corrupt", f"The PDF is damaged and cannot be read ({type(exc).__name__}).") from exc
    if not texts:
        raise DocumentError("corrupt", "The PDF has no pages.")
    if sum(len(t.strip()) for t in texts) < MIN_CHARS_PER_PAGE * len(texts):
        raise DocumentError(
            "no_text_layer", "The PDF has no text layer (it looks scanned); upload a PDF with selectable text.")
    return texts, title


def _unlocks_without_password(reader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several types for unsupported or wrong encryption
        return False


def docx_max_unzipped_bytes() -> int:
    return int(getattr(settings, "DOCX_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024))


def docx_max_members() -> int:
    return int(getattr(settings, "DOCX_MAX_MEMBERS", 2000))


def _check_docx_archive(data: bytes) -> None:
    """Refuse a zip bomb from its directory alone, before anything is unzipped."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise DocumentError("corrupt", "The DOCX file is damaged and cannot be read (it is not a valid zip archive).") from exc
    if len(members) > docx_max_members():
        raise DocumentError("too_complex", f"The DOCX file holds {len(members)} parts; the limit is {docx_max_members()}.")
    unzipped = sum(member.file_size for member in members)
    if unzipped > docx_max_unzipped_bytes():
        raise DocumentError(
            "too_large", f"The DOCX file unzips to {unzipped / 1048576:.0f} MB; the limit is "
            f"{docx_max_unzipped_bytes() / 1048576:.0f} MB.")


def _docx(data: bytes) -> tuple[list[str], str]:
    try:
        return _docx_text(data)
    except DocumentError:
        raise
    except MemoryError as exc:
        raise DocumentError("too_large", "The DOCX file is too large to read.") from exc
    except Exception as exc:  # lxml, zipfile and python-docx raise many types for broken parts; all mean "damaged"
        raise DocumentError("corrupt", f"The DOCX file is damaged and cannot be read ({type(exc).__name__}).") from exc


def _docx_text(data: bytes) -> tuple[list[str], str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_docx_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError("corrupt", "The DOCX file is damaged and cannot be read.") from exc
    pages, lines = [], []
    for paragraph in document.paragraphs:
        # An explicit page break starts a new page; Word's own layout breaks are not in the file.
        breaks = paragraph._p.xpath('.//w:br[@w:type="page"]')
        if breaks and lines:
            pages.append("\n".join(lines))
            lines = []
        lines.append(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    pages.append("\n".join(lines))
    title = (document.core_properties.title or "").strip()
    return [_clean(p) for p in pages], title


def _plain(data: bytes) -> tuple[list[str], str]:
    if b"\x00" in data[:4096]:
        raise DocumentError("corrupt", "The file is binary, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # A form feed is how plain text marks a page break.
    return [_clean(p) for p in text.split("\f")], ""
