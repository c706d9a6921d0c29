"""What a resume says about its writer, read from its layout: the contact block, jobs, schooling, certifications.

Every fact keeps its offsets `(start, end, text)` in the resume text, so it can become an entity span. Precision
comes first: a line that does not look like a name, a place or a degree leaves the field empty.
"""

from __future__ import annotations

import re

from resumes.pipeline import dates as D
from resumes.pipeline.sections import heading_of, lines_with_offsets, section_of
from resumes.pipeline.taxonomy import builtin_skills

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Digits grouped by spaces, dots, dashes or a bracketed area code, optionally after +country; 9 to 15 digits.
PHONE = re.compile(r"(?<![\w/.+])(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{5,16}\d(?![\w/])")
LINK = re.compile(
    r"(?:https?://|www\.)[^\s|,;]+|\b(?:[a-z0-9-]+\.)?(?:linkedin\.com|github\.com|gitlab\.com|behance\.net|dribbble\.com)/[^\s|,;]+",
    re.I,
)
SEPARATORS = re.compile(r"\s*[|•·●▪]\s*|\s{3,}|\t+")

TITLE_WORDS = re.compile(
    r"\b(?:engineer|developer|analyst|manager|consultant|designer|architect|scientist|administrator|specialist|"
    r"lead|director|officer|assistant|associate|intern|teacher|professor|lecturer|nurse|accountant|coordinator|executive|"
    r"technician|representative|tester|programmer|trainer|supervisor|clerk|agent|advisor|adviser|counselor|counsellor|"
    r"writer|editor|chef|cook|barista|cashier|receptionist|operator|driver|mechanic|electrician|carpenter|plumber|"
    r"fellow|researcher|postdoc|president|vp|ceo|cfo|cto|coo|head|founder|owner|partner|auditor|economist|"
    r"attorney|lawyer|paralegal|pharmacist|physician|therapist|dentist|surgeon|marketer|strategist|planner|"
    r"recruiter|generalist|instructor|tutor|librarian|journalist|photographer|artist|producer|scrum master|"
    r"waiter|waitress|server|bartender|housekeeper|nanny|caregiver|aide|worker|laborer|labourer|foreman|"
    r"inspector|estimator|surveyor|buyer|merchandiser|bookkeeper|controller|treasurer|actuary|statistician|"
    r"chemist|biologist|physicist|pilot|officer|guard|firefighter|paramedic|dispatcher|secretary|"
    r"salesperson|sales|cook|chef de projet|gérant|ingénieur|entwickler|leiter)s?\b",
    re.I,
)
# Job words in the other languages resumes here come in, and German compounds ("Projektleiterin",
# "Maschinenbauingenieur"); kept apart from TITLE_WORDS, which the CRF reads as a feature.
MORE_TITLE_WORDS = re.compile(
    r"(?i:\b(?:ingeniero|ingeniera|desarrollador|desarrolladora|analista|gerente|jefe|jefa|director[ae]?|"
    r"responsable|charg[ée]e?|chef|d[ée]veloppeu(?:r|se)|consultante?|comptable|infirmi[eè]re?|vendeu(?:r|se)|"
    r"contabile|impiegat[oa]|sviluppatore|ingegnere|responsabile|commerciale|"
    r"berater(?:in)?|sachbearbeiter(?:in)?|referent(?:in)?|kaufmann|kauffrau|assistent(?:in)?|"
    r"medewerker|ontwikkelaar|adviseur|beheerder|desenvolvedor(?:a)?|gerente|enfermeir[oa]|"
    r"stocker|picker|packer|crew member|team member|associate|cleaner|janitor|nurse|midwife|"
    r"doctor|resident|registrar|sous chef|steward|host|hostess|teller|auditor)\b"
    r"|\b\w+(?:ingenieur|ingenieurin|leiter|leiterin|entwickler|entwicklerin|berater|beraterin|manager|managerin)\b)"
)


def is_title(value: str) -> bool:
    """Whether a piece of a line names a job ("Senior Engineer", "Projektleiterin", "Ingeniero de Software")."""
    return bool(TITLE_WORDS.search(value) or MORE_TITLE_WORDS.search(value))


