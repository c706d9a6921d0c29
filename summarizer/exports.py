"""The summary as a downloadable PDF (the Markdown comes from selectors.summary_markdown)."""
from fpdf import FPDF


def _latin(text: str) -> str:
    """fpdf2's core fonts are Latin-1: typographic quotes and dashes become their plain forms."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2022": "-", "\u00a0": " "})
    return text.translate(table).encode("latin-1", "replace").decode("latin-1")


def markdown_pdf(markdown: str) -> bytes:
    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for line in markdown.splitlines():
        if line.startswith("# "):
            pdf.set_font("Helvetica", "B", 16)
            pdf.multi_cell(0, 9, _latin(line[2:]), new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("## "):
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 8, _latin(line[3:]), new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("|---"):
            continue
        else:
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, _latin(line.replace("**", "")) or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
