"""Split a resume into its sections by their headings; what comes before the first heading is the contact block."""
from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_NAMES = ("contact", "summary", "experience", "education", "skills", "projects", "certifications", "other")
HEADINGS = {
    "summary": ("summary", "professional summary", "profile", "objective", "career objective", "about me", "about"),
    "experience": ("experience", "work experience", "professional experience", "employment", "employment history",
                   "work history", "career history", "experience summary"),
    "education": ("education", "education and training", "academic qualifications", "qualifications", "academics",
                  "educational qualifications", "academic background"),
    "skills": ("skills", "technical skills", "key skills", "core skills", "core competencies", "competencies",
               "skill set", "skills summary", "areas of expertise", "it skills"),
    "projects": ("projects", "academic projects", "personal projects", "key projects"),
    "certifications": ("certifications", "certificates", "licenses", "licenses and certifications", "awards",
                       "certifications and training"),
    "other": ("additional information", "links", "languages", "interests", "hobbies", "references", "publications",
              "volunteer experience", "personal details"),
}
_BY_HEADING = {h: name for name, headings in HEADINGS.items() for h in headings}
_LINE = re.compile(r"[^\n]*")


@dataclass(frozen=True)
class Section:
    name: str
    heading: str
    start: int  # body offsets in the text
    end: int

    def body(self, text: str) -> str:
        return text[self.start : self.end]


def heading_of(line: str) -> str | None:
    clean = re.sub(r"[^a-z ]", "", line.strip().lower().rstrip(":")).strip()
    if not clean or len(clean) > 40:
        return None
    return _BY_HEADING.get(re.sub(r"\s+", " ", clean))


def lines_with_offsets(text: str, start: int = 0, end: int | None = None):
    end = len(text) if end is None else end
    at = start
    for line in text[start:end].split("\n"):
        yield at, at + len(line), line
        at += len(line) + 1


def split_sections(text: str) -> list[Section]:
    """Sections in text order; the contact block always comes first (it may be empty)."""
    found = []
    for start, end, line in lines_with_offsets(text):
        name = heading_of(line)
        if name:
            found.append((name, line.strip(), start, end))
    out, body_start, current, heading = [], 0, "contact", ""
    for name, line, start, end in found:
        out.append(Section(current, heading, body_start, start))
        current, heading, body_start = name, line, min(end + 1, len(text))
    out.append(Section(current, heading, body_start, len(text)))
    return out


def section_of(sections: list[Section], offset: int) -> str:
    for s in sections:
        if s.start <= offset < s.end:
            return s.name
    return "contact"
