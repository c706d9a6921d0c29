"""Normalised answers for key terms: ISO dates, durations, party names, jurisdictions, yes/no."""
from __future__ import annotations

import re
from datetime import date

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}
_MONTH_RE = "|".join(_MONTHS) + "|" + "|".join(m[:3] + r"\.?" for m in _MONTHS if len(m) > 3)
_ORDINAL = r"(?:s\s?t|n\s?d|r\s?d|t\s?h)?"  # "17th", and "17t h" as filed PDFs often split it
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}}){_ORDINAL}\s*,?\s*(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:day\s+of\s+)?(?P<month>{_MONTH_RE})\s*,?\s*(?P<year>\d{{4}})\b",
               re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})\b"),
)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90, "one hundred twenty": 120})
_DURATION = re.compile(
    r"\b(?P<num>\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?:\s*\(\d{1,4}\))?[\s-]*"
    r"(?P<unit>business days?|calendar days?|days?|weeks?|months?|years?)\b", re.IGNORECASE)
_US_STATES = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "Wisconsin", "Wyoming"] + ["New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island",
             "South Carolina", "South Dakota", "West Virginia", "District of Columbia"]
_COUNTRIES = ["England and Wales", "England", "Scotland", "Ireland", "Canada", "Ontario", "British Columbia", "Quebec", "Germany",
              "France", "Switzerland", "the Netherlands", "Singapore", "Hong Kong", "China", "the People's Republic of China",
              "Japan", "India", "Israel", "Australia", "Sweden", "Italy", "Spain", "Luxembourg", "Cayman Islands", "Bermuda"]
_PLACE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(_US_STATES + _COUNTRIES, key=len, reverse=True)) + r")\b")


def _date_of(m: re.Match) -> str | None:
    parts = m.groupdict()
    month = parts.get("mnum") or _MONTHS.get((parts.get("month") or "").lower().rstrip("."))
    if month is None and parts.get("month"):
        prefix = parts["month"].lower().rstrip(".")[:3]
        month = next((i for name, i in _MONTHS.items() if name.startswith(prefix)), None)
    year = int(parts["year"])
    year += 2000 if year < 50 else (1900 if year < 100 else 0)
    try:
        return date(year, int(month), int(parts["day"])).isoformat()
    except (TypeError, ValueError):
        return None


def iso_date(text: str) -> str | None:
    """The first date in the text as YYYY-MM-DD, or None."""
    found = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            value = _date_of(m)
            if value:
                found.append((m.start(), value))
    return min(found)[1] if found else None


def leading_date(text: str) -> tuple[str, int] | None:
    """The date the text starts with ('the 8th day of June, 2010, by and ...') and where it ends, or None."""
    lead = re.match(r"[\s,]*(?:(?:the|this)\s+)?", text, re.IGNORECASE).end()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text, lead)
        value = _date_of(m) if m else None
        if value:
            return value, m.end()
    return None


def duration(text: str, *, near: str | None = None) -> str | None:
    """A duration like '2 years' or '90 days', normalised to '<n> <unit>s'; 'perpetual' when it says so.

    With `near` (a regex), the duration closest to where it matches wins: the notice, not the renewal term.
    """
    matches = list(_DURATION.finditer(text))
    anchors = [a.start() for a in re.finditer(near, text, re.IGNORECASE)] if near else []
    if matches and anchors:
        m = min(matches, key=lambda d: min(abs(d.start() - a) for a in anchors))
    else:
        m = matches[0] if matches else None
    if not m:
        return "perpetual" if re.search(r"\b(?:perpetual|in perpetuity|indefinite)", text, re.IGNORECASE) else None
    raw = m.group("num").lower()
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
    unit = m.group("unit").lower().replace("calendar ", "")
    unit = unit if unit.endswith("s") else unit + "s"
    return f"{n} {unit}" if n != 1 else f"1 {unit[:-1]}"


# Where a party's name ends and its description begins: an address (a line break, a street number), "c/o",
# "a Delaware corporation", "with its principal office", "whose registered office", "incorporated under".
_PARTY_TAIL = re.compile(r"\n|\s*\((?![A-Z][\w.]{1,20}\) [A-Z])|\s\d{1,6}\s+[A-Z]|\s(?:a|an)\s"
                         r"|,?\s+(?:with (?:an|its) (?:office|principal|registered)|with offices\b|whose\b|having (?:its|an)\b"
                         r"|located at\b|c/o\b|incorporated\s+(?:under|in|and|pursuant)\b"
                         r"|organi[sz]ed\b|duly\b)", re.IGNORECASE)