# Words that are never part of a person's name: headings, credentials spelled out, resume words.
NOT_NAME_WORDS = {
    "certified",
    "certification",
    "certificate",
    "professional",
    "management",
    "project",
    "program",
    "resume",
    "résumé",
    "curriculum",
    "vitae",
    "cv",
    "contact",
    "profile",
    "summary",
    "objective",
    "experience",
    "education",
    "skills",
    "information",
    "personal",
    "details",
    "page",
    "phone",
    "email",
    "e-mail",
    "address",
    "mobile",
    "tel",
    "linkedin",
    "github",
    "portfolio",
    "website",
    "references",
    "available",
    "request",
    "street",
    "road",
    "avenue",
    "city",
    "university",
    "college",
    "school",
    "institute",
    "company",
    "inc",
    "ltd",
    "llc",
    "corp",
    "group",
    "services",
    "solutions",
    "technologies",
    "systems",
    "international",
    "global",
    "national",
    "department",
    "hospital",
    "senior",
    "junior",
    "principal",
    "chief",
    "staff",
    "data",
    "software",
    "business",
    "marketing",
    "finance",
    "financial",
    "health",
    "care",
    "nursing",
    "registered",
    "licensed",
    "practical",
    "clinical",
    "medical",
    "technical",
    "digital",
    "human",
    "resources",
    "customer",
    "service",
    "quality",
    "operations",
    "information",
    "technology",
    "science",
    "engineering",
    "research",
    "development",
    "and",
    "of",
    "the",
    "for",
    "in",
    "with",
    "to",
    "at",
    "on",
    "key",
    "core",
    "work",
    "history",
    "career",
    "employment",
    "objective",
    "highlights",
    "about",
    "me",
    "languages",
    "interests",
    "hobbies",
    "awards",
    "achievements",
    "projects",
    "training",
    "mba",
    "pmp",
}
HONORIFICS = re.compile(r"^(?:dr|mr|mrs|ms|miss|mx|prof|sir|dame)\.?\s+", re.I)
# Letters after a name: degrees and licences ("Jane Roe, PMP, MBA", "Aisha Bello RN").
CREDENTIALS = re.compile(
    r"(?:[,\s]+(?:PMP|MBA|CPA|CFA|CMA|RN|LPN|BSN|MSN|NP|PA-C|MD|DO|PhD|Ph\.D\.?|JD|Esq\.?|PE|P\.E\.|CISSP|CISA|CISM|"
    r"SHRM-CP|SHRM-SCP|PHR|SPHR|CSM|PMI-ACP|CHRP|CCNA|CCNP|MSc|MS|MA|BSc|BS|BA|MEng|CEng|FCA|ACA|ACCA|CIMA|LEED AP|"
    r"Jr\.?|Sr\.?|II|III|IV))+\s*$"
)
_NAME_TOKEN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*\.?$")

# Countries, US states and Canadian provinces: the last part of "City, Region" that makes a line a place.
REGIONS = {
    *"al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa "
    "ri sc sd tn tx ut vt va wa wv wi wy dc on qc bc ab mb sk ns nb nl pe nsw vic qld wa sa tas act nt".split(),
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "new hampshire",
    "new jersey",
    "new mexico",
    "new york",
    "north carolina",
    "north dakota",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "rhode island",
    "south carolina",
    "south dakota",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "west virginia",
    "wisconsin",
    "wyoming",
    "ontario",
    "quebec",
    "british columbia",
    "alberta",
    "manitoba",
    "nova scotia",
    "usa",
    "us",
    "u.s.",
    "u.s.a.",
    "united states",
    "canada",
    "mexico",
    "brazil",
    "argentina",
    "chile",
    "colombia",
    "peru",
    "uk",
    "u.k.",
    "united kingdom",
    "england",
    "scotland",
    "wales",
    "ireland",
    "northern ireland",
    "france",
    "germany",
    "deutschland",
    "spain",
    "portugal",
    "italy",
    "netherlands",
    "belgium",
    "switzerland",
    "austria",
    "poland",
    "czech republic",
    "czechia",
    "slovakia",
    "hungary",
    "romania",
    "bulgaria",
    "greece",
    "turkey",
    "sweden",
    "norway",
    "denmark",
    "finland",
    "iceland",
    "estonia",
    "latvia",
    "lithuania",
    "ukraine",
    "russia",
    "israel",
    "uae",
    "united arab emirates",
    "saudi arabia",
    "qatar",
    "kuwait",
    "egypt",
    "morocco",
    "nigeria",
    "ghana",
    "kenya",
    "ethiopia",
    "south africa",
    "india",
    "pakistan",
    "bangladesh",
    "sri lanka",
    "nepal",
    "china",
    "hong kong",
    "taiwan",
    "japan",
    "korea",
    "south korea",
    "singapore",
    "malaysia",
    "indonesia",
    "philippines",
    "thailand",
    "vietnam",
    "australia",
    "new zealand",
    "maharashtra",
    "karnataka",
    "tamil nadu",
    "telangana",
    "kerala",
    "gujarat",
    "delhi",
    "uttar pradesh",
    "west bengal",
    "haryana",
    "punjab",
}


def _span(line_start: int, line: str, piece: str, after: int = 0):
    at = line.find(piece, after)
    return (line_start + at, line_start + at + len(piece), piece) if at >= 0 else None


def region_of(value: str) -> bool:
    """Whether a place ends in a known country, state or province ("Brisbane QLD 4000, Australia")."""
    last = re.sub(r"[\d\s]+$", "", value.rsplit(",", 1)[-1]).strip().lower()
    return last in REGIONS or (len(last.split()) > 1 and last.split()[-1] in REGIONS and len(last.split()) <= 2)


LOCATION = re.compile(r"[^\W\d_][\w .'’-]*?(?:,\s*[^\W\d_][\w .'’-]*?){1,2}(?:\s+\d{3,6})?(?=\s*$)")


def location_in(piece: str) -> str | None:
    """A place written as "City, Region" (region known), or None."""
    piece = piece.strip().strip("-–—").strip()
    if len(piece) > 60 or "@" in piece or sum(c.isdigit() for c in piece) > 6:
        return None
    m = LOCATION.fullmatch(piece)
    if m and region_of(piece) and not TITLE_WORDS.search(piece.split(",")[0]):
        return piece
    return None


_SKILL_WORDS = {name.lower() for name, _ in builtin_skills() if " " not in name}
_PARTICLES = {"de", "la", "del", "de la", "da", "das", "do", "dos", "van", "von", "der", "den", "ter", "bin", "binti",
              "al", "el", "le", "du", "di", "y", "e"}
