"""A resume's profile from its text and entity spans: contact, skills, education, experience, total months."""
from __future__ import annotations

from resumes.pipeline import dates as D
from resumes.pipeline.entities import EMAIL, LINK, PHONE, contact_facts, education_entries, experience_headers
from resumes.pipeline.sections import split_sections
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.taxonomy import KIND_LABELS

SKILL_LABELS = {label: kind for kind, label in KIND_LABELS.items()}


def _first(spans, label, text):
    for s in spans:
        if s[2] == label:
            return text[s[0] : s[1]].strip()
    return None


def build_profile(text: str, spans: list[list], taxonomy: Taxonomy) -> dict:
    """The parse result without entities and versions: the fields `parse_resume --json` prints."""
    sections = split_sections(text)
    facts = contact_facts(text, sections)
    email = _first(spans, "Email Address", text) or (EMAIL.search(text).group() if EMAIL.search(text) else "")
    phone = next((m.group().strip() for m in PHONE.finditer(text) if sum(c.isdigit() for c in m.group()) >= 10), "")
    links = list(dict.fromkeys(m.group().rstrip(".,;)") for m in LINK.finditer(text)))

    skills, seen = [], set()
    for start, end, label, *_ in spans:
        if label not in SKILL_LABELS:
            continue
        skill = taxonomy.normalize_skill(text[start:end], SKILL_LABELS[label])
        if skill["normalized"] and skill["normalized"] not in seen:
            seen.add(skill["normalized"])
            skills.append(skill)

    education = [
        {"degree": e["degree"][2] if e["degree"] else "", "institution": e["institution"][2] if e["institution"] else "",
         "year": int(e["year"][2]) if e["year"] else None}
        for e in education_entries(text, sections)
    ]
    experience, ranges = [], []
    for job in experience_headers(text, sections):
        months = D.months_between(job["start"], job["end"]) if job["start"] and job["end"] else None
        if months:
            ranges.append((job["start"], job["end"]))
        experience.append({
            "title": job["title"][2] if job["title"] else "", "company": job["company"][2] if job["company"] else "",
            "start": job["start"], "end": job["end"], "months": months, "achievements": job["achievements"],
        })
    return {
        "name": _first(spans, "Name", text) or (facts["name"][2] if facts["name"] else ""),
        "email": email,
        "phone": phone,
        "location": _first(spans, "Location", text) or (facts["location"][2] if facts["location"] else ""),
        "links": links,
        "skills": skills,
        "education": education,
        "experience": experience,
        "total_experience_months": D.total_months(ranges),
    }


def headline(profile: dict) -> str:
    """The candidate's current or latest title: what their likely occupation is matched on."""
    for job in profile.get("experience", []):
        if job.get("title"):
            return job["title"]
    return ""


def profile_text(profile: dict) -> str:
    """One text for the encoder: titles, skills and achievements, the parts that say what a person does."""
    titles = ", ".join(j["title"] for j in profile.get("experience", []) if j.get("title"))
    skills = ", ".join(s["name"] for s in profile.get("skills", []))
    degrees = ", ".join(e["degree"] for e in profile.get("education", []) if e.get("degree"))
    return f"{titles}. Skills: {skills}. {degrees}".strip()
