"""Reading order of a resume PDF: a two-column page is read column by column, not line by line across both.

pypdf's text follows the content stream; templates built from tables write a line of the sidebar, then a line of
the main column, so both columns interleave. Here each text run's position (pypdf's visitor) is kept, a column
edge is found from where runs start, and each column is read top to bottom.
"""
from __future__ import annotations

import io
import logging
import re
from collections import Counter

logger = logging.getLogger(__name__)
# A column edge needs this many lines starting at it, some of them beside a run of the other column.
MIN_COLUMN_LINES = 4
MIN_SIDE_BY_SIDE = 2


def _runs(page) -> list[tuple[float, float, str]]:
    runs: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        for i, part in enumerate(text.split("\n")):
            if part.strip():
                runs.append((round(x, 1), round(y - i * (size or 10), 1), part.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def _lines(runs):
    """Runs grouped into lines (same baseline within 2 points), top to bottom, each line left to right."""
    lines: list[list[tuple[float, float, str]]] = []
    for run in sorted(runs, key=lambda r: (-r[1], r[0])):
        if lines and abs(lines[-1][0][1] - run[1]) <= 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line) for line in lines]


def _tab_stop(text: str) -> bool:
    """Text right-aligned beside a job's line in a one-column resume: its dates or its place."""
    from resumes.pipeline.dates import YEAR, date_range_in
    from resumes.pipeline.structure import REGIONS, location_in

    text = text.strip()
    dates = date_range_in(text)
    if dates and len(dates.group()) >= 0.6 * len(text) or YEAR.fullmatch(text):
        return True
    return bool(location_in(text)) or (len(text.split()) <= 3 and "@" not in text and text.lower() in _PLACES | REGIONS)


# Cities written alone at a tab stop ("London", "Berlin"): places a one-column resume puts beside a company.
_PLACES = {
    "london", "paris", "berlin", "munich", "hamburg", "madrid", "barcelona", "rome", "milan", "amsterdam", "dublin",
    "zurich", "vienna", "stockholm", "oslo", "copenhagen", "helsinki", "warsaw", "prague", "lisbon", "brussels",
    "new york", "boston", "chicago", "seattle", "austin", "denver", "atlanta", "dallas", "houston", "toronto",
    "vancouver", "montreal", "sydney", "melbourne", "brisbane", "auckland", "singapore", "tokyo", "seoul", "beijing",
    "shanghai", "mumbai", "bangalore", "bengaluru", "delhi", "pune", "hyderabad", "chennai", "dubai", "cairo",
    "lagos", "nairobi", "johannesburg", "cape town", "remote", "manchester", "leeds", "bristol", "edinburgh",
    "glasgow", "san francisco", "los angeles", "washington", "miami", "philadelphia", "são paulo", "mexico city",
}


def column_edge(runs, page_width: float) -> float | None:
    """The x where a second column starts, or None for a one-column page."""
    lines = _lines(runs)
    starts = Counter()
    beside = Counter()
    rows: dict[int, list[int]] = {}
    texts: dict[int, list[str]] = {}
    for row, line in enumerate(lines):
        for i, (x, _, text) in enumerate(line):
            if x > page_width * 0.25:
                starts[round(x)] += 1
                rows.setdefault(round(x), []).append(row)
                texts.setdefault(round(x), []).append(text)
                if i > 0:
                    beside[round(x)] += 1
    for x, _ in starts.most_common(3):
        near = sum(c for s, c in starts.items() if abs(s - x) <= 2)
        side = sum(c for s, c in beside.items() if abs(s - x) <= 2)
        at = [r for s, found in rows.items() if abs(s - x) <= 2 for r in found]
        said = [t for s, found in texts.items() if abs(s - x) <= 2 for t in found]
        # Dates and places at a tab stop also start at one x, beside their titles: what they say tells them apart.
        if near < MIN_COLUMN_LINES or side < MIN_SIDE_BY_SIDE or sum(map(_tab_stop, said)) >= 0.5 * len(said):
            continue
        # A column fills the page, or (a short sidebar beside a long main column) the stretch of page it sits in.
        if near >= 0.3 * len(lines) or near >= 0.6 * (max(at) - min(at) + 1):
            return x - 2.5
    return None


def page_text(page) -> str | None:
    """The page's text column by column, or None when the page is one column (keep pypdf's own text)."""
    runs = _runs(page)
    if not runs:
        return None
    width = float(page.mediabox.width)
    edge = column_edge(runs, width)
    if edge is None:
        return None
    columns = ([r for r in runs if r[0] < edge], [r for r in runs if r[0] >= edge])
    out = []
    for column in columns:
        for line in _lines(column):
            out.append(" ".join(r[2] for r in line))
        out.append("")
    return "\n".join(out).strip() + "\n"


# In plain text a column gap is a run of spaces; one or two spaces stay inside a phrase.
_TEXT_RUN = re.compile(r"\S+(?: {1,2}\S+)*")
_TEXT_LINE_HEIGHT = 12.0


def text_reading_order(text: str) -> str | None:
    """Plain text with two columns side by side (as `pdftotext -layout` writes a two-column resume) read column
    by column; None when the text is one column. The same column finder as for PDFs, on character positions."""
    lines = text.splitlines()
    runs = [
        (float(m.start()), -i * _TEXT_LINE_HEIGHT, m.group())
        for i, line in enumerate(lines)
        for m in _TEXT_RUN.finditer(line.expandtabs(8))
    ]
    if not runs:
        return None
    edge = column_edge(runs, float(max(len(line.expandtabs(8)) for line in lines)))
    if edge is None:
        return None
    out = []
    for column in ([r for r in runs if r[0] < edge], [r for r in runs if r[0] >= edge]):
        previous = None
        for line in _lines(column):
            y = line[0][1]
            if previous is not None and previous - y > _TEXT_LINE_HEIGHT * 1.5:
                out.append("")  # a blank line in the column stays a paragraph break
            out.append(" ".join(r[2] for r in line))
            previous = y
        out.append("")
    return "\n".join(out).strip() + "\n"


def pdf_reading_order(data: bytes) -> str | None:
    """The whole PDF's text in reading order when any page has two columns; None when no page does."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        texts, changed = [], False
        for page in reader.pages:
            text = page_text(page)
            if text is None:
                text = page.extract_text() or ""
            else:
                changed = True
            texts.append(text.replace("\x00", ""))
    except Exception:  # the ordinary extraction already read this file; keep its text rather than fail
        logger.warning("two-column reading failed; the plain text layer is kept", exc_info=True)
        return None
    return "\n\n".join(texts) if changed else None
