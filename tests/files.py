"""Files written in the tests: PDFs (with text, scanned, encrypted) and DOCX, from plain text."""
import io

import docx
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def pdf_bytes(pages: list[str]) -> bytes:
    """One PDF page per string, with a text layer."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def docx_bytes(text: str, *, separator: str = "\n\n") -> bytes:
    """One paragraph per `separator`-delimited part of the text."""
    document = docx.Document()
    for paragraph in text.split(separator):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50)  # a drawing and no text: a scan, to a text extractor
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Secret terms of the deal."]))))
    writer.encrypt("hunter2")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