_PRONOUNS = re.compile(r"\s*[(\[]\s*(?:she|he|they|ze|xe)\s*/\s*\w+(?:\s*/\s*\w+)?\s*[)\]]", re.I)
_NAME_LABEL = re.compile(r"^\s*(?:full\s+)?name\s*[:：]\s*", re.I)
# A nickname in quotes or brackets between the names ('Robert "Bob" Miller') is not part of the legal name.
_NICKNAME = re.compile(r"\s+(?:\"[^\"]{1,20}\"|“[^”]{1,20}”|\([^()]{1,20}\))(?=\s)")


def name_in(line: str) -> tuple[int, int, str] | None:
    """(start, end, display name) of a person's name filling a line, in any case; None for anything else.

    "Name: Ahmed Hassan" is read after its label; a nickname between the names is left out of the display.
    """
    if len(line) > 120 and len(line.strip()) > 100:  # no name line is this long; the patterns below are not cheap
        return None
    pronouns = _PRONOUNS.search(line)
    if pronouns:  # "Alex Kim (they/them)"
        line = line[: pronouns.start()] + " " * (pronouns.end() - pronouns.start()) + line[pronouns.end() :]
    label = _NAME_LABEL.match(line)
    if label:
        found = name_in(line[label.end() :])
        return (found[0] + label.end(), found[1] + label.end(), found[2]) if found else None
    nickname = _NICKNAME.search(line)
    if nickname:
        found = name_in(line[: nickname.start()] + " " * (nickname.end() - nickname.start()) + line[nickname.end() :])
        return (found[0], found[1], re.sub(r"\s+", " ", found[2])) if found else None
    stripped = line.strip()
    if not stripped or len(stripped) > 60 or re.search(r"[@\d|:/]", stripped):
        return None
    lead = line.find(stripped)
    core = CREDENTIALS.sub("", stripped).strip().rstrip(",")
    honorific = HONORIFICS.match(core)
    offset = lead + (honorific.end() if honorific else 0)
    core = core[honorific.end() :] if honorific else core
    tokens = core.split()
    # Particles do not count toward a name's length ("María José de la Cruz Fernández", "Jan van der Berg").
    named = [t for t in tokens if t.lower() not in _PARTICLES]
    if not 2 <= len(named) <= 4 or len(tokens) > 7 or "," in core or tokens[0].lower() in _PARTICLES - {"de"}:
        return None
    if not all(_NAME_TOKEN.match(t) for t in tokens):
        return None
    if any(t.lower().strip(".") in NOT_NAME_WORDS for t in tokens) or TITLE_WORDS.search(core) or heading_of(core):
        return None
    # In mixed case every name starts with a capital: "Lean manufacturing" is a headline's phrase, not a person.
    if not (core.isupper() or core.islower()) and any(t[0].islower() for t in named):
        return None
    if sum(len(t.strip(".")) == 1 for t in tokens) > 1:  # at most one middle initial
        return None
    if all(t.lower() in _SKILL_WORDS for t in tokens):  # "SQL JIRA", "Python Java": a sidebar's skills, not a person
        return None
    display = re.sub(r"\s+", " ", core)
    if core.isupper() or core.islower():
        display = " ".join(_capitalise(t) for t in tokens)
    else:  # "Wei LI", "Marie DUPONT": a surname in capitals among names in ordinary case
        display = " ".join(
            _capitalise(t) if t.isupper() and len(t.strip(".")) > 1 and t not in ("II", "III", "IV") else t
            for t in tokens
        )
    return offset, offset + len(core), display


def _capitalise(token: str) -> str:
    # "o'connell" -> "O'Connell", "garcía-lópez" -> "García-López", "j." -> "J."
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), token)


def contact_block(text: str, sections) -> list[tuple[int, int, str]]:
    """Lines that can hold contact facts: the block before the first heading, else the first 12 lines."""
    contact = sections[0] if sections and sections[0].name == "contact" else None
    lines = [l for l in lines_with_offsets(text, contact.start, contact.end)] if contact else []
    if not any(l[2].strip() for l in lines):
        lines = list(lines_with_offsets(text))[:12]
    return lines


_NAME_THEN = re.compile(r"^(\s*[^|•·●▪—–\t]+?)(?:\s*[|•·●▪]\s*|\s+[—–-]\s+|\s{3,}|\t+)\S")


