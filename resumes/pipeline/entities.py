"""The untrained resumes.ner: entity spans from sections, patterns and the skills taxonomy.

Spans are `[start, end, label, score]` over the extracted text, with the twelve dotin labels.
"""
from __future__ import annotations

import re

from resumes.pipeline import dates as D
from resumes.pipeline.sections import lines_with_offsets, split_sections
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.taxonomy import KIND_LABELS

LABELS = (
    "Name", "Designation", "Location", "Email Address", "Years of Experience", "Companies worked at", "College Name",
    "Degree", "Graduation Year", "Tech Tools", "Job Specific Skills", "Soft Skills",
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\w/])")
LINK = re.compile(r"(?:https?://|www\.)\S+|\b(?:linkedin\.com|github\.com|gitlab\.com)/\S+", re.I)
NAME = re.compile(r"^[A-Z][a-zA-Z'’-]+(?: [A-Z]\.?)?(?: [A-Z][a-zA-Z'’-]+){1,3}$")
LOCATION = re.compile(r"\b[A-Z][a-zA-Z]+(?: [A-Z][a-zA-Z]+)?, (?:[A-Z]{2}\b|[A-Z][a-zA-Z]+(?: [A-Z][a-zA-Z]+)?)")
DEGREE = re.compile(
    r"\b(?:Bachelor|Master|Doctor|Associate)(?:'s)?(?: of| in)? [A-Z][\w&]*(?: (?:of|in|and|&) [A-Z][\w&]*| [A-Z][\w&]*){0,5}"
    r"|\b(?:B\.?\s?S\.?c?|B\.?\s?A|B\.?\s?E|B\.?\s?Tech|B\.?\s?Com|BCA|MCA|M\.?\s?S\.?c?|M\.?\s?A|M\.?\s?E|M\.?\s?Tech|MBA|Ph\.?\s?D|"
    r"Diploma|HSC|SSC)\b\.?(?:\s+(?:in|of)\s+[A-Z][\w&]*(?: [A-Z&][\w&]*){0,3})?"
)
COLLEGE = re.compile(
    r"(?:[A-Z][\w.&'-]*\s+){0,5}(?:University|College|Institute|School|Academy|Polytechnic)(?:\s+(?:of|for)\s+[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,3})?"
)
TITLE_WORDS = re.compile(
    r"\b(?:engineer|developer|analyst|manager|consultant|designer|architect|scientist|administrator|specialist|"
    r"lead|director|officer|assistant|associate|intern|teacher|professor|nurse|accountant|coordinator|executive|"
    r"technician|representative|tester|programmer|trainer|supervisor|clerk|agent|advisor|counselor|writer|editor)s?\b",
    re.I,
)
HEADER_SPLIT = re.compile(r"\s+(?:at|@)\s+|\s*[,|–—]\s*|\s+-\s+")


def experience_headers(text: str, sections) -> list[dict]:
    """Each job in the experience section: title and company offsets, dates, achievements (bullet lines)."""
    jobs = []
    for section in sections:
        if section.name != "experience":
            continue
        lines = list(lines_with_offsets(text, section.start, section.end))
        current = None
        for i, (start, end, line) in enumerate(lines):
            m = D.RANGE.search(line)
            if m:
                header_start, header = start, line[: m.start()].strip(" ,|()-–—:\t")
                if not header:
                    previous = next(((s, l) for s, _, l in reversed(lines[:i]) if l.strip() and not _bullet(l)), None)
                    if previous and previous[1].strip() not in (current or {}).get("lines", ()):
                        header_start, header = previous[0] + (len(previous[1]) - len(previous[1].lstrip())), previous[1].strip()
                    else:
                        header = ""
                current = _job(text, header, header_start, line, start, m)
                jobs.append(current)
            elif current is not None and _bullet(line):
                current["achievements"].append(re.sub(r"^\s*[-•*·▪●]\s*", "", line).strip())
    return jobs


def _bullet(line: str) -> bool:
    return bool(re.match(r"^\s*[-•*·▪●]\s+", line))


def _job(text: str, header: str, header_start: int, line: str, line_start: int, m) -> dict:
    # The header is written in the text; find it again so its parts keep their offsets.
    header_start = text.find(header, header_start) if header else -1
    parts, at = [], header_start
    for piece in HEADER_SPLIT.split(header) if header else []:
        piece_start = text.find(piece, at)
        if piece.strip():
            parts.append((piece_start, piece_start + len(piece), piece.strip()))
        at = piece_start + len(piece)
    title = parts[0] if parts else None
    company = parts[1] if len(parts) > 1 else None
    start = D.parse_point(m.group("start"))
    end = D.parse_point(m.group("end"), end=True)
    return {
        "title": title, "company": company, "dates": (line_start + m.start(), line_start + m.end()),
        "start": start, "end": end, "achievements": [], "lines": (header,),
    }


