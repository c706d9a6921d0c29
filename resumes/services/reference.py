"""Reference data in: job postings (NYC Jobs, generic CSV/JSON), O*NET, ESCO, BLS wages, aijobs.net salaries.

Each import reads a file in place, skips what it cannot use (and says how much), and writes in bulk; importing
the same file twice adds nothing the second time.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import ftfy
from django.core.exceptions import ValidationError
from django.db import transaction

from resumes import selectors
from resumes.models import JobPosting, Occupation, OccupationTitle, SalaryReport, Skill, TechnologySkill, Wage
from resumes.pipeline.matcher import seniority_of
from resumes.pipeline.salary import yearly
from resumes.pipeline.skills import normalize
from resumes.pipeline.taxonomy import JOB, SOFT, SOFT_SKILLS, TECH

csv.field_size_limit(10_000_000)


def _open_text(path) -> io.TextIOBase:
    path = Path(path)
    if not path.exists():
        raise ValidationError({"path": [f"{path} does not exist."]})
    with path.open("rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rt", encoding="utf-8-sig", newline="") if gz else path.open(encoding="utf-8-sig", newline="")


def _number(value) -> float | None:
    try:
        return float(str(value).replace(",", "").replace("$", "").strip())
    except (TypeError, ValueError):
        return None


def _date(value) -> date | None:
    text = str(value or "").strip()[:10]
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _posting(source: str, external_id: str, *, title, employer="", location="", category="", description="", qualifications="",
             preferred="", salary_from=None, salary_to=None, frequency="Annual", posted_at=None, taxonomy) -> JobPosting:
    title = ftfy.fix_text(title or "").strip()
    fields = {k: ftfy.fix_text(v or "").strip() for k, v in
              (("description", description), ("qualifications", qualifications), ("preferred", preferred))}
    text = f"{title}. {fields['preferred']} {fields['qualifications']} {fields['description']}"
    skills = list(dict.fromkeys(h.name.lower() for h in taxonomy.find(text)))
    low, high = _number(salary_from), _number(salary_to)
    return JobPosting(
        source=source, external_id=str(external_id)[:100], title=title[:300], employer=ftfy.fix_text(employer or "")[:300],
        location=ftfy.fix_text(location or "")[:300], category=ftfy.fix_text(category or "")[:300],
        description=fields["description"], qualifications=fields["qualifications"], preferred_skills=fields["preferred"],
        salary_from=low, salary_to=high, salary_frequency=(frequency or "")[:20],
        yearly_min=yearly(low, frequency), yearly_max=yearly(high, frequency), posted_at=posted_at,
        seniority=seniority_of(title), skills=skills,
    )


def _store_postings(postings: list[JobPosting], skipped: int) -> dict:
    existing = set(JobPosting.objects.filter(source__in={p.source for p in postings}).values_list("source", "external_id"))
    fresh, seen = [], set()
    for p in postings:
        key = (p.source, p.external_id)
        if key in existing or key in seen:
            continue
        seen.add(key)
        fresh.append(p)
    with transaction.atomic():
        JobPosting.objects.bulk_create(fresh, batch_size=500)
    linked = postings_link()
    return {"read": len(postings) + skipped, "imported": len(fresh), "already_there": len(postings) - len(fresh),
            "skipped": skipped, "linked_to_occupations": linked}


def import_jobs_nyc(path) -> dict:
    """The NYC Jobs CSV: cp1252 mojibake repaired, salaries normalised to yearly USD, skills found, titles mapped."""
    taxonomy = selectors.skill_taxonomy()
    postings, skipped = [], 0
    with _open_text(path) as handle:
        for row in csv.DictReader(handle):
            job_id = (row.get("Job ID") or "").strip()
            if not job_id.isdigit() or not (row.get("Business Title") or "").strip():
                skipped += 1
                continue
            postings.append(_posting(
                "nyc", f"{job_id}-{(row.get('Posting Type') or '').strip().lower() or 'posting'}",
                title=row["Business Title"], employer=(row.get("Agency") or "").title(),
                location=f"{(row.get('Work Location') or '').strip()}, New York, NY".lstrip(", "),
                category=row.get("Job Category"), description=row.get("Job Description"),
                qualifications=row.get("Minimum Qual Requirements"), preferred=row.get("Preferred Skills"),
                salary_from=row.get("Salary Range From"), salary_to=row.get("Salary Range To"),
                frequency=row.get("Salary Frequency") or "Annual", posted_at=_date(row.get("Posting Date")), taxonomy=taxonomy,
            ))
    return _store_postings(postings, skipped)


GENERIC_COLUMNS = {
    "id": ("id", "job_id", "external_id"), "title": ("title", "job_title"), "employer": ("employer", "company", "agency"),
    "location": ("location", "city"), "description": ("description", "text"), "qualifications": ("qualifications", "requirements"),
    "preferred": ("skills", "preferred_skills"), "salary_from": ("salary_min", "salary_from"),
    "salary_to": ("salary_max", "salary_to"), "frequency": ("salary_period", "salary_frequency"),
    "posted_at": ("posted_at", "date", "posting_date"), "category": ("category",),
}


def import_jobs_generic(path, *, source: str = "generic") -> dict:
    """Postings from CSV, JSON (a list) or JSON lines with columns named as GENERIC_COLUMNS lists."""
    path = Path(path)
    with _open_text(path) as handle:
        raw = handle.read()
    name = path.name.removesuffix(".gz")
    try:
        if name.endswith(".jsonl"):
            records = [json.loads(line) for line in raw.splitlines() if line.strip()]
        elif name.endswith(".json"):
            records = json.loads(raw)
        else:
            records = list(csv.DictReader(io.StringIO(raw)))
    except json.JSONDecodeError as exc:
        raise ValidationError({"path": [f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}."]}) from None
    if not isinstance(records, list):
        raise ValidationError({"path": [f"{path.name}: expected a list of postings."]})
    taxonomy = selectors.skill_taxonomy()
    postings, skipped = [], 0
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            skipped += 1
            continue
        lowered = {str(k).strip().lower(): v for k, v in record.items()}
        get = {field: next((lowered[c] for c in columns if lowered.get(c) not in (None, "")), None)
               for field, columns in GENERIC_COLUMNS.items()}
        if not get["title"]:
            skipped += 1
            continue
        preferred = get["preferred"]
        if isinstance(preferred, list):
            preferred = ", ".join(map(str, preferred))
        postings.append(_posting(
            source, get["id"] or str(number), title=str(get["title"]), employer=str(get["employer"] or ""),
            location=str(get["location"] or ""), category=str(get["category"] or ""), description=str(get["description"] or ""),
            qualifications=str(get["qualifications"] or ""), preferred=str(preferred or ""), salary_from=get["salary_from"],
            salary_to=get["salary_to"], frequency=str(get["frequency"] or "Annual"), posted_at=_date(get["posted_at"]),
            taxonomy=taxonomy,
        ))
    return _store_postings(postings, skipped)


def postings_link(*, batch_size: int = 256) -> int:
    """Map posting titles to SOC occupations: O*NET titles and alternate titles first, then the nearest title."""
    unlinked = JobPosting.objects.filter(occupation__isnull=True)
    if not Occupation.objects.exists() or not unlinked.exists():
        return 0
    by_title = {normalize(t): pk for pk, t in Occupation.objects.values_list("id", "title")}
    by_title.update({n: pk for pk, n in OccupationTitle.objects.values_list("occupation_id", "normalized") if n not in by_title})
    titles = sorted({normalize(t) for t in unlinked.values_list("title", flat=True)})
    unknown = [t for t in titles if t not in by_title]
    if unknown:
        from suite.ml.encoder import get_encoder

        ids, vectors = selectors._occupation_vectors()
        encoded = get_encoder().encode(unknown)
        for title, best in zip(unknown, (encoded @ vectors.T).argmax(1)):
            by_title[title] = ids[int(best)]
    linked = 0
    with transaction.atomic():
        for posting in unlinked.only("id", "title"):
            JobPosting.objects.filter(pk=posting.pk).update(occupation_id=by_title[normalize(posting.title)])
            linked += 1
    return linked


def _tsv(path):
    with _open_text(path) as handle:
        yield from csv.DictReader(handle, delimiter="\t")


def import_onet(folder) -> dict:
    """Occupation_Data, Job_Zones, Alternate_Titles, Sample_of_Reported_Titles and Technology_Skills (hot marks)."""
    folder = Path(folder)

    def find(stem):
        for name in (f"{stem}.txt", f"{stem}.txt.gz"):
            if (folder / name).exists():
                return folder / name
        return None

    if find("Occupation_Data") is None:
        raise ValidationError({"path": [f"{folder} has no Occupation_Data.txt: point at the O*NET text files."]})
    zones = {r["O*NET-SOC Code"]: int(r["Job Zone"]) for r in _tsv(find("Job_Zones"))} if find("Job_Zones") else {}
    counts = {}
    with transaction.atomic():
        existing = set(Occupation.objects.values_list("code", flat=True))
        fresh = [Occupation(code=r["O*NET-SOC Code"], title=r["Title"], description=r["Description"], job_zone=zones.get(r["O*NET-SOC Code"]))
                 for r in _tsv(find("Occupation_Data")) if r["O*NET-SOC Code"] not in existing]
        Occupation.objects.bulk_create(fresh, batch_size=500)
        counts["occupations"] = len(fresh)
        codes = dict(Occupation.objects.values_list("code", "id"))
        if not OccupationTitle.objects.exists():
            titles = []
            for stem, column in (("Alternate_Titles", "Alternate Title"), ("Sample_of_Reported_Titles", "Reported Job Title")):
                if find(stem):
                    titles += [OccupationTitle(occupation_id=codes[r["O*NET-SOC Code"]], title=r[column][:250], normalized=normalize(r[column])[:250])
                               for r in _tsv(find(stem)) if r["O*NET-SOC Code"] in codes]
            OccupationTitle.objects.bulk_create(titles, batch_size=2000)
            counts["titles"] = len(titles)
        if find("Technology_Skills"):
            rows = [r for r in _tsv(find("Technology_Skills")) if r["O*NET-SOC Code"] in codes]
            skills = {s.normalized: s for s in Skill.objects.all()}
            new_skills = {}
            for r in rows:
                key = normalize(r["Example"])[:250]
                hot, demand = r.get("Hot Technology") == "Y", r.get("In Demand") == "Y"
                if key in skills:
                    continue
                found = new_skills.setdefault(key, Skill(name=r["Example"][:250], normalized=key, kind=TECH, source="onet"))
                found.hot, found.in_demand = found.hot or hot, found.in_demand or demand
            Skill.objects.bulk_create(new_skills.values(), batch_size=2000)
            skills = dict(Skill.objects.values_list("normalized", "id"))
            if not TechnologySkill.objects.exists():
                TechnologySkill.objects.bulk_create([
                    TechnologySkill(occupation_id=codes[r["O*NET-SOC Code"]], skill_id=skills[normalize(r["Example"])[:250]],
                                    commodity=r.get("Commodity Title", "")[:200], hot=r.get("Hot Technology") == "Y",
                                    in_demand=r.get("In Demand") == "Y") for r in rows
                ], batch_size=2000)
            counts["technology_skills"] = len(rows)
            counts["skills"] = len(new_skills)
    counts["postings_linked"] = postings_link()
    return counts


def esco_label(text: str) -> str:
    """ESCO's merged text starts with the preferred label, then alternatives, then a capitalised description;
    the label ends where its first word starts again (an alternative) or after three words."""
    words = []
    for word in text.split():
        if word[:1].isupper():
            break
        words.append(word)
    if not words:
        return ""
    again = next((i for i in range(1, len(words)) if words[i] == words[0]), None)
    return " ".join(words[: again if again and again <= 4 else min(3, len(words))])


def import_esco(path) -> dict:
    """ESCO skills as job-specific (or soft, where the starting taxonomy says so) skills of at most three words."""
    soft = {normalize(s) for s in SOFT_SKILLS if s.strip()}
    existing = set(Skill.objects.values_list("normalized", flat=True))
    fresh, skipped = {}, 0
    with _open_text(path) as handle:
        for row in csv.DictReader(handle):
            label = esco_label(row.get("description") or "")
            key = normalize(label)
            if not key or len(key) > 250 or key in existing or key in fresh:
                skipped += 1
                continue
            fresh[key] = Skill(name=label, normalized=key, kind=SOFT if key in soft else JOB, source="esco")
    Skill.objects.bulk_create(fresh.values(), batch_size=2000)
    return {"skills": len(fresh), "skipped": skipped}


def import_bls(path, *, year: int | None = None) -> dict:
    """BLS OEWS national wages: annual percentiles per detailed SOC code ('*' and '#' mean not published)."""
    year = year or int((re.search(r"(20\d\d)", Path(path).name) or re.search(r"(\d{4})", "2023")).group(1))
    existing = set(Wage.objects.filter(year=year).values_list("soc", flat=True))
    fresh, skipped = [], 0
    with _open_text(path) as handle:
        for row in csv.DictReader(handle):
            soc = (row.get("OCC_CODE") or "").strip()
            if row.get("O_GROUP") not in ("detailed", "broad") or soc in existing or not re.fullmatch(r"\d\d-\d{4}", soc):
                skipped += 1
                continue
            existing.add(soc)
            employment = _number(row.get("TOT_EMP"))
            fresh.append(Wage(
                soc=soc, title=row.get("OCC_TITLE", "")[:250], year=year, employment=int(employment) if employment else None,
                mean=_number(row.get("A_MEAN")), p10=_number(row.get("A_PCT10")), p25=_number(row.get("A_PCT25")),
                p50=_number(row.get("A_MEDIAN")), p75=_number(row.get("A_PCT75")), p90=_number(row.get("A_PCT90")),
            ))
    Wage.objects.bulk_create(fresh, batch_size=1000)
    return {"wages": len(fresh), "skipped": skipped, "year": year}


def import_aijobs(path, *, replace: bool = True) -> dict:
    """aijobs.net salary reports (salary_in_usd); the file replaces what an earlier import stored."""
    rows, skipped = [], 0
    with _open_text(path) as handle:
        for row in csv.DictReader(handle):
            salary, year = _number(row.get("salary_in_usd")), _number(row.get("work_year"))
            if not salary or not year or row.get("experience_level") not in ("EN", "MI", "SE", "EX"):
                skipped += 1
                continue
            rows.append(SalaryReport(
                year=int(year), experience_level=row["experience_level"], employment_type=(row.get("employment_type") or "")[:2],
                title=(row.get("job_title") or "")[:200], salary_usd=int(salary), residence=(row.get("employee_residence") or "")[:2],
                remote_ratio=int(_number(row.get("remote_ratio")) or 0), company_size=(row.get("company_size") or "")[:1],
            ))
    with transaction.atomic():
        if replace:
            SalaryReport.objects.all().delete()
        SalaryReport.objects.bulk_create(rows, batch_size=5000)
    return {"reports": len(rows), "skipped": skipped}