def contact_facts(text: str, sections) -> dict:
    """Name, headline (the title under the name) and location; each `(start, end, value)` or None."""
    facts = {"name": None, "designation": None, "location": None}
    lines = contact_block(text, sections)
    for start, end, line in lines[:15]:
        skip = None
        if facts["name"] is None:
            found = name_in(line)
            if found:
                facts["name"] = (start + found[0], start + found[1], found[2])
                continue
            # "ELENA" over "KOVAČ": a name set on two lines, one word each.
            below = next((b for b in lines if b[0] > start), None)
            opening = start == next((b[0] for b in lines if b[2].strip()), None)  # only where a resume opens
            if opening and below and len(line.split()) == 1 and len(below[2].split()) == 1 and end + 1 == below[0]:
                found = name_in(f"{line.strip()} {below[2].strip()}")
                if found:
                    facts["name"] = (start + line.find(line.strip()), below[1], found[2])
                    continue
            # "JANE DOE — Senior Data Scientist", "Jane Doe | Data Scientist | jane@example.org": the name first.
            first = _NAME_THEN.match(line)
            found = name_in(first.group(1)) if first else None
            if found:
                facts["name"] = (start + found[0], start + found[1], found[2])
                skip = first.group(1).strip()
        for piece in SEPARATORS.split(line):
            piece = piece.strip()
            if not piece or piece == skip:
                continue
            if facts["location"] is None and location_in(piece):
                facts["location"] = _span(start, line, piece)
                continue
            if (
                facts["designation"] is None
                and len(piece) < 60
                and TITLE_WORDS.search(piece)
                and "@" not in piece
                and not heading_of(piece)
                and not D.date_range_in(piece)
                and len(piece.split()) <= 7
                and not re.search(r"[.!?]$", piece)
            ):
                facts["designation"] = _span(start, line, piece)
    # Two-column pages put the name anywhere in the sidebar: look once more through the first lines of the text.
    if facts["name"] is None:
        first = list(lines_with_offsets(text, 0, min(len(text), 4000)))[:40]
        dated = [
            i
            for i, (start, _, line) in enumerate(first)
            if len(line) < 200 and section_of(sections, start) != "education" and D.date_range_in(line)
        ]
        for i, (start, end, line) in enumerate(first):
            # A two-column page may end its sidebar's last section with the main column's name; a job's header
            # lines (near its dates, in the experience section) are never the name.
            if section_of(sections, start) == "experience" or any(abs(i - d) <= 2 for d in dated):
                continue
            found = name_in(line)
            # "Vodafone Egypt", "Deloitte India": a company written with its country, not a person.
            if found and not heading_of(line) and found[2].split()[-1].lower() not in REGIONS:
                facts["name"] = (start + found[0], start + found[1], found[2])
                break
    if facts["location"] is None:
        for start, end, line in list(lines_with_offsets(text))[:40]:
            piece = next((p.strip() for p in SEPARATORS.split(line) if location_in(p)), None)
            if piece:
                facts["location"] = _span(start, line, piece)
                break
    return facts


# A national number with its area code before a slash, as German-speaking resumes write it ("030/1234567").
_BRACKETED_CODE_PHONE = re.compile(r"\(\+\d{1,3}\)\s?\d[\d\s.-]{5,16}\d(?![\w/])")
_SLASHED_PHONE = re.compile(r"(?<![\w/.+])0\d{2,5}\s?/\s?\d[\d\s-]{4,12}\d(?![\w/])")