def education_entries(text: str, sections) -> list[dict]:
    """Degree, institution and year, each with offsets; a degree starts an entry, the next lines may complete it."""
    entries = []
    for section in sections:
        if section.name != "education":
            continue
        for start, end, line in lines_with_offsets(text, section.start, section.end):
            degree = DEGREE.search(line)
            college = COLLEGE.search(line)
            year = None
            for y in D.YEAR.finditer(line):
                year = y
            if degree:
                entries.append({"degree": None, "institution": None, "year": None})
            if not entries:
                if not college:
                    continue
                entries.append({"degree": None, "institution": None, "year": None})
            entry = entries[-1]
            if degree and entry["degree"] is None:
                entry["degree"] = (start + degree.start(), start + degree.end(), degree.group().strip())
            if college and entry["institution"] is None:
                entry["institution"] = (start + college.start(), start + college.end(), college.group().strip())
            if year and entry["year"] is None:
                entry["year"] = (start + year.start(), start + year.end(), year.group())
    return entries


def contact_facts(text: str, sections) -> dict:
    """Name, headline title and location from the contact block (the lines before the first heading)."""
    contact = sections[0] if sections and sections[0].name == "contact" else None
    facts = {"name": None, "designation": None, "location": None}
    if contact is None:
        return facts
    for start, end, line in lines_with_offsets(text, contact.start, contact.end):
        stripped = line.strip()
        if not stripped:
            continue
        lead = start + len(line) - len(line.lstrip())
        if facts["name"] is None and NAME.match(stripped) and not TITLE_WORDS.search(stripped):
            facts["name"] = (lead, lead + len(stripped), stripped)
            continue
        if facts["designation"] is None and facts["name"] and TITLE_WORDS.search(stripped) and len(stripped) < 60 and "@" not in stripped:
            facts["designation"] = (lead, lead + len(stripped), stripped)
            continue
        loc = LOCATION.search(line)
        if facts["location"] is None and loc:
            facts["location"] = (start + loc.start(), start + loc.end(), loc.group())
    return facts


def default_entities(text: str, taxonomy: Taxonomy) -> list[list]:
    """Rule-based spans for all twelve labels, without overlaps (earlier, more specific rules win)."""
    sections = split_sections(text)
    spans: list[list] = []

    def add(start, end, label, score=0.9):
        if start is not None and 0 <= start < end <= len(text):
            spans.append([start, end, label, score])

    facts = contact_facts(text, sections)
    for key, label in (("name", "Name"), ("designation", "Designation"), ("location", "Location")):
        if facts[key]:
            add(facts[key][0], facts[key][1], label)
    for m in EMAIL.finditer(text):
        add(m.start(), m.end(), "Email Address", 0.99)
    for job in experience_headers(text, sections):
        if job["title"]:
            add(job["title"][0], job["title"][1], "Designation", 0.8)
        if job["company"]:
            add(job["company"][0], job["company"][1], "Companies worked at", 0.7)
        add(job["dates"][0], job["dates"][1], "Years of Experience", 0.8)
    for m in D.YEARS_OF_EXPERIENCE.finditer(text):
        add(m.start(), m.end(), "Years of Experience", 0.6)
    for entry in education_entries(text, sections):
        for key, label in (("degree", "Degree"), ("institution", "College Name"), ("year", "Graduation Year")):
            if entry[key]:
                add(entry[key][0], entry[key][1], label, 0.8)
    for hit in taxonomy.find(text):
        add(hit.start, hit.end, KIND_LABELS[hit.kind], 0.7)
    return without_overlaps(spans)


def without_overlaps(spans: list[list]) -> list[list]:
    """Keep the first-added span where two overlap; the result is in text order."""
    kept: list[list] = []
    taken: list[tuple[int, int]] = []
    for span in spans:
        if any(span[0] < e and s < span[1] for s, e in taken):
            continue
        kept.append(span)
        taken.append((span[0], span[1]))
    return sorted(kept, key=lambda s: (s[0], s[1]))


# Rules precise enough (precision >= 0.8 on held-out dotin) to add to a trained model's spans.
PRECISE_RULE_LABELS = ("Email Address", "Name")


def merged_with_rules(model_spans: list[list], rule_spans: list[list]) -> list[list]:
    """Precise rule spans win; the model's spans fill in wherever they do not overlap one."""
    precise = [s for s in rule_spans if s[2] in PRECISE_RULE_LABELS]
    kept = [m for m in model_spans if not any(s[0] < m[1] and m[0] < s[1] for s in precise)]
    return sorted([*kept, *precise], key=lambda s: (s[0], s[1]))
