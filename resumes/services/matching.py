"""Jobs for a candidate: the precomputed posting index, hybrid ranking, the trained re-ranker, and feedback."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max

from annotation.models import AnnotationTask
from annotation.services import items_import
from resumes import selectors
from resumes.ml import MATCH
from resumes.models import JobPosting, MatchFeedback, Profile, Recommendation, Resume
from resumes.pipeline import matcher as M
from resumes.pipeline.profile import headline, profile_text
from resumes.pipeline.salary import posted_salary
from suite.ml import kinds as K
from suite.ml import selectors as ml_selectors
from suite.ml.encoder import encoder_path, get_encoder
from suite.ml.services import model_output_record

DEFAULT_TOP = 10


def index_path() -> Path:
    return Path(settings.VAR_DIR) / "resumes" / "job_index.npz"


def _encoder_key() -> str:
    return str(Path(encoder_path()).resolve())


def job_index_build(*, batch_size: int = 256) -> int:
    """Embed postings not yet in the stored index (all of them when the encoder changed); returns how many."""
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    ids, vectors = np.zeros(0, np.int64), None
    if path.exists():
        stored = np.load(path, allow_pickle=False)
        if str(stored["encoder"]) == _encoder_key():
            ids, vectors = stored["job_ids"], stored["embeddings"]
    live = dict(JobPosting.objects.values_list("id", "title"))
    keep = np.isin(ids, list(live))
    ids, vectors = ids[keep], (vectors[keep] if vectors is not None else None)
    todo = [pk for pk in live if pk not in set(ids.tolist())]
    encoder = get_encoder()
    new = []
    for start in range(0, len(todo), batch_size):
        chunk = list(JobPosting.objects.filter(pk__in=todo[start : start + batch_size]).order_by("id"))
        new.append((np.asarray([j.pk for j in chunk]), encoder.encode([j.text for j in chunk])))
    if new:
        ids = np.concatenate([ids] + [n[0] for n in new])
        vectors = np.concatenate(([vectors] if vectors is not None and len(vectors) else []) + [n[1] for n in new])
    if vectors is None:
        vectors = np.zeros((0, encoder.dim), np.float32)
    tmp = path.with_name("job_index.tmp.npz")
    np.savez(tmp, job_ids=ids.astype(np.int64), embeddings=vectors.astype(np.float32), encoder=np.asarray(_encoder_key()))
    tmp.replace(path)
    selectors.cache_clear()
    return len(todo)


def job_index() -> M.JobIndex:
    """The stored index joined with each posting's skills, seniority and location; rebuilt when postings changed."""
    stats = JobPosting.objects.aggregate(n=Count("id"), last=Max("id"))
    path = index_path()
    if not path.exists() or _stale(path):
        job_index_build()

    def build():
        stored = np.load(path, allow_pickle=False)
        ids = stored["job_ids"]
        # Seniority is read from the title each build, so a better reading reaches postings imported earlier.
        rows = {pk: (skills, M.seniority_of(title), location, title) for pk, skills, title, location in
                JobPosting.objects.values_list("id", "skills", "title", "location")}
        return M.build_index(ids, stored["embeddings"], [rows[i][0] for i in ids], [rows[i][1] for i in ids],
                             [rows[i][2] for i in ids], key=str(path.stat().st_mtime_ns), titles=[rows[i][3] for i in ids])

    return selectors._cached("job_index", (stats["n"], stats["last"], path.stat().st_mtime_ns), build)


def _stale(path: Path) -> bool:
    """The stored index lacks a posting, holds a deleted one, or came from another encoder."""
    stored = np.load(path, allow_pickle=False)
    live = np.fromiter(JobPosting.objects.values_list("id", flat=True), np.int64)
    return str(stored["encoder"]) != _encoder_key() or not np.array_equal(np.sort(stored["job_ids"]), np.sort(live))


def profile_dict(profile: Profile) -> dict:
    return {
        "name": profile.name, "email": profile.email, "phone": profile.phone, "location": profile.location,
        "links": profile.links, "headline": profile.headline, "current_title": profile.current_title,
        "skills": [{"name": s.name, "normalized": s.normalized, "kind": s.kind} for s in profile.skills.all()],
        "education": profile.education, "experience": profile.experience, "certifications": profile.certifications,
        "total_experience_months": profile.total_experience_months,
    }