def phone_in(text: str, *, limit: int = 3000) -> str:
    """The first phone number in the resume's opening text: 9-15 digits, not a date range or a postcode."""
    head = text[:limit]
    found = [*PHONE.finditer(head), *_SLASHED_PHONE.finditer(head), *_BRACKETED_CODE_PHONE.finditer(head)]
    # The earliest number wins; of two starting together or nested, the longer ("(+44) 7700 900123").
    found.sort(key=lambda m: (m.start(), -m.end()))
    found = [m for i, m in enumerate(found) if not any(o.start() <= m.start() and m.end() <= o.end() and o is not m
                                                        and (o.end() - o.start()) > (m.end() - m.start()) for o in found)]
    for m in found:
        value = m.group().strip(" .-")
        digits = sum(c.isdigit() for c in value)
        if not 9 <= digits <= 15:
            continue
        line_start = head.rfind("\n", 0, m.start()) + 1
        line_end = head.find("\n", m.end())
        line = head[line_start : line_end if line_end >= 0 else len(head)]
        if D.RANGE.search(value) or (
            D.RANGE.search(line) and not value.startswith("+") and not re.search(r"\(\d", value)
        ):
            continue
        if re.fullmatch(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", value):
            continue
        return value
    return ""


# --- experience -------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-•*·▪●◦‣–➢➤✓✔■□►▶→❖◆◇○⁃∙✦★]|\d+[.)]|o(?=\s+[A-Z]))\s+")
_HEADER_SPLIT = re.compile(r"\s+(?:at|@)\s+|\s*[|–—;]\s*|\s+[·•]\s+|\s+-\s+|\s{2,}|\t+")
# "Ingeniero de Software en Telefónica", "Projektleiterin bei Otto", "Contabile presso Pirelli": the word for "at" in
# another language, only before a capitalised name (lower case after it is a field: "Ingénieur en informatique").
_AT_ABROAD = re.compile(r"\s+(?:bei|chez|presso|bij|en|em|na|no|para|pour|für)\s+(?=[A-ZÀ-ÞĀ-Ž])")


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


# A header may end in a full stop only after one of these ("Midwest Freight Co.", "Acme, Inc.").
_ABBREVIATION_END = re.compile(
    r"(?i:\b(?:co|corp|inc|ltd|llc|llp|plc|bros|dept|univ|intl|assn|jr|sr|st|ag|sa|nv|bv|gmbh|pty|l\.l\.c|s\.a)\.$"
    r"|\b[a-z]\.$)"
)


def _description(line: str) -> bool:
    """A sentence about the job, not a title or company line: long, ended like a sentence, or a continuation."""
    words = line.split()
    if len(words) > 10:
        return True
    ended = bool(re.search(r"[.;:!]$", line)) and not _ABBREVIATION_END.search(line)
    continuation = line[:1].islower() and len(words) >= 3  # the wrapped second line of an achievement
    return len(words) >= 4 and (ended or continuation)


_LEGAL_SUFFIX = re.compile(
    r"(?i:inc\.?|incorporated|llc|l\.l\.c\.|ltd\.?|limited|llp|plc|corp\.?|co\.?|gmbh|ag|s\.?a\.?|s\.?l\.?|"
    r"s\.?r\.?l\.?|b\.?v\.?|n\.?v\.?|pty\.? ltd\.?|pvt\.? ltd\.?|p\.?c\.?)"
)


def _commas(piece: str) -> list[str]:
    """A piece cut at its commas, except those inside brackets ("Research Intern (part-time, remote)")."""
    parts, depth, begin = [], 0, 0
    for i, c in enumerate(piece):
        depth += (c == "(") - (c == ")")
        if c == "," and depth <= 0:
            parts.append(piece[begin:i])
            begin = i + 1
    parts.append(piece[begin:])
    joined: list[str] = []
    for part in parts:
        if joined and _LEGAL_SUFFIX.fullmatch(part.strip()):  # "Acme, Inc." is one company
            joined[-1] = f"{joined[-1]},{part}"
        else:
            joined.append(part)
    return joined


def _unbracketed(part: str) -> str:
    """A part without spaces and without brackets that close nothing ("(MBA" -> "MBA", "Master (MBA)" kept)."""
    clean = part.strip(" \t:;,·•-–—")
    while clean.startswith("(") and clean.count("(") > clean.count(")"):
        clean = clean[1:].strip(" \t:;,·•-–—")
    while clean.endswith(")") and clean.count(")") > clean.count("("):
        clean = clean[:-1].strip(" \t:;,·•-–—")
    while clean.endswith("(") or clean.startswith(")"):
        clean = clean.strip("()").strip(" \t:;,·•-–—")
    if clean.startswith("(") and clean.endswith(")") and clean.count("(") == 1:
        clean = clean[1:-1].strip()
    return clean


def _fragments(line_start: int, line: str, *, abroad: bool = False) -> list[tuple[int, int, str]]:
    """A header line cut at its separators, then at commas, each piece with offsets.

    With `abroad`, also at the words other languages write for "at" (job headers only: in a degree "en", "em" and
    "in" join the subject).
    """
    out, at = [], 0
    pieces = [p for piece in _HEADER_SPLIT.split(line) for p in (_AT_ABROAD.split(piece) if abroad else [piece])]
    for piece in pieces:
        if not piece or not piece.strip(" ,()"):
            at = line.find(piece, at) + len(piece) if piece else at
            continue
        begin = line.find(piece, at)
        at = begin + len(piece)
        if location_in(piece):
            head, _, rest = piece.partition(",")
            if piece.count(",") >= 2 and location_in(rest):
                # "Bluebonnet Electric Co., Houston, TX": a company, then where it is.
                clean = head.strip()
                offset = line_start + begin + piece.find(clean)
                out.append((offset, offset + len(clean), clean, ""))
                place = rest.strip()
                offset = line_start + begin + piece.find(place, len(head))
                out.append((offset, offset + len(place), place, "location"))
            else:
                out.append((line_start + begin, line_start + at, piece.strip(), "location"))
            continue
        inner = 0
        for part in _commas(piece):
            part_begin = piece.find(part, inner)
            inner = part_begin + len(part)
            clean = _unbracketed(part)
            if clean:
                offset = line_start + begin + part_begin + part.find(clean)
                out.append((offset, offset + len(clean), clean, ""))
    return out


# "Vice President, Risk", "Director, Product Management": a department after a title's comma belongs to the title.
_DEPARTMENT = re.compile(
    r"(?i:(?:(?:risk|sales|marketing|finance|operations|engineering|product|products|hr|it|strategy|technology|"
    r"compliance|legal|analytics|data|design|research|growth|partnerships|procurement|supply chain|"
    r"business development|customer success|customer experience|people|talent|communications|brand|"
    r"digital|infrastructure|security|platform|platforms|emea|apac|americas|north america|europe|"
    r"management|development|programs|global|international|national|regional|retail|commercial|"
    r"corporate|clinical|quality|innovation|treasury|audit|tax|investments|investor relations)"
    r"(?:\s+(?:and|&)\s+|\s+|$))+)$"
)


def _with_department(title: tuple, plain: list[tuple], headers: list[tuple[int, str]]) -> tuple:
    after = next((f for f in plain if f[0] > title[0]), None)
    if after is None or not _DEPARTMENT.match(after[2]) or len(after[2].split()) > 3:
        return title
    for start, line in headers:
        if start <= title[0] and after[1] <= start + len(line):
            gap = line[title[1] - start : after[0] - start]
            if re.fullmatch(r"\s*,\s*", gap):
                return title[0], after[1], line[title[0] - start : after[1] - start], title[3]
    return title


def _job_from(headers: list[tuple[int, str]]) -> dict:
    """Title, company and location from a job's header lines (title first or company first).

    `order` says which came first when a job word told them apart ("title" or "company"), None when the title was
    a guess; a section's other jobs then settle the guess (see `_settle_order`).
    """
    # A job's header is short; a paragraph that happens to hold dates names no job (and is slow to cut up).
    fragments = [f for start, line in headers if len(line) <= 200 for f in _fragments(start, line, abroad=True)]
    plain = [f for f in fragments if not f[3] and not D.date_range_in(f[2]) and not re.fullmatch(r"[\d\s./-]+", f[2])]
    title = next((f for f in plain if is_title(f[2])), None)
    if title is not None:
        title = _with_department(title, plain, headers)
        plain = [f for f in plain if not (title[0] <= f[0] and f[1] <= title[1])] + [title]
        plain.sort(key=lambda f: f[0])
    guessed = title is None
    if title is None and plain:
        title = plain[0]
    company = next((f for f in plain if f is not title), None)
    order = None
    if not guessed and company is not None:
        order = "title" if title[0] < company[0] else "company"
    location = next((f for f in fragments if f[3] == "location"), None)
    if company is not None:
        # Whatever follows the company on its line is where it is ("Shopify, Toronto").
        later = [f for f in plain if f is not title and f is not company and f[0] > company[0]]
        if location is None and later and len(later[0][2].split()) <= 3:
            location = later[0]
    return {
        "title": title[:3] if title else None,
        "company": company[:3] if company else None,
        "location": location[:3] if location else None,
        "order": order,
    }


def _settle_order(jobs: list[dict]) -> None:
    """A job whose header had no job word ("Target — Stocker") is read in the order its section's other jobs use."""
    orders = [j["order"] for j in jobs if j.get("order")]
    if not orders or orders.count("company") <= orders.count("title"):
        return
    for job in jobs:
        if job.get("order") is None and job["title"] and job["company"] and job["title"][0] < job["company"][0]:
            job["title"], job["company"] = job["company"], job["title"]


def experience_entries(text: str, sections) -> list[dict]:
    """Each job in the experience sections: title, company, location (offsets), dates, achievements.

    A resume whose jobs sit under a heading read as something else ("Career Summary:") keeps those dated lines
    that name a job and a company ("Operations Manager – Arla Foods UK, Leeds (May 2017 – Present)").
    """
    jobs = [job for section in sections if section.name == "experience" for job in _section_jobs(text, section)]
    if jobs:
        return jobs
    for section in sections:
        if section.name in ("summary", "other", "contact"):
            jobs += [
                j
                for j in _section_jobs(text, section)
                if j["dates"] and j["start"] and j["title"] and j["company"] and is_title(j["title"][2])
            ]
    return jobs


def _company_shaped(value: str) -> bool:
    """A short capitalised name with no job word and no sentence end: what a company line holds."""
    words = value.split()
    return (
        0 < len(words) <= 6 and value[:1].isupper() and not is_title(value) and not re.search(r"[.!?:]$", value)
        or bool(_ABBREVIATION_END.search(value))
    ) and not D.YEAR.search(value)


def _header_shaped(line: str) -> bool:
    """A line that can name a job or an employer: short, not a sentence, its words capitalised or split by separators."""
    stripped = line.strip()
    words = stripped.split()
    if not words or len(words) > 10 or "%" in stripped or _description(stripped):
        return False
    if is_title(stripped) or _HEADER_SPLIT.search(stripped) or "," in stripped:
        return True
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return stripped.islower() or not long_words or sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _header_lines(pending: list[tuple[int, str]], on_line: bool) -> list[tuple[int, str]]:
    """Of the lines since the last job, those that head the next one: the header-shaped lines nearest its dates."""
    kept: list[tuple[int, str]] = []
    for start, line in reversed(pending):
        if len(kept) == 3 or not _header_shaped(line) and (kept or on_line):
            break
        kept.insert(0, (start, line))
    return kept


def _section_jobs(text: str, section) -> list[dict]:
    """The jobs of one section, read line by line: header lines, a date range, achievements."""
    pending: list[tuple[int, str]] = []
    current = None
    awaiting_header = awaiting_company = awaiting_title = False
    company_above = None  # whether the section's first job named its company on a line above its dates
    section_jobs = []
    for start, end, line in lines_with_offsets(text, section.start, section.end):
        stripped = line.strip()
        if not stripped:
            continue
        m = D.date_range_in(line)
        if m:
            before, after = line[: m.start()], line[m.end() :]
            on_line = bool(before.strip(" ,|()-–—:\t") or after.strip(" ,|()-–—:\t"))
            kept = _header_lines(pending, on_line)
            if current is not None:  # the lines left over are the previous job's achievements, written without bullets
                current["achievements"] += [text_line.strip() for at, text_line in pending if (at, text_line) not in kept]
            pending = kept
            headers = list(pending)
            for piece, offset in ((before, 0), (after, m.end())):
                if piece.strip(" ,|()-–—:\t"):
                    headers.append((start + offset, piece))
            start_month, end_month = D.parse_range(m)
            current = {
                **_job_from(headers),
                "dates": (start + m.start(), start + m.end()),
                "start": start_month,
                "end": end_month,
                "current": D.is_open(m),
                "achievements": [],
            }
            awaiting_header = not headers
            if company_above is None:
                company_above = bool(pending)
            lone = bool(headers) and not pending and current["company"] is None and bool(current["title"])
            # "CONTROLLER      JAN 2018 – PRESENT" with the company on the line under it (the section's layout).
            awaiting_company = lone and not company_above
            # "The Home Depot, Atlanta, GA      2016 – Present" with the title on the line under it.
            awaiting_title = lone and current["order"] is None and not is_title(current["title"][2])
            if lone and company_above and section_jobs and section_jobs[-1]["company"] and not awaiting_title:
                # Another role at the employer named above ("Google" / "Staff Engineer (2019 - Present)" /
                # "Senior Engineer (2016 - 2019)").
                current["company"] = section_jobs[-1]["company"]
            section_jobs.append(current)
            pending = []
            continue
        if is_bullet(line) or (current is not None and _description(stripped)):
            if pending and (current is None or current.get("dates") is None or not awaiting_header):
                # A job written without dates: its header lines come right before its bullets.
                kept = _header_lines(pending, True)
                if current is not None:
                    current["achievements"] += [text_line.strip() for at, text_line in pending if (at, text_line) not in kept]
                if kept and (current is None or current.get("dates") is None or _job_from(kept)["company"]):
                    current = {
                        **_job_from(kept),
                        "dates": None,
                        "start": None,
                        "end": None,
                        "current": False,
                        "achievements": [],
                    }
                    section_jobs.append(current)
                elif current is not None:
                    current["achievements"] += [text_line.strip() for _, text_line in kept]
                pending = []
            if current is not None:
                current["achievements"].append(_BULLET.sub("", line).strip())
            awaiting_header = awaiting_company = False
            continue
        if awaiting_title and current is not None:
            awaiting_title = awaiting_company = False
            below = _job_from([(start, line)])
            if below["title"] and below["company"] is None and is_title(below["title"][2]):
                current["company"], current["title"] = current["title"], below["title"]
                current["location"] = current["location"] or below["location"]
                continue
        if awaiting_company and current is not None:
            awaiting_company = False
            below = _job_from([(start, line)])
            if below["order"] is None and below["title"] and _company_shaped(below["title"][2]):
                current["company"] = below["title"]
                current["location"] = current["location"] or below["location"] or below["company"]
                continue
        if awaiting_header and current is not None:
            # Dates came first ("Jan 2020 - Present" then "Title, Company"): the next lines name the job.
            merged = _job_from([(start, line)])
            for key in ("title", "company", "location"):
                if current[key] is None and merged[key] is not None:
                    current[key] = merged[key]
                elif (
                    key == "title"
                    and current["company"] is None
                    and merged["title"] is not None
                    and current["title"] is not None
                ):
                    current["company"] = merged["title"]
            if current["title"] and current["company"]:
                awaiting_header = False
            continue
        pending.append((start, line))
    if pending and not any(j["dates"] for j in section_jobs):
        # No dates anywhere in the section: each header line with a separator is one job.
        for start, line in pending:
            if not _header_shaped(line):
                continue
            job = _job_from([(start, line)])
            if job["company"]:
                section_jobs.append(
                    {**job, "dates": None, "start": None, "end": None, "current": False, "achievements": []}
                )
    _settle_order(section_jobs)
    return section_jobs


# --- education ---------------------------------------------------------------------------------

DEGREE_WORDS = re.compile(
    r"(?i:\b(?:bachelor(?:'s)?|master(?:'s)?|doctor(?:ate)?|associate(?:'s)?|diploma|degree|laurea|licence|licenciatura|"
    r"high school|secondary school|ged|a-levels?|baccalaur[ée]at|abitur|honours|hons)\b)"
    r"|(?<![\w.])(?:B\.?\s?S\.?c?|B\.?\s?A|B\.?\s?E(?:ng)?|B\.?\s?Tech|B\.?\s?Com|BBA|BFA|BCA|BSN|B\.?\s?Ed|B\.?\s?Arch|"
    r"M\.?\s?S\.?c?|M\.?\s?A|M\.?\s?E(?:ng)?|M\.?\s?Tech|M\.?\s?Com|MBA|MFA|MCA|MSN|M\.?\s?Ed|M\.?\s?Phil|MPH|MPA|"
    r"Ph\.?\s?D|D\.?\s?Phil|Ed\.?\s?D|LL\.?\s?[BM]|J\.?\s?D|M\.?\s?D|Pharm\.?\s?D|HSC|SSC|Ing)\b\.?",
)
# Degrees and qualifications written in other systems and languages; kept apart from DEGREE_WORDS (a CRF feature).
MORE_DEGREE_WORDS = re.compile(
    r"(?i:\b(?:certificate|certification|certificat|diplom(?:-\w+)?|dipl\.-\w+\.?|dipl[oô]me|grado|m[aá]ster|"
    r"maestr[ií]a|bacharelado|mestrado|doutorado|licenciado|magister|magistra|staatsexamen|ma[iî]trise|"
    r"graduate|postgraduate|undergraduate|foundation degree|apprenticeship|vocational|ingenier[ií]a|ingegneria|"
    r"bachillerato|t[eé]cnico superior|tecn[oó]logo|matura|mbbs|bds|b\.?\s?pharm|basc|bcomm|bsba|aas|"
    r"a[- ]levels?|gcses?|b\.?\s?sc\.?|m\.?\s?sc\.?|beng|meng|msc|bsc|phd|mba|llb|llm)\b"
    r"|(?<![\w.])[bm]\.\s?[as]\.(?!\w))"
    r"|\b(?:NVQ|HND|HNC|BTEC|PGCE|PGDip|SSC|HSC|CBSE|ICSE|DUT|BTS|BS|MS|BA|MA|JD|GED)\b"
)


def is_degree(value: str) -> bool:
    """Whether a piece of an education line names a degree or a qualification (a Scrum Master is neither)."""
    value = re.sub(r"(?i)\bscrum\s+master\b", "", value)
    return bool(DEGREE_WORDS.search(value) or MORE_DEGREE_WORDS.search(value))


SCHOOL_WORDS = re.compile(
    r"\b(?:university|universit[éàä]t?|universidad|universidade|college|institute|school|academy|polytechnic|"
    r"politecnico|hochschule|conservatory|seminary|iit|nit)\b",
    re.I,
)


# Where a school starts inside a degree line with no separator: after "from"/"at", or at "University of ..." (a
# name before the school word, "Boston University", cannot be told from a subject and is left joined).
_SCHOOL_START = re.compile(
    r"\s(?:from|at)\s+(?=\S)|\s(?=(?:the\s+)?(?:university|universit[éy]|universidad|universidade|universit[àä]t?|"
    r"college|institute|school|academy)\s+(?:of|de|di|do|für|for)\s)",
    re.I,
)


def _school_apart(fragment: tuple) -> list[tuple]:
    """A degree and its school written without a separator ("BSc Computer Science University of Leeds") as two."""
    start, end, value, kind = fragment
    cut = _SCHOOL_START.search(value)
    if not cut or not SCHOOL_WORDS.search(value, cut.end()):
        return [fragment]
    degree, rest = value[: cut.start()].rstrip(" ,-–—"), value[cut.end() :].strip()
    if not is_degree(degree) or SCHOOL_WORDS.search(degree):
        return [fragment]
    return [(start, start + len(degree), degree, kind), (start + cut.end(), start + cut.end() + len(rest), rest, kind)]


# Fields of study: a piece after a generic degree naming one is the degree's subject ("B.S., Computer Science").
_SUBJECTS = re.compile(
    r"(?i:\b(?:science|sciences|engineering|economics|finance|accounting|business|management|administration|"
    r"marketing|nursing|medicine|law|laws|mathematics|maths|math|statistics|physics|chemistry|biology|"
    r"biochemistry|psychology|sociology|history|english|literature|philosophy|politics|political|education|"
    r"design|arts|art|architecture|informatics|computing|computer|information|technology|communication|"
    r"communications|journalism|linguistics|languages|studies|pharmacy|geography|geology|music|theatre|"
    r"agriculture|hospitality|tourism|logistics|analytics|data)\b)"
)
_GENERIC_DEGREE = re.compile(
    r"(?i:^(?:(?:bachelor|master|doctor|associate)(?:['’]s)?(?:\s+(?:of|in)\s+(?:arts|science|sciences|engineering|"
    r"applied science|fine arts|business administration|commerce|laws|education|technology|philosophy))?(?:\s+degree)?"
    r"|[BM]\.?\s?(?:S|A|Sc|Eng|E|Tech|Com)\.?|MBA|Ph\.?\s?D\.?|BBA|BFA|MFA)$)"
)


def _with_subject(degree: tuple, fragments: list[tuple]) -> tuple:
    """A generic degree joined with the subject after its comma ("Bachelor of Science, Computer Science")."""
    if not _GENERIC_DEGREE.match(degree[2].strip()):
        return degree
    following = [f for f in fragments if f[0] >= degree[1]]
    if not following:
        return degree
    nxt = following[0]
    value = re.sub(r"\(\s*\)", "", D.YEAR.sub("", nxt[2])).strip(" ,-–")
    if (
        not value
        or SCHOOL_WORDS.search(value)
        or is_degree(value)
        or len(value.split()) > 5
        or not _SUBJECTS.search(value)
        or is_title(value)
    ):
        return degree
    return degree[0], nxt[0] + nxt[2].find(value) + len(value), f"{degree[2]}, {value}"


def education_entries(text: str, sections) -> list[dict]:
    """Degree, school and year per entry, each `(start, end, text)`; a degree line starts an entry."""
    entries = []
    for section in sections:
        if section.name != "education":
            continue
        for start, end, line in lines_with_offsets(text, section.start, section.end):
            if not line.strip():
                continue
            body = _BULLET.sub("", line)
            body_at = start + line.find(body)
            span = D.date_range_in(body)
            if span:  # "10/2010 – 07/2015 Studium der Informatik": the years of study are not the degree
                body = body[: span.start()] + " " * (span.end() - span.start()) + body[span.end() :]
            fragments = [f for f in _fragments(body_at, body) if f[3] != "location"] or []
            # "Northeastern University, Boston, MA": a region after the first piece is where the school is.
            fragments = [f for i, f in enumerate(fragments) if i == 0 or f[2].lower() not in REGIONS]
            fragments = [cut for f in fragments for cut in _school_apart(f)]
            degree = next(
                (f for f in fragments if is_degree(f[2]) and not (SCHOOL_WORDS.search(f[2]) and f is not fragments[0])),
                None,
            )
            school = next((f for f in fragments if SCHOOL_WORDS.search(f[2]) and f is not degree), None)
            if (
                degree
                and SCHOOL_WORDS.search(degree[2])
                and not re.search(r"diploma|degree", degree[2], re.I)
                and school is None
            ):
                school, degree = degree, None
            years = list(D.YEAR.finditer(line))
            if degree:
                degree = _with_subject(degree, fragments)
                value = _unbracketed(D.YEAR.sub("", degree[2]).strip(" ,-–"))
                value = re.sub(r"\s*\b(?:expected|graduated|class of)\s*$", "", value, flags=re.I).strip(" ,-–")
                value = _unbracketed(value)
                degree = (degree[0], degree[0] + len(value), value) if value else None
            if school:
                name = _unbracketed(D.YEAR.sub("", school[2]).strip(" ,-–"))
                school = (school[0], school[0] + len(name), name) if name else None
            if degree and entries and entries[-1]["degree"] is None and entries[-1]["institution"] and not school:
                entries[-1]["degree"] = degree  # the school's line came first, its degree under it
            elif degree:
                entries.append({"degree": degree, "institution": None, "year": None})
            elif not entries:
                if not school:
                    continue
                entries.append({"degree": None, "institution": None, "year": None})
            entry = entries[-1]
            if school and entry["institution"] is None:
                entry["institution"] = school[:3]
            if years and entry["year"] is None:
                y = years[-1]
                entry["year"] = (start + y.start(), start + y.end(), y.group())
    return entries


def certifications(text: str, sections) -> list[tuple[int, int, str]]:
    """Each line of the certifications sections, without its bullet."""
    out = []
    for section in sections:
        if section.name != "certifications":
            continue
        for start, end, line in lines_with_offsets(text, section.start, section.end):
            body = _BULLET.sub("", line).strip()
            if body and len(body) <= 120:
                at = start + line.find(body)
                out.append((at, at + len(body), body))
    return out
