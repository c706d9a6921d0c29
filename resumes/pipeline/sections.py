"""Split a resume into its sections by their headings; what comes before the first heading is the contact block."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SECTION_NAMES = ("contact", "summary", "experience", "education", "skills", "projects", "certifications", "other")
HEADINGS = {
    "summary": (
        "summary",
        "professional summary",
        "profile",
        "objective",
        "career objective",
        "about me",
        "about",
        "career summary",
        "personal statement",
        "professional profile",
        "profil",
        "perfil",
        "profilo",
        "kurzprofil",
        "sobre mi",
        "a propos",
        "profiel",
        "career profile",
        "executive summary",
        "summary of qualifications",
        "qualifications summary",
        "key qualifications",
        "highlights of qualifications",
    ),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "experience summary",
        "professional history",
        "relevant experience",
        "teaching experience",
        "research experience",
        "executive experience",
        "employment experience",
        "professional background",
        "employment record",
        "work record",
        "positions held",
        "career",
        "experience and achievements",
        "work experience and achievements",
        "berufserfahrung",
        "berufliche erfahrung",
        "berufliche laufbahn",
        "beruflicher werdegang",
        "praxiserfahrung",
        "experience professionnelle",
        "experiences professionnelles",
        "parcours professionnel",
        "experiencia",
        "experiencia laboral",
        "experiencia profesional",
        "esperienza",
        "esperienza lavorativa",
        "esperienze lavorative",
        "esperienza professionale",
        "werkervaring",
        "experiencia professional",
        "experiencia profissional",
        "experiencias profissionais",
        "work",
        "jobs",
        "where i ve worked",
        "where i have worked",
        "places i ve worked",
    ),
    "education": (
        "education",
        "education and training",
        "academic qualifications",
        "qualifications",
        "academics",
        "educational qualifications",
        "academic background",
        "educational background",
        "academic history",
        "education and qualifications",
        "education and certifications",
        "education and credentials",
        "ausbildung",
        "bildung",
        "bildungsweg",
        "studium",
        "akademischer werdegang",
        "formation",
        "formations",
        "diplomes",
        "formation academique",
        "educacion",
        "formacion",
        "formacion academica",
        "istruzione",
        "formazione",
        "istruzione e formazione",
        "opleiding",
        "opleidingen",
        "educacao",
        "formacao",
        "formacao academica",
        "schooling",
        "degrees",
        "study",
        "studies",
        "education history",
        "training and education",
    ),
    "skills": (
        "skills",
        "technical skills",
        "key skills",
        "core skills",
        "core competencies",
        "competencies",
        "skill set",
        "skills summary",
        "areas of expertise",
        "it skills",
        "tools",
        "technologies",
        "technical proficiencies",
        "skills and tools",
        "key competencies",
        "expertise",
        "kenntnisse",
        "fahigkeiten",
        "kompetenzen",
        "competences",
        "competences techniques",
        "habilidades",
        "competencias",
        "competenze",
        "vaardigheden",
    ),
    "projects": (
        "projects",
        "academic projects",
        "personal projects",
        "key projects",
        "projekte",
        "projets",
        "proyectos",
    ),
    "certifications": (
        "certifications",
        "certificates",
        "licenses",
        "licenses and certifications",
        "awards",
        "certifications and training",
        "licenses and certificates",
        "licences",
        "licenses & certifications",
        "certifications & licenses",
        "credentials",
        "professional certifications",
        "licensure",
        "zertifikate",
        "zertifizierungen",
        "certificats",
        "certificaciones",
        "certificazioni",
    ),
    "other": (
        "additional information",
        "links",
        "languages",
        "interests",
        "hobbies",
        "references",
        "publications",
        "volunteer experience",
        "personal details",
        "sprachen",
        "langues",
        "idiomas",
        "lingue",
        "talen",
        "interessen",
        "centres d interet",
        "loisirs",
        "referenzen",
        "volunteering",
        "activities",
    ),
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


# A short heading not in the list is known by its first or last word ("Education & Certifications", "Teaching
# Experience", "Technical Competencies").
_BY_LAST_WORD = {
    "experience": "experience",
    "employment": "experience",
    "history": "experience",
    "education": "education",
    "skills": "skills",
    "competencies": "skills",
    "certifications": "certifications",
    "licenses": "certifications",
    "licences": "certifications",
    "certificates": "certifications",
    "projects": "projects",
    "background": "experience",
}
_BY_FIRST_WORD = {
    "education": "education",
    "experience": "experience",
    "employment": "experience",
    "skills": "skills",
    "certifications": "certifications",
    "academic": "education",
    "educational": "education",
}


def _fold(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value.lower()) if not unicodedata.combining(c))


def heading_of(line: str) -> str | None:
    stripped = line.strip().rstrip(":").strip()
    if len(stripped) > 60:
        return None
    clean = re.sub(r"\s+", " ", re.sub(r"[^a-z &]", " ", _fold(stripped))).replace(" & ", " and ").strip()
    if not clean or len(clean) > 40:
        return None
    found = _BY_HEADING.get(clean)
    if found:
        return found
    words = clean.split()
    # Only heading-shaped lines: 2-3 words, no sentence punctuation, written in capitals or title case.
    if 2 <= len(words) <= 4 and not re.search(r"[,.;|@\d]", stripped) and (stripped.isupper() or _title_case(stripped)):
        found = _BY_FIRST_WORD.get(words[0]) if len(words) > 2 or words[0] == "education" else None
        return found or (_BY_LAST_WORD.get(words[-1]) if len(words) <= 3 else None)
    return None


def _title_case(value: str) -> bool:
    # "Work History", "Education & Training", "Experience and Achievements": every word but the small ones capitalised.
    return all(w[:1].isupper() or w in ("and", "&", "of", "de", "et", "und") for w in value.split())


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
