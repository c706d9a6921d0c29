"""Reads of the careers app, with its rules: candidates see their own resumes; reference data is shared."""
from __future__ import annotations

import threading
from collections import Counter

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from resumes.models import (
    JobPosting, MatchFeedback, Occupation, OccupationTitle, Recommendation, Resume, SalaryReport, Skill,
    TechnologySkill, Wage,
)
from resumes.pipeline import salary as S
from resumes.pipeline.skills import Taxonomy, normalize
from suite import access

_cache: dict = {}
_lock = threading.Lock()


def _cached(name: str, key, build):
    with _lock:
        hit = _cache.get(name)
        if hit and hit[0] == key:
            return hit[1]
    value = build()
    with _lock:
        _cache[name] = (key, value)
    return value


def title_gazetteer() -> frozenset:
    """O*NET occupation titles with their alternate and reported titles, as resumes.ner's CRF looks them up."""
    from resumes.pipeline.crf import gazetteer_key

    last = OccupationTitle.objects.aggregate(last=Max("id"))["last"]  # an index lookup: a count costs 10 ms a parse

    def build():
        names = [*Occupation.objects.values_list("title", flat=True)]
        names += OccupationTitle.objects.values_list("title", flat=True)
        return frozenset(k for k in map(gazetteer_key, names) if k)

    return _cached("title_gazetteer", last, build)  # O*NET imports titles with their occupations, rows only added


def cache_clear() -> None:
    with _lock:
        _cache.clear()


# --- resumes ---------------------------------------------------------------------------------


def resume_list(*, user):
    return access.owned_by(Resume.objects.all(), user).select_related("profile")


def resume_get(*, user, pk: int) -> Resume:
    """The user's own resume, or 404 whether it is missing or someone else's."""
    return access.get_owned_or_404(Resume.objects.select_related("profile"), user, pk=pk)


def resume_for_review(*, pk: int) -> Resume:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Resume.objects.select_related("profile"), pk=pk)


def recommendation_list(*, resume: Resume):
    feedback = {f.job_id: f.rating for f in MatchFeedback.objects.filter(resume=resume, by_staff=False)}
    rows = list(Recommendation.objects.filter(resume=resume).select_related("job"))
    for row in rows:
        row.candidate_rating = feedback.get(row.job_id)
    return rows


def recommendation_get(*, resume: Resume, pk: int) -> Recommendation:
    from django.http import Http404

    row = Recommendation.objects.filter(resume=resume, pk=pk).select_related("job").first()
    if row is None:
        raise Http404("No such recommendation.")
    return row


def match_review_queue(*, limit: int = 50):
    """Recommendations no staff member has judged yet, newest first."""
    judged = MatchFeedback.objects.filter(by_staff=True).values_list("resume_id", "job_id")
    judged = set(judged)
    rows = Recommendation.objects.select_related("job", "resume").order_by("-created_at", "rank")[: limit * 4]
    return [r for r in rows if (r.resume_id, r.job_id) not in judged][:limit]


# --- skills ----------------------------------------------------------------------------------


def skill_taxonomy() -> Taxonomy:
    """The starting taxonomy plus imported skills; rebuilt in this process when the skills table changes."""
    # Imports only add skills: the last id is an index lookup, where a count cost 15 ms, three times a parse.
    last = Skill.objects.aggregate(last=Max("id"))["last"]
    return _cached("taxonomy", last, lambda: Taxonomy(
        list(Skill.objects.values_list("name", "kind")),
        hot=set(Skill.objects.filter(hot=True).values_list("normalized", flat=True)),
    ))


# --- occupations -----------------------------------------------------------------------------


def _occupation_vectors():
    from suite.ml.encoder import get_encoder

    stats = Occupation.objects.aggregate(n=Count("id"), last=Max("id"))

    def build():
        rows = list(Occupation.objects.values_list("id", "title"))
        vectors = get_encoder().encode([t for _, t in rows]) if rows else np.zeros((0, 1), np.float32)
        return [r[0] for r in rows], vectors

    return _cached("occupations", (stats["n"], stats["last"], settings.SUITE_ENCODER), build)


_RANK_WORDS = r"\b(?:senior|sr\.?|junior|jr\.?|lead|principal|staff|associate|assistant|trainee|graduate|head of)\b"