# "... offices located at Berlin and Munich": an "and" inside an address joins places, not parties.
_IN_ADDRESS = re.compile(r"\b(?:located|offices?|situated|based|residing)\b[^,;()]*$", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"\b(?:shall|are|is|hereinafter|may|will|made|dated)\b")
_ENUMERATOR = r"\s*\((?:[a-h]|[1-9]|i{1,3}|iv|vi{0,3})\)\s*"
# "Party A: Rise Consulting Co., Ltd." on a line of its own, the way many bilingual contracts name their parties
# A party is named, not described: a piece with a lower-case word other than these is a description ("Portfolio of
# on-site fuel cell systems", "Client on the Effective Date", "Delaware corporation"), and a role noun alone is no name.
_NAME_SMALL_WORDS = {"of", "and", "de", "la", "le", "du", "des", "der", "von", "van", "y", "e", "the", "for", "und",
                     "et", "plc", "limited", "&", "d/b/a", "dba"}
_ROLE_NOUNS = {"company", "client", "customer", "developer", "supplier", "distributor", "licensor", "licensee",
               "consultant", "contractor", "vendor", "purchaser", "buyer", "seller", "manufacturer", "provider", "agent",
               "party", "employer", "employee", "executive", "owner", "operator", "lender", "borrower", "franchisee",
               "franchisor", "reseller", "partner", "subcontractor", "landlord", "tenant", "the parties", "parties"}


def _reads_as_a_name(piece: str) -> bool:
    words = piece.split()
    if " ".join(words).lower().strip(" .,") in _ROLE_NOUNS or piece.count("(") != piece.count(")"):
        return False
    if re.match(r"(?:WITNESSETH|RECITALS|WHEREAS|Suite|Floor|P\.?O\.?\b)", piece, re.IGNORECASE):
        return False
    if len(words) == 1 and not piece.isupper():
        return False  # a lone title-case word is a place or a heading ('Nashville', 'Merchandising'), not a company
    return not any(w[0].islower() and w.lower().strip(",.") not in _NAME_SMALL_WORDS for w in words if w[0].isalpha())


_IN_NAME = re.compile(r"\([A-Z][\w.]{1,20}\)(?= [A-Z])")
_PARTY_LINE = re.compile(r"^\s*Party\s+[A-Z]\s*[:\uff1a]\s*(?P<name>[^\n]+)", re.MULTILINE)
# A name ends at its company form: "Pelican Delivers Inc. for the performance of ..." is "Pelican Delivers Inc."
_AFTER_FORM = re.compile(r"^(?P<name>.*?\b(?:Inc|Corp|Corporation|Ltd|Limited|LLC|L\.L\.C|LLP|L\.P|PLC|plc|GmbH|AG|S\.A"
                         r"|N\.V|B\.V)\.?)"
                         r"\s+(?:for|to|in|on|which|who|that|as|at)\s")


def parties(text: str) -> list[str]:
    """Party names from an opening: 'between Acme Inc. ("Acme") and Beta LLC ("Beta")', 'by and among (a) ..., (b) ...'."""
    # A full stop ends the preamble, but not the one of "Inc." or "Corp."
    text = re.sub(r"\bB\s?E\s?T\s?W\s?E\s?E\s?N\b", "BETWEEN", text)  # "B E T W E E N:" on a cover
    ends = r"(?<!\bInc)(?<!\bCorp)(?<!\bLtd)(?<!\bCo)(?<!\bL\.P)(?<!\bN\.A)(?<!\bS\.A)(?<!\b[A-Z])\.\s|$|\bwhereas\b|\brecitals\b"
    m = re.search(r"\b(?:between|among)\b(?P<body>.{3,800}?)(?:" + ends + ")", text, re.IGNORECASE | re.DOTALL)
    body = m.group("body") if m else text
    lines = [m.group("name") for m in _PARTY_LINE.finditer(text)]
    names = []
    previous = ""
    for raw in lines or re.split(r"\s*(?:,\s*and\s+|\band\b|;|" + _ENUMERATOR + r")\s*", body):
        joins_places, previous = bool(_IN_ADDRESS.search(previous)), raw
        if joins_places:
            continue
        # drop ("Acme") nicknames and addresses in brackets, but not a place inside a name: "Rise (Tianjin) Education"
        piece = re.sub(r"\([^)]*\)", lambda b: b.group(0) if _IN_NAME.match(raw, b.start()) and b.start() > 0
                       and raw[b.start() - 1] == " " else "", raw).strip()
        piece = _PARTY_TAIL.split(piece, maxsplit=1)[0]
        piece = re.split(r",\s*(?:a|an)\s|\s(?:a|an)\s+(?:[A-Z][a-z]+\s+)?(?:corporation|company|limited|partnership)"
                         r"|,(?!\s*(?i:Inc|LLC|L\.L\.C|Ltd|L\.?P|LLP|Corp|Co|N\.A|S\.A|GmbH|PLC|Limited)\b)", piece)[0]
        piece = piece.strip(" ,:;\"'\u201c\u201d\n")
        piece = re.sub(r"^the\s+", "", piece)  # "between the At Home Corporation"
        form = _AFTER_FORM.match(piece)
        piece = form.group("name") if form else piece
        if piece.endswith(".") and not piece.lower().endswith(("inc.", "corp.", "ltd.", "co.", "l.p.", "n.a.", "s.a.")):
            piece = piece[:-1]
        if _NOT_A_NAME.search(piece):
            continue  # "Licensor and Licensee are hereinafter ...": a sentence about the parties, not a party
        generic = piece.lower().startswith(("the parties", "each", "this"))
        if piece and piece[0].isupper() and len(piece) < 120 and not generic and _reads_as_a_name(piece):
            names.append(" ".join(piece.split()))
    return list(dict.fromkeys(names))[:6]