def recommend_for_profile(profile: dict, *, top: int = DEFAULT_TOP, index: M.JobIndex | None = None, query_id: str = "",
                          rejected: set[int] = frozenset()) -> dict:
    """Ranked jobs with reasons for a profile dict; re-scored by the trained resumes.match when one serves.

    `rejected`: jobs the candidate marked not relevant; they leave the list and postings like them drop.
    """
    index = index or job_index()
    text = profile_text(profile)
    skills = [s["normalized"] for s in profile.get("skills", [])]
    vector = get_encoder().encode([text])[0]
    started = time.perf_counter()
    version = ml_selectors.production_version(kind=MATCH)
    level = M.candidate_level(title=headline(profile), months=profile.get("total_experience_months", 0))
    shortlist = M.rank(index, profile_vector=vector, skills=skills, months=profile.get("total_experience_months", 0),
                       location=profile.get("location", ""), top=max(3 * top, M.SHORTLIST) if version else 3 * top,
                       level=level, rejected=set(rejected))
    jobs = JobPosting.objects.in_bulk([r["job_id"] for r in shortlist])
    pairs = [{"query": text, "candidate": jobs[r["job_id"]].text, "query_id": query_id} for r in shortlist]
    if version and shortlist:
        learned = np.asarray([p["score"] for p in K.get_kind(MATCH).predict(pairs, version=version)])
        # A re-ranker's order within one candidate's shortlist is what it learned; its scale is not calibrated.
        spread = learned.max() - learned.min()
        relative = (learned - learned.min()) / spread if spread > 1e-9 else np.full(len(learned), 0.5)
        for row, raw, rel in zip(shortlist, learned, relative):
            row["components"]["ranker"] = round(float(raw), 4)
            row["score"] = (1 - M.RANKER_WEIGHT) * row["score"] + M.RANKER_WEIGHT * float(rel)
        order = sorted(range(len(shortlist)), key=lambda i: -shortlist[i]["score"])
        shortlist, pairs = [shortlist[i] for i in order], [pairs[i] for i in order]
    ms = (time.perf_counter() - started) * 1000
    have = set(skills)
    out, seen = [], []
    for row, pair in zip(shortlist, pairs):
        job = jobs[row["job_id"]]
        # The same opening posted twice (NYC posts internal and external copies, titles retyped) is shown once.
        if any(M.near_duplicate((job.title, job.employer), other) for other in seen):
            continue
        seen.append((job.title, job.employer))
        matched = [s for s in job.skills if s in have]
        missing = [s for s in job.skills if s not in have]
        out.append({
            "job_id": job.pk, "title": job.title, "employer": job.employer, "location": job.location,
            "score": round(row["score"], 4), "matched_skills": matched, "missing_skills": missing,
            "salary": posted_salary(job),
            "why": M.why_sentence(title=job.title, matched=matched, missing=missing, components=row["components"],
                                  months=profile.get("total_experience_months", 0)),
            "components": row["components"], "pair": pair,
        })
        if len(out) == top:
            break
    return {"recommendations": out, "version": version, "latency_ms": ms}


def insights(profile: dict, *, occupation=None, recommendations: list[dict]) -> dict:
    """Salary guidance, trends and career paths for a profile: the rest of what recommend_jobs prints."""
    title = headline(profile)
    occupation = occupation or selectors.occupation_for_profile(profile)
    guidance = selectors.salary_guidance(title=title, occupation=occupation)
    guidance["jobs"] = [{"job_id": r["job_id"], "posted": r["salary"]} for r in recommendations]
    field = [r["job_id"] for r in recommendations]
    if occupation is not None:
        field += list(JobPosting.objects.filter(occupation__code__startswith=occupation.code[:2]).values_list("id", flat=True)[:2000])
    skills = {s["normalized"] for s in profile.get("skills", [])}
    return {
        "salary_guidance": guidance,
        "trends": selectors.skill_trends(job_ids=list(dict.fromkeys(field))),
        "career_paths": selectors.career_paths(occupation=occupation, skills=skills),
    }


def recommendations_build(*, resume: Resume, top: int = DEFAULT_TOP) -> list[Recommendation]:
    """Rank postings for a parsed resume and store each with its reasons and its recorded output."""
    if not JobPosting.objects.exists():
        return []
    profile = profile_dict(resume.profile)
    rejected = set(MatchFeedback.objects.filter(resume=resume, by_staff=False, rating__lte=2).values_list("job_id", flat=True))
    found = recommend_for_profile(profile, top=top, query_id=f"resume-{resume.pk}", rejected=rejected)
    per_row = found["latency_ms"] / max(1, len(found["recommendations"]))
    with transaction.atomic():
        Recommendation.objects.filter(resume=resume).delete()
        rows = []
        for rank, r in enumerate(found["recommendations"], 1):
            output = model_output_record(
                kind=MATCH, input=r["pair"], output={"score": r["score"], "components": r["components"]}, score=r["score"],
                version=found["version"], latency_ms=per_row, owner=resume.owner, subject=resume,
            )
            rows.append(Recommendation.objects.create(
                resume=resume, job_id=r["job_id"], rank=rank, score=r["score"], components=r["components"],
                matched_skills=r["matched_skills"], missing_skills=r["missing_skills"], salary=r["salary"], why=r["why"],
                output=output,
            ))
    return rows


def match_feedback_record(*, resume: Resume, job: JobPosting, user, rating: int, by_staff: bool = False) -> MatchFeedback:
    """A judgement of one job for one resume, stored and turned into an accepted resumes.match example."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not K.RATING_MIN <= rating <= K.RATING_MAX:
        raise ValidationError({"rating": [f"A rating is a whole number from {K.RATING_MIN} to {K.RATING_MAX}."]})
    if not hasattr(resume, "profile"):
        raise ValidationError({"resume": ["The resume has not been parsed yet."]})
    group = f"resume-{resume.pk}"
    pair = {"query": profile_text(profile_dict(resume.profile)), "candidate": job.text, "query_id": group}
    with transaction.atomic():
        previous = MatchFeedback.objects.filter(resume=resume, job=job, user=user).first()
        if previous and previous.task_id:
            AnnotationTask.objects.filter(pk=previous.task_id).delete()
        items_import(kind=MATCH, items=[{"input": pair, "group": group, "result": rating, "feedback_type": "rating"}], accepted=True)
        task = AnnotationTask.objects.filter(kind=MATCH, group=group).order_by("-id").first()
        feedback, _ = MatchFeedback.objects.update_or_create(
            resume=resume, job=job, user=user, defaults={"rating": rating, "by_staff": by_staff, "task": task},
        )
    if not by_staff:
        recommendations_build(resume=resume)  # the candidate sees the judgement applied at once
    return feedback
