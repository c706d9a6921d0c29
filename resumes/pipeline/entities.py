"""The untrained resumes.ner: entity spans from sections, patterns and the skills taxonomy.

Spans are `[start, end, label, score]` over the extracted text, with the twelve dotin labels.
"""
from __future__ import annotations

from resumes.pipeline import dates as D
from resumes.pipeline.sections import split_sections
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.structure import (  # noqa: F401  (EMAIL, LINK, PHONE are read from here by older callers)
    EMAIL, LINK, PHONE, contact_facts, education_entries, experience_entries,
)
from resumes.pipeline.taxonomy import KIND_LABELS

LABELS = (
    "Name", "Designation", "Location", "Email Address", "Years of Experience", "Companies worked at", "College Name",
    "Degree", "Graduation Year", "Tech Tools", "Job Specific Skills", "Soft Skills",
)


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
    for job in experience_entries(text, sections):
        if job["title"]:
            add(job["title"][0], job["title"][1], "Designation", 0.8)
        if job["company"]:
            add(job["company"][0], job["company"][1], "Companies worked at", 0.7)
        if job["dates"]:
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