def occupation_for_title(title: str) -> Occupation | None:
    """A title's SOC occupation: an O*NET title or alternate title first (as written, then without rank words such
    as "Senior"), else the nearest occupation title by meaning."""
    import re

    key = normalize(title)
    if not key:
        return None
    bare = normalize(re.sub(_RANK_WORDS, " ", key))
    for candidate in dict.fromkeys([title.strip(), bare]):
        if not candidate:
            continue
        exact = Occupation.objects.filter(title__iexact=candidate).first()
        if exact:
            return exact
        alts = list(Occupation.objects.filter(titles__normalized=normalize(candidate)).distinct())
        if len(alts) == 1:
            return alts[0]
        if alts:  # "Project Manager" is an alternate title of several occupations: the nearest in meaning wins
            return nearest_occupation(title, among=alts)
    return nearest_occupation(title)


def occupation_for_profile(profile: dict) -> Occupation | None:
    """Every profile gets an occupation: from its current title, else from what its skills and degrees say."""
    from resumes.pipeline.profile import headline, profile_text

    title = headline(profile)
    if title:
        return occupation_for_title(title)
    text = profile_text(profile).strip(". ")
    return nearest_occupation(text) if text and text != "Skills:" else None


def nearest_occupation(text: str, *, among: list[Occupation] | None = None) -> Occupation | None:
    ids, vectors = _occupation_vectors()
    if among is not None:
        at = {pk: i for i, pk in enumerate(ids)}
        keep = [o for o in among if o.pk in at]
        if not keep:
            return among[0] if among else None
        from suite.ml.encoder import get_encoder

        query = get_encoder().encode([text])[0]
        return max(keep, key=lambda o: (float(vectors[at[o.pk]] @ query), o.code))
    if not ids:
        return None
    from suite.ml.encoder import get_encoder

    scores = vectors @ get_encoder().encode([text])[0]
    return Occupation.objects.get(pk=ids[int(scores.argmax())])


# --- salary, trends, career paths -------------------------------------------------------------


def wage_for(occupation: Occupation | None) -> Wage | None:
    """BLS wages of the occupation's SOC code, else of its broad group (15-1252 -> 15-1250), else the largest
    detailed occupation of its minor group; the returned row names the SOC it is for."""
    if occupation is None:
        return None
    soc = occupation.soc
    found = Wage.objects.filter(soc=soc).order_by("-year").first() or Wage.objects.filter(soc=soc[:6] + "0").order_by("-year").first()
    if found is None:
        found = Wage.objects.filter(soc__startswith=soc[:5]).order_by("-year", "-employment").first()
    return found


def aijobs_distribution(title: str) -> list[dict]:
    """For data and AI titles: aijobs.net salaries of reports with the same title, by experience level."""
    if not S.is_data_ai(title):
        return []
    rows = list(SalaryReport.objects.filter(title__iexact=title.strip()).values_list("experience_level", "salary_usd", "year"))
    if len(rows) < 5:
        # Too few reports of that exact title: fall back to titles sharing its main words.
        words = [w for w in normalize(title).split() if len(w) > 2][:2]
        query = SalaryReport.objects.all()
        for w in words:
            query = query.filter(title__icontains=w)
        rows = list(query.values_list("experience_level", "salary_usd", "year")[:20000])
    return S.distribution_by_level(rows)


def salary_guidance(*, title: str, occupation: Occupation | None) -> dict:
    wage = wage_for(occupation)
    return {
        "title": title,
        "occupation": {"code": occupation.code, "title": occupation.title} if occupation else None,
        "bls": S.bls_figures(wage) if wage else None,
        "aijobs": aijobs_distribution(title),
    }


def skill_trends(*, job_ids: list[int], top: int = 12) -> dict:
    """The skills most asked for in postings of the candidate's field: share, change across posting years, hot marks."""
    jobs = list(JobPosting.objects.filter(pk__in=job_ids).values_list("skills", "posted_at"))
    if not jobs:
        return {"postings": 0, "skills": [], "source": "job postings"}
    counts = Counter(name for skills, _ in jobs for name in set(skills))
    years = sorted({d.year for _, d in jobs if d})
    latest, earlier = (years[-1], years[:-1]) if years else (None, [])
    recent = [set(s) for s, d in jobs if d and d.year == latest]
    before = [set(s) for s, d in jobs if d and d.year in earlier]
    hot = set(Skill.objects.filter(hot=True, normalized__in=list(counts)).values_list("normalized", flat=True))
    out = []
    for name, n in counts.most_common(top):
        share_recent = sum(name in s for s in recent) / len(recent) if recent else None
        share_before = sum(name in s for s in before) / len(before) if before else None
        change = round(share_recent - share_before, 4) if share_recent is not None and share_before is not None else None
        out.append({"skill": name, "postings": n, "share": round(n / len(jobs), 4), "change": change, "hot": name in hot})
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    return {"postings": len(jobs), "skills": out, "source": "job postings", "years": span,
            "change_between": [earlier[0] if earlier else None, latest]}


