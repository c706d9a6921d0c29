"""Dates and date ranges as resumes write them: "Jan 2020 - Present", "06/2018 to 12/2019", "Mar '19 - now",
"04.2019 - 12.2023", "2019/03 - 2024/02", "2015 - 2017"."""
from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?:19|20)\d\d"
_POINT = (
    rf"(?:{_MONTH}\s*,?\s*(?:{_YEAR}|['’‘]\d\d)"  # Mar 2019, March, 2019, Mar '19
    rf"|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}"  # 03/2019, 04.2019
    rf"|{_YEAR}\s*/\s*(?:0?[1-9]|1[0-2])(?!\d)"  # 2019/03
    rf"|{_YEAR})"
)
_NOW = r"(?:present|current(?:ly)?|now|till\s+date|to\s+date|till\s+now|today|ongoing|date)"
RANGE = re.compile(
    rf"(?<![\w/.])(?P<start>{_POINT})\s*(?:-|–|—|−|to|until|till|through|thru)\s*(?P<end>{_POINT}|{_NOW})(?![\w/])", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
YEARS_OF_EXPERIENCE = re.compile(r"\b\d{1,2}(?:\.\d)?\+?\s*(?:years?|yrs?)(?:\s+of)?(?:\s+\w+)?\s+experience\b|\b\d{1,2}\+?\s*(?:years?|yrs?)\b", re.I)


def _two_digit_year(yy: int, today: date) -> int:
    # '19 is 2019 unless that is in the future; then the 1900s.
    return 2000 + yy if 2000 + yy <= today.year + 1 else 1900 + yy


def parse_point(value: str, *, today: date | None = None, end: bool = False) -> str | None:
    """'YYYY-MM' of a date as written; a bare year is January (start) or December (end); 'present' is today."""
    today = today or date.today()
    value = re.sub(r"\s+", " ", value.strip().lower())
    if re.fullmatch(_NOW, value, re.I):
        return f"{today.year:04d}-{today.month:02d}"
    m = re.fullmatch(rf"(0?[1-9]|1[0-2])\s*[/.]\s*({_YEAR})", value)
    if m:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}"
    m = re.fullmatch(rf"({_YEAR})\s*/\s*(0?[1-9]|1[0-2])", value)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    month = next((n for name, n in MONTHS.items() if value.startswith(name)), None)
    year = YEAR.search(value)
    if year:
        year_value = int(year.group())
    else:
        short = re.search(r"['’‘](\d\d)\b", value)
        if not short:
            return None
        year_value = _two_digit_year(int(short.group(1)), today)
    return f"{year_value:04d}-{(month or (12 if end else 1)):02d}"


def parse_range(match: re.Match, *, today: date | None = None) -> tuple[str | None, str | None]:
    """(start, end) of a RANGE match; an end before its start is dropped as unreadable."""
    start = parse_point(match.group("start"), today=today)
    end = parse_point(match.group("end"), today=today, end=True)
    if start and end and end < start:
        return start, None
    return start, end


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
