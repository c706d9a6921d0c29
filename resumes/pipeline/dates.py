"""Dates and date ranges as resumes write them: "Jan 2020 - Present", "06/2018 to 12/2019", "Mar '19 - now",
"04.2019 - 12.2023", "2019/03 - 2024/02", "2019-03 – 2021-06", "2018.07 - 2021.06", "2015 - 2017", "Since 2020",
and the same in German, French, Spanish, Italian, Dutch and Portuguese ("März 2017 – heute", "janvier 2019 -
aujourd'hui", "enero 2019 - actualidad")."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
# Month names as written in English and the European languages resumes here come in; abbreviations are their prefixes.
_MONTH_NAMES = {
    1: ("january", "januar", "januari", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "jan"),
    2: ("february", "februar", "februari", "fevrier", "fev", "febrero", "febbraio", "fevereiro", "feb"),
    3: ("march", "marz", "maerz", "maart", "mars", "marzo", "marco", "mar", "mrt"),
    4: ("april", "avril", "avr", "abril", "abr", "aprile", "apr"),
    5: ("may", "mai", "mei", "mayo", "maggio", "maio", "mag"),
    6: ("june", "juni", "juin", "junio", "giugno", "junho", "jun", "giu"),
    7: ("july", "juli", "juillet", "juil", "julio", "luglio", "julho", "jul", "lug"),
    8: ("august", "augustus", "aout", "agosto", "aug", "ago"),
    0: ("spring", "summer", "fall", "autumn", "winter"),  # seasons: read in parse_point
    9: ("september", "septembre", "septiembre", "settembre", "setembro", "sept", "sep", "set"),
    10: ("october", "oktober", "octobre", "octubre", "ottobre", "outubro", "oct", "okt", "ott", "out"),
    11: ("november", "novembre", "noviembre", "novembro", "nov"),
    12: ("december", "dezember", "decembre", "diciembre", "dicembre", "dezembro", "dec", "dez", "dic"),
}
_MONTH_OF = {name: number for number, names in _MONTH_NAMES.items() for name in names}


def fold(value: str) -> str:
    """Lower case without accents ("März" -> "marz", "décembre" -> "decembre")."""
    return "".join(c for c in unicodedata.normalize("NFKD", value.lower()) if not unicodedata.combining(c))


def _accented(word: str) -> str:
    # A pattern that matches the word with or without its accents ("marz" also reads "März", "aout" "août").
    plain = {
        "a": "[aàâäáãå]", "e": "[eéèêë]", "i": "[iíìîï]", "o": "[oóòôöõ]", "u": "[uúùûü]", "c": "[cç]",
    }
    return "".join(plain.get(c, re.escape(c)) for c in word)


def _trie(words) -> str:
    """One pattern for many words, shared prefixes written once (an alternation of 90 names is slow to search)."""
    tree: dict = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}
    def walk(node) -> str:
        ends = "" in node
        branches = [_accented(c) + walk(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body
    return walk(tree)


_MONTH = r"(?:" + _trie(_MONTH_OF) + r")\.?"
_YEAR = r"(?:19|20)\d\d"
# Mar 2019, 1 March, 2019, Mar '19, mar/2019 | Mar-19 | 03/2019, 15.04.2019 | 2019/03, 2019.03, 2019-03 | 2019
_POINT = (
    rf"(?:(?:[0-3]?\d(?:st|nd|rd|th)?\.?\s+)?{_MONTH}\s*[,/-]?\s*(?:{_YEAR}|['’‘]\s?\d\d(?!\d))"
    rf"|{_MONTH}[-/]\d\d(?![\d/.])"  # Mar-19, mar/19
    rf"|(?:[0-3]?\d[/.])?(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}"  # 03/2019, 04.2019, 15.04.2019
    rf"|{_YEAR}\s*[/.-]\s*(?:0?[1-9]|1[0-2])(?![\d/.-])"  # 2019/03, 2019.03, 2019-03
    rf"|{_YEAR})"
)
_NOW = (
    r"(?:present|current(?:ly)?|now|till\s+date|to\s+date|till\s+now|today|ongoing|date|heute|jetzt|aktuell|"
    r"aujourd['’]hui|actuel(?:lement)?|en\s+cours|actualidad|actualmente|presente|hoy|oggi|attuale|in\s+corso|"
    r"heden|nu|atual(?:mente)?|hoje)"
)
RANGE = re.compile(
    rf"(?<![\w/.])(?P<start>{_POINT})\s*(?:-|–|—|−|to|until|till|through|thru|bis|au|à|a|al|hasta|tot)\s*"
    rf"(?P<end>{_POINT}|{_NOW})(?![\w/])",
    re.I,
)
# A job held since a date, with no end written: "Since 2020", "seit 03/2019", "depuis janvier 2018", "desde 2019".
SINCE = re.compile(rf"(?<![\w/.])(?:since|seit|depuis|desde|dal|sinds)\s+(?P<start>{_POINT})(?![\w/])", re.I)
# A range left open at the end of its line ("Senior Accountant, Acme   2019 –"): held until now.
OPEN_END = re.compile(rf"(?<![\w/.])(?P<start>{_POINT})\s*[-–—]\s*$", re.I | re.M)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
YEARS_OF_EXPERIENCE = re.compile(
    r"\b\d{1,2}(?:\.\d)?\+?\s*(?:years?|yrs?)(?:\s+of)?(?:\s+\w+)?\s+experience\b|\b\d{1,2}\+?\s*(?:years?|yrs?)\b",
    re.I,
)


# A season alone ("Summer 2020", an internship): its three months.
SEASON = re.compile(rf"(?<![\w/.])(?P<season>spring|summer|fall|autumn|winter)\s+(?P<year>{_YEAR})(?![\w/])", re.I)
_SEASON_START = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}


_TWO_DIGITS = re.compile(r"\d\d")


def date_range_in(line: str) -> re.Match | None:
    """The first date range in a line, an open one ("Since 2020") or a season; None when it names no range."""
    if not _TWO_DIGITS.search(line):  # every range writes a year; most lines have none, and the patterns are long
        return None
    return RANGE.search(line) or SINCE.search(line) or OPEN_END.search(line) or SEASON.search(line)


def _two_digit_year(yy: int, today: date) -> int:
    # '19 is 2019 unless that is in the future; then the 1900s.
    return 2000 + yy if 2000 + yy <= today.year + 1 else 1900 + yy


def parse_point(value: str, *, today: date | None = None, end: bool = False) -> str | None:
    """'YYYY-MM' of a date as written; a bare year is January (start) or December (end); 'present' is today."""
    today = today or date.today()
    value = re.sub(r"\s+", " ", value.strip().lower())
    if re.fullmatch(_NOW, value, re.I):
        return f"{today.year:04d}-{today.month:02d}"
    m = re.fullmatch(rf"(?:[0-3]?\d[/.])?(0?[1-9]|1[0-2])\s*[/.]\s*({_YEAR})", value)  # the day, if written, is dropped
    if m:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}"
    m = re.fullmatch(rf"({_YEAR})\s*[/.-]\s*(0?[1-9]|1[0-2])", value)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    words = [w for w in re.findall(r"[^\W\d_]+", fold(value)) if w in _MONTH_OF]
    month = _MONTH_OF[words[0]] if words else None
    if month == 0:  # a season: its first month as a start, its last as an end ("Fall 2018 - Spring 2019")
        month = min(12, _SEASON_START[words[0]] + (2 if end else 0))
    year = YEAR.search(value)
    if year:
        year_value = int(year.group())
    else:
        short = re.search(r"['’‘/-]\s*(\d\d)$", value)
        if not short:
            return None
        year_value = _two_digit_year(int(short.group(1)), today)
    return f"{year_value:04d}-{(month or (12 if end else 1)):02d}"


def parse_range(match: re.Match, *, today: date | None = None) -> tuple[str | None, str | None]:
    """(start, end) of a RANGE or SINCE match; an end before its start is dropped as unreadable."""
    if "season" in match.re.groupindex:
        month, year = _SEASON_START[match.group("season").lower()], int(match.group("year"))
        end_year, end_month = (year + 1, month - 10) if month > 10 else (year, month + 2)
        return f"{year:04d}-{month:02d}", f"{end_year:04d}-{end_month:02d}"
    start = parse_point(match.group("start"), today=today)
    if "end" not in match.re.groupindex:  # "Since 2020": held until now
        return start, parse_point("present", today=today)
    end = parse_point(match.group("end"), today=today, end=True)
    if start and end and end < start:
        return start, None
    return start, end


def is_open(match: re.Match) -> bool:
    """Whether a range runs to now ("- Present", "Since 2020")."""
    if "season" in match.re.groupindex:
        return False
    return "end" not in match.re.groupindex or not re.search(r"\d", match.group("end"))


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