def _occupation_skills() -> dict[int, set[str]]:
    stats = TechnologySkill.objects.aggregate(n=Count("id"), last=Max("id"))

    def build():
        out: dict[int, set[str]] = {}
        for occupation_id, name in TechnologySkill.objects.values_list("occupation_id", "skill__normalized"):
            out.setdefault(occupation_id, set()).add(name)
        return out

    return _cached("occupation_skills", (stats["n"], stats["last"]), build)


def _skill_weights(by_occupation: dict[int, set[str]]) -> dict[str, float]:
    """Inverse occupation frequency of each technology: office software, listed almost everywhere, weighs little."""
    counts = Counter(skill for skills in by_occupation.values() for skill in skills)
    total = max(1, len(by_occupation))
    return {skill: float(np.log(total / n)) for skill, n in counts.items()}


def _shared_weight(theirs: set[str], own: set[str], weights: dict[str, float]) -> float:
    """Weighted cosine of two skill sets: shared rare tools count, a short list alone does not make a match."""
    if not theirs or not own:
        return 0.0
    shared = sum(weights.get(s, 0.0) ** 2 for s in theirs & own)
    norm = (sum(weights.get(s, 0.0) ** 2 for s in theirs) * sum(weights.get(s, 0.0) ** 2 for s in own)) ** 0.5
    return shared / norm if norm else 0.0


def career_paths(*, occupation: Occupation | None, skills: set[str], top: int = 5) -> list[dict]:
    """Next occupations: a higher O*NET job zone (or managing the same work), ranked by likeness of title, SOC family
    and distinctive technology; each with the skills to gain."""
    if occupation is None:
        return []
    by_occupation = _occupation_skills()
    weights = _skill_weights(by_occupation)
    own = by_occupation.get(occupation.pk, set()) | skills
    zone = occupation.job_zone or 0
    hot = set(Skill.objects.filter(hot=True).values_list("normalized", flat=True))
    step_up = Occupation.objects.filter(job_zone__gt=zone, job_zone__lte=zone + 2)
    if not occupation.code.startswith("11-"):  # managing the work one does is a step up at the same zone
        step_up = step_up | Occupation.objects.filter(job_zone=zone, code__startswith="11-")
    candidates = list(step_up.exclude(pk=occupation.pk))
    if not candidates:  # the top zone: next steps are the nearest occupations of the same zone
        candidates = list(Occupation.objects.filter(job_zone=zone).exclude(pk=occupation.pk)) if zone else []
    meaning = _likeness(occupation, candidates)
    scored = []
    for other in candidates:
        theirs = by_occupation.get(other.pk, set())
        family = 1.0 if other.code[:4] == occupation.code[:4] else 0.6 if other.code[:2] == occupation.code[:2] else 0.0
        # What the work is about counts most; shared office software made unrelated occupations look close.
        score = 0.55 * meaning.get(other.pk, 0.0) + 0.25 * _shared_weight(theirs, own, weights) + 0.2 * family
        scored.append((score, other, theirs))
    scored.sort(key=lambda t: (-t[0], t[1].code))
    out = []
    for _, other, theirs in scored[:top]:
        overlap = len(theirs & own) / len(theirs) if theirs else 0.0
        gain = sorted(theirs - own, key=lambda s: (s not in hot, -weights.get(s, 0.0), s))[:6]
        out.append({"code": other.code, "title": other.title, "job_zone": other.job_zone, "overlap": round(overlap, 4),
                    "skills_to_gain": gain})
    return out


def _likeness(occupation: Occupation, pool: list[Occupation]) -> dict[int, float]:
    """Cosine of each occupation title to this one's (the encoder's), by id."""
    ids, vectors = _occupation_vectors()
    at = {pk: i for i, pk in enumerate(ids)}
    if occupation.pk not in at:
        return {}
    own = vectors[at[occupation.pk]]
    return {o.pk: float(vectors[at[o.pk]] @ own) for o in pool if o.pk in at}


def _nearest(occupation: Occupation, pool: list[Occupation], n: int) -> list[Occupation]:
    if not pool or n <= 0:
        return []
    ids, vectors = _occupation_vectors()
    at = {pk: i for i, pk in enumerate(ids)}
    if occupation.pk not in at:
        return pool[:n]
    own = vectors[at[occupation.pk]]
    scored = sorted((-float(vectors[at[o.pk]] @ own), o.code, o) for o in pool if o.pk in at)
    return [o for _, _, o in scored[:n]]
