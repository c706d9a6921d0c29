"""The summary as a typeset PDF (fpdf2): headings, the answers and key terms as tables, risks, each line with its page."""
from fpdf import FPDF
from fpdf.fonts import FontFace

from summarizer.selectors import summary_report

HEADER = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


def _latin(text) -> str:
    """fpdf2's core fonts are Latin-1: typographic quotes and dashes become their plain forms."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2022": "-", "\u00a0": " "})
    return " ".join(str(text if text is not None else "").translate(table).split()).encode("latin-1", "replace").decode("latin-1")


class _Report(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, f"Page {self.page_no()}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)


def _line(pdf: FPDF, text: str, *, label: str = "", page=None, note: str = "") -> None:
    """One cited line: an optional bold label, the text, its page in grey."""
    pdf.set_font("Helvetica", "", 10)
    body = (f"**{_latin(label)}:** " if label else "") + _latin(text).replace("**", "") + (f"  (p. {page})" if page else "") + (f"  [{_latin(note)}]" if note else "")
    pdf.multi_cell(0, 5, body, markdown=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf: FPDF, header: tuple, rows: list[tuple], widths: tuple) -> None:
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=widths, headings_style=HEADER, line_height=4.5, text_align="LEFT") as table:
        table.row([_latin(h) for h in header])
        for values in rows:
            table.row([_latin(v) for v in values])


def summary_pdf(document) -> bytes:
    rep = summary_report(document=document)
    pdf = _Report()
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(_latin(rep["title"]))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin(rep["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, _latin(rep["about"]), new_x="LMARGIN", new_y="NEXT")
    if rep["unreadable_pages"]:
        _line(pdf, f"Unreadable page(s), not summarised: {', '.join(map(str, rep['unreadable_pages']))}")
    if rep["answers"]:
        _heading(pdf, "At a glance")
        _table(pdf, ("Question", "Answer", "Page", "Note"), [(a["question"], a["answer"], a["page"], a["note"]) for a in rep["answers"]], (32, 88, 12, 40))
    if rep["tldr"]:
        _heading(pdf, "TLDR")
        _line(pdf, rep["tldr"]["text"], page=rep["tldr"]["page"])
    _heading(pdf, "Summary")
    if rep["summary_note"]:
        _line(pdf, rep["summary_note"])
    for s in rep["summary"]:
        _line(pdf, s["text"], label=s.get("topic", ""), page=s["page"], note=s["note"])
    if rep["abstractive"]:
        _heading(pdf, "In plain words")
        for a in rep["abstractive"]:
            _line(pdf, a["text"], page=a["source"]["page"])
    if rep["structured"]:
        _heading(pdf, "Structure")
        for part, s in rep["structured"].items():
            _line(pdf, s["text"], label=part.capitalize(), page=s["page"])
    if rep["key_terms"]:
        _heading(pdf, "Key terms")
        _table(pdf, ("Category", "Answer", "Status", "Page", "Excerpt", "Note"),
               [(t["category"], t["answer"], t["status"], t["page"], t["excerpt"][:300], t["note"]) for t in rep["key_terms"]], (30, 30, 16, 10, 62, 24))
    elif rep["is_contract"]:
        _heading(pdf, "Key terms")
        _line(pdf, "No key terms were recognised in this contract.")
    if rep["risks"]:
        _heading(pdf, "Risks")
        for f in rep["risks"]:
            _line(pdf, f"{f['why']} \"{f['text'][:300]}\"", label=f["flag"] + (" (possible)" if f.get("status") == "possible" else ""), page=f["page"])
    return bytes(pdf.output())
