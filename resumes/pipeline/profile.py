"""A resume's profile from its text and entity spans: contact, headline, skills, jobs, schooling, total months."""
from __future__ import annotations

from resumes.pipeline import dates as D
from resumes.pipeline.sections import split_sections
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.structure import (
    EMAIL, LINK, certifications, contact_facts, education_entries, experience_entries, name_in, phone_in,
)
from resumes.pipeline.taxonomy import KIND_LABELS

SKILL_LABELS = {label: kind for kind, label in KIND_LABELS.items()}


def _first(spans, label, text):
    for s in spans:
        if s[2] == label:
            return text[s[0] : s[1]].strip()
    return None


def _value(fact) -> str:
    return fact[2] if fact else ""


def build_profile(text: str, spans: list[list], taxonomy: Taxonomy) -> dict:
    """The parse result without entities and versions: the fields `parse_resume --json` prints.

    Layout rules decide the contact fields; a model's Name span is used only when the rules found none and it
    reads as a name (precision first: an empty field rather than a heading).
    """
    sections = split_sections(text)
    facts = contact_facts(text, sections)
    email = EMAIL.search(text)
    links = list(dict.fromkeys(m.group().rstrip(".,;)") for m in LINK.finditer(text)))

    name = _value(facts["name"])
    if not name:
        model_name = _first(spans, "Name", text)
        checked = name_in(model_name) if model_name else None
        name = checked[2] if checked else ""

    skills, seen = [], set()
    for start, end, label, *_ in spans:
        if label not in SKILL_LABELS:
            continue
        skill = taxonomy.normalize_skill(text[start:end], SKILL_LABELS[label])
        if taxonomy.lookup(text[start:end]) is None:
            continue  # only taxonomy skills reach the profile; the model's other guesses stay entities
        if skill["normalized"] and skill["normalized"] not in seen:
            seen.add(skill["normalized"])
            skills.append(skill)
    # A learned tagger may miss a taxonomy skill the text names; the profile still lists it unless the text there is
    # something else (a degree, a title).
    for hit in taxonomy.find(text):
        if any(s[0] < hit.end and hit.start < s[1] for s in spans):
            continue
        skill = taxonomy.normalize_skill(hit.text, hit.kind)
        if skill["normalized"] and skill["normalized"] not in seen:
            seen.add(skill["normalized"])
            skills.append(skill)

    education = [
        {"degree": _value(e["degree"]), "institution": _value(e["institution"]),
         "year": int(e["year"][2]) if e["year"] else None}
        for e in education_entries(text, sections)
    ]
    experience, ranges = [], []
    for job in experience_entries(text, sections):
        months = D.months_between(job["start"], job["end"]) if job["start"] and job["end"] else None
        if months:
            ranges.append((job["start"], job["end"]))
        experience.append({
            "title": _value(job["title"]), "company": _value(job["company"]), "location": _value(job["location"]),
            "start": job["start"], "end": job["end"], "current": job["current"],
            "months": months, "achievements": job["achievements"],
        })
    return {
        "name": name,
        "email": email.group() if email else "",
        "phone": phone_in(text),
        "location": _value(facts["location"]),
        "links": links,
        "headline": _value(facts["designation"]),
        "current_title": current_title(experience, _value(facts["designation"])),
        "skills": skills,
        "education": education,
        "experience": experience,
        "certifications": [c[2] for c in certifications(text, sections)],
        "total_experience_months": D.total_months(ranges),
    }


def current_title(experience: list[dict], headline_title: str = "") -> str:
    """The first job held now, else the latest listed: the first, or the last where the list runs oldest first
    (starts rising down the page), else the headline."""
    for job in experience:
        if job.get("title") and job.get("current"):
            return job["title"]
    dated = [job for job in experience if job.get("title") and job.get("start")]
    starts = [job["start"] for job in dated]
    if len(dated) >= 2 and starts == sorted(starts) and starts[0] < starts[-1]:
        return dated[-1]["title"]
    for job in experience:
        if job.get("title"):
            return job["title"]
    return headline_title


def headline(profile: dict) -> str:
    """The candidate's current or latest title: what their likely occupation is matched on."""
    return profile.get("current_title") or current_title(profile.get("experience", []), profile.get("headline", ""))


def profile_text(profile: dict) -> str:
    """One text for the encoder: titles, skills and achievements, the parts that say what a person does."""
    titles = ", ".join(j["title"] for j in profile.get("experience", []) if j.get("title"))
    skills = ", ".join(s["name"] for s in profile.get("skills", []))
    degrees = ", ".join(e["degree"] for e in profile.get("education", []) if e.get("degree"))
    return f"{titles}. Skills: {skills}. {degrees}".strip()