_TITLE = re.compile(r"(?:\b(?!(?:THIS|AGREEMENT|CONTRACT)\b)(?:[A-Z][A-Z0-9'&/\-]*|NO\.|\d+(?:\.\d+)*),?\s+){0,8}"
                    r"(?:AGREEMENT|CONTRACT|LICENSE|LICENCE|LEASE)(?:\s+(?:OF|FOR|ON)(?:\s+[A-Z][A-Z&\-]+){1,5})?\b")
_TITLE_CASE = re.compile(r"(?:[A-Z][a-z]+(?:[ -](?:and|of|for|to|&))?[ -]){1,8}"
                         r"(?:Agreement|Contract|License|Licence|Lease)\b")
_NOT_TITLE_CASE_WORDS = re.compile(r"^(?:(?:This|The|Form of)\s+)+")
_NOT_TITLE_WORDS = re.compile(r"^(?:(?:EXHIBIT|SCHEDULE|ANNEX|APPENDIX)\s+[0-9A-Z.\-]+\s+|THIS\s+|THE\s+|AND\s+|FORM\s+OF\s+|CONFIDENTIAL\s+|EXECUTION\s+(?:COPY|VERSION)\s+)+")


_REFERENCE = re.compile(
    r"\b(?:OF|TO|UNDER|IN|BY|WITH|FROM)\s+(?:THIS|SUCH|SAID)\s+(?:[A-Z]+\s+){0,3}AGREEMENT\b", re.IGNORECASE
)


# The name a preamble gives the agreement: 'This Multiple LINAC Distributor Agreement ("Agreement") is ...'.
_DEFINED_NAME = re.compile(r"\bThis\s+((?:(?:[A-Z][\w/&'\-]*|and|of|for|to|&)\s+){0,10}?"
                           r"(?:Agreement|Contract|License|Licence|Lease))\b")


def _cut_to_defined_name(heading: str, text: str) -> str:
    """A capitals heading that runs in from a legend ("COMMISSION ACME ... DISTRIBUTOR AGREEMENT") ends at the words of
    the name the preamble defines; keep only those."""
    for m in _DEFINED_NAME.finditer(text):
        defined = " ".join(m.group(1).split()).upper()
        if heading.upper().endswith(" " + defined):
            return heading[len(heading) - len(defined):]
    return heading


def title(text: str) -> str | None:
    """The agreement's own heading in a passage ("DISTRIBUTOR AGREEMENT"), never an exhibit number or a letterhead run."""
    for m in list(_TITLE.finditer(text)) or list(_TITLE_CASE.finditer(text)):
        if _REFERENCE.search(m.group(0)):
            continue  # "... PORTIONS OF THIS AGREEMENT" refers to the agreement, it is not its title
        number = r"^(?:\d+(?:\.\d+)*\s+)+"  # an exhibit's number ("Exhibit 10.1")
        name = re.sub(number, "", " ".join(m.group(0).split()))
        name = re.sub(number, "", _NOT_TITLE_CASE_WORDS.sub("", _NOT_TITLE_WORDS.sub("", name))).strip(" ,")
        name = _cut_to_defined_name(name, text)
        if len(name.split()) >= 2 and len(name) <= 120:
            return name
    return None


def jurisdiction(text: str) -> str | None:
    m = re.search(r"\blaws? of (?:the )?(?:State of |Commonwealth of |Province of )?" + _PLACE_RE.pattern, text)
    if m:
        return m.group(1)
    m = _PLACE_RE.search(text)
    return m.group(1) if m else None


def answer_for(shape: str, text: str):
    """The normalised answer of a category's excerpt, by the shape the category takes."""
    if shape == "date":
        return iso_date(text) or ("perpetual" if re.search(r"\bperpetu", text, re.IGNORECASE) else None)
    if shape == "duration":
        return duration(text)
    if shape == "notice":
        return duration(text, near=r"\bnotice\b|\bprior to\b|\bbefore\b")
    if shape == "parties":
        return parties(text) or None
    if shape == "jurisdiction":
        return jurisdiction(text)
    if shape == "yes_no":
        return "yes"
    if shape == "text":
        return " ".join(text.split())[:200]
    return None
