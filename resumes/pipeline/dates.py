"""Dates and date ranges as resumes write them: "Jan 2020 - Present", "06/2018 to 12/2019", "2015 - 2017"."""
from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_POINT = rf"(?:{_MONTH}\s*,?\s*(?:19|20)\d\d|(?:0?[1-9]|1[0-2])/(?:19|20)\d\d|(?:19|20)\d\d)"
_NOW = r"(?:present|current|currently|now|till date|to date|today|ongoing)"
RANGE = re.compile(rf"(?P<start>{_POINT})\s*(?:-|–|—|to|until|till)\s*(?P<end>{_POINT}|{_NOW})", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
YEARS_OF_EXPERIENCE = re.compile(r"\b\d{1,2}(?:\.\d)?\+?\s*(?:years?|yrs?)(?:\s+of)?(?:\s+\w+)?\s+experience\b|\b\d{1,2}\+?\s*(?:years?|yrs?)\b", re.I)


def parse_point(value: str, *, today: date | None = None, end: bool = False) -> str | None:
    """'YYYY-MM' of a date as written; a bare year is January (start) or December (end); 'present' is today."""
    value = value.strip().lower()
    if re.fullmatch(_NOW, value, re.I):
        today = today or date.today()
        return f"{today.year:04d}-{today.month:02d}"
    m = re.match(r"(0?[1-9]|1[0-2])/((?:19|20)\d\d)", value)
    if m:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}"
    year = YEAR.search(value)
    if not year:
        return None
    month = next((n for name, n in MONTHS.items() if value.startswith(name)), None)
    return f"{int(year.group()):04d}-{(month or (12 if end else 1)):02d}"


def months_between(start: str, end: str) -> int:
    """Whole months from start to end, both included ('2020-01'..'2020-12' is 12)."""
    y1, m1 = map(int, start.split("-"))
    y2, m2 = map(int, end.split("-"))
    return max(0, (y2 - y1) * 12 + (m2 - m1) + 1)


def total_months(ranges: list[tuple[str, str]]) -> int:
    """Months covered by any range: overlapping jobs are not counted twice."""
    covered = set()
    for start, end in ranges:
        y, m = map(int, start.split("-"))
        for _ in range(months_between(start, end)):
            covered.add((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return len(covered)
