"""Resumes in: upload, parse into entities and a profile, correct the profile, delete with everything derived."""
from __future__ import annotations

import logging
import time

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotation.models import AnnotationTask
from annotation.services import items_import
from resumes import selectors
from resumes.ml import MATCH, NER
from resumes.models import (
    RESUMES,
    MatchFeedback,
    Profile,
    ProfileSkill,
    Resume,
    ResumeEntity,
)
from resumes.pipeline.entities import without_overlaps
from resumes.pipeline.layout import pdf_reading_order, text_reading_order
from resumes.pipeline.profile import build_profile
from resumes.pipeline.taxonomy import KIND_LABELS, KINDS
from suite import documents
from suite.ml import kinds as K
from suite.ml import selectors as ml_selectors
from suite.ml.models import ModelOutput
from suite.ml.services import model_output_record

logger = logging.getLogger(__name__)
Status = Resume.Status


def resume_upload(*, user, file, enqueue: bool = True) -> Resume:
    """Keep the file whatever it holds; one that cannot be read is kept as failed with the reason, deletable.

    A file over the size limit is refused before anything is stored (ValidationError on `file`).
    """
    name = getattr(file, "name", "") or "resume"
    resume = Resume(owner=user, filename=name.rsplit("/", 1)[-1][:255])
    try:
        resume.file_type = documents.file_type_of(resume.filename)
        documents.check_size(getattr(file, "size", None) or 0)
    except documents.DocumentError as exc:
        if exc.code == "too_large":
            raise ValidationError({"file": [str(exc)]}) from None
        resume.status, resume.failure_code, resume.failure_reason = Status.FAILED, exc.code, str(exc)
    with transaction.atomic():
        resume.file.save(resume.filename, file, save=False)
        resume.save()
        if resume.status == Status.UPLOADED and enqueue:
            _enqueue(resume)
    return resume


def _enqueue(resume: Resume) -> None:
    RESUMES.enqueue(resume.pk, fresh=True)


def resume_retry(*, resume: Resume) -> Resume:
    if resume.status not in (Status.FAILED, Status.DONE) and not resume.is_stale:
        raise ValidationError({"resume": [f"The resume is {resume.status}; wait for it to finish."]})
    with transaction.atomic():
        Resume.objects.filter(pk=resume.pk).update(status=Status.UPLOADED, failure_code="", failure_reason="")
        resume.refresh_from_db()
        _enqueue(resume)
    return resume


def resume_delete(*, resume: Resume) -> None:
    """The resume and everything derived from it: profile, entities, recommendations, feedback, outputs, tasks."""
    with transaction.atomic():
        content_type = ContentType.objects.get_for_model(Resume)
        ModelOutput.objects.filter(content_type=content_type, object_id=str(resume.pk)).delete()
        AnnotationTask.objects.filter(kind__in=(NER, MATCH), group=_group(resume)).delete()
        MatchFeedback.objects.filter(resume=resume).delete()
        file = resume.file
        resume.delete()
    if file and file.name:  # after the rows are gone, so a failed delete never leaves rows without their file
        file.storage.delete(file.name)


def _group(resume: Resume) -> str:
    return f"resume-{resume.pk}"


def _ner_version():
    return ml_selectors.production_version(kind=NER)


def parse_text(text: str, *, version=None, taxonomy=None) -> tuple[dict, list[list], float]:
    """(profile fields, spans, milliseconds) for a text with the serving resumes.ner."""
    taxonomy = taxonomy or selectors.skill_taxonomy()
    started = time.perf_counter()
    kind = K.get_kind(NER)
    spans = kind.predict([text], version=version)[0]["spans"]
    spans = without_overlaps([list(s) for s in spans])
    profile = build_profile(text, spans, taxonomy)
    return profile, spans, (time.perf_counter() - started) * 1000


def parse_result(text: str, profile: dict, spans: list[list], version) -> dict:
    return {
        **profile,
        "entities": [{"label": s[2], "start": s[0], "end": s[1], "text": text[s[0] : s[1]]} for s in spans],
        "model_versions": {NER: f"v{version.number}" if version else "default"},
    }


def resume_parse(*, resume_id: int) -> Resume:
    """Extract, tag, build the profile, then recommend; a file that cannot be read fails with its reason."""
    # A redelivered task (acks_late) takes over a resume whose worker died mid-way; a live one is left alone.
    claim = RESUMES.claim(resume_id)
    resume = Resume.objects.get(pk=resume_id)
    if not claim:
        return resume
    try:
        with resume.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        return _fail(resume, "missing", f"The stored file cannot be read: {exc}.")
    try:
        extracted = documents.extract(data, filename=resume.filename)
        text = extracted.text
        if extracted.file_type == "pdf":
            text = pdf_reading_order(data) or text  # two columns read one after the other
        else:
            text = text_reading_order(text) or text  # columns side by side in plain text, the same way
    except documents.DocumentError as exc:
        return _fail(resume, exc.code, str(exc))
    except Exception as exc:  # a reader's own error (bad XML inside a DOCX): the file is damaged, say so
        logger.warning("resume %s could not be read", resume_id, exc_info=True)
        return _fail(resume, "corrupt", f"The file is damaged and cannot be read ({type(exc).__name__}).")
    try:
        version = _ner_version()
        profile, spans, ms = parse_text(text, version=version)
        result = parse_result(text, profile, spans, version)
    except Exception as exc:  # recorded on the row so the owner sees it and can retry; the log has the trace
        logger.exception("resume %s failed", resume_id)
        return _fail(resume, "error", f"Parsing failed unexpectedly ({type(exc).__name__}). Try again, or delete the resume.")
    with transaction.atomic():
        resume.text, resume.parse_result = text, result
        # Still processing until the recommendations are there too: "done" shows the whole page at once.
        resume.failure_code, resume.failure_reason = "", ""
        resume.save()
        _profile_write(resume, profile)
        ResumeEntity.objects.filter(resume=resume).delete()
        ResumeEntity.objects.bulk_create([
            ResumeEntity(resume=resume, label=s[2], start=s[0], end=s[1], text=text[s[0] : s[1]][:500],
                         score=s[3] if len(s) > 3 else None) for s in spans
        ])
        model_output_record(kind=NER, input=text, output={"spans": spans}, version=version, latency_ms=ms,
                            owner=resume.owner, subject=resume)
    try:
        from resumes.services.matching import recommendations_build

        recommendations_build(resume=resume)
    except Exception:  # the profile is done even when no postings can be ranked yet
        logger.exception("recommendations for resume %s failed", resume.pk)
    # Only while the claim is ours: a resume put back in the queue meanwhile is finished by whoever holds it now.
    RESUMES.mine(resume.pk, claim).update(status=Status.DONE, parsed_at=timezone.now())
    resume.refresh_from_db()
    return resume


def _fail(resume: Resume, code: str, reason: str) -> Resume:
    RESUMES.fail(resume.pk, code=code, reason=reason)
    resume.refresh_from_db()
    return resume


def _profile_write(resume: Resume, profile: dict) -> Profile:
    row, _ = Profile.objects.update_or_create(resume=resume, defaults={
        "name": profile["name"][:200], "email": profile["email"][:254], "phone": profile["phone"][:50],
        "location": profile["location"][:200], "links": profile["links"], "education": profile["education"],
        "headline": profile["headline"][:200], "current_title": profile["current_title"][:200],
        "certifications": profile["certifications"],
        "experience": profile["experience"], "total_experience_months": profile["total_experience_months"], "edited": False,
        "occupation": selectors.occupation_for_profile(profile),
    })
    ProfileSkill.objects.filter(profile=row).delete()
    ProfileSkill.objects.bulk_create([
        ProfileSkill(profile=row, name=s["name"][:200], normalized=s["normalized"][:200], kind=s["kind"]) for s in profile["skills"]
    ])
    return row


# --- corrections ---------------------------------------------------------------------------------

EDITABLE = ("name", "email", "phone", "location", "current_title")


def profile_update(*, resume: Resume, user, data: dict) -> Profile:
    """The candidate corrects the profile; the change becomes a resumes.ner correction (spans) to review.

    `data` may hold name, email, phone, location and skills (a list of names or {"name", "kind"}).
    """
    if resume.status != Status.DONE or not hasattr(resume, "profile"):
        raise ValidationError({"resume": ["The resume has not been parsed yet."]})
    profile = resume.profile
    skills = data.get("skills")
    if skills is not None:
        skills = _clean_skills(skills)
    before_spans = [[e.start, e.end, e.label] for e in resume.entities.all()]
    with transaction.atomic():
        for field in EDITABLE:
            if field in data and data[field] is not None:
                value = str(data[field]).strip()
                limit = Profile._meta.get_field(field).max_length
                if len(value) > limit:
                    raise ValidationError({field: [f"At most {limit} characters."]})
                setattr(profile, field, value)
        profile.edited = True
        profile.save()
        if skills is not None:
            ProfileSkill.objects.filter(profile=profile).delete()
            ProfileSkill.objects.bulk_create([ProfileSkill(profile=profile, **s) for s in skills])
        if "current_title" in data and data["current_title"] is not None:
            from resumes.services.matching import profile_dict

            profile.occupation = selectors.occupation_for_profile(profile_dict(profile))
            profile.save(update_fields=["occupation"])
        corrected = corrected_spans(resume.text, before_spans, profile=profile, skills=skills)
        if corrected != before_spans:
            _correction_task(resume, corrected, before_spans)
    try:
        from resumes.services.matching import recommendations_build

        recommendations_build(resume=resume)  # the edited profile is what the advice follows, at once
    except Exception:
        logger.exception("recommendations for resume %s failed after an edit", resume.pk)
    return profile


def _clean_skills(skills) -> list[dict]:
    if not isinstance(skills, list):
        raise ValidationError({"skills": ["Skills are a list of names."]})
    taxonomy = selectors.skill_taxonomy()
    out, seen = [], set()
    for item in skills:
        name, kind = (item.get("name"), item.get("kind")) if isinstance(item, dict) else (item, None)
        if not isinstance(name, str) or not name.strip():
            continue
        if len(name.strip()) > 200:
            raise ValidationError({"skills": [f"A skill name is at most 200 characters: {name[:40]}..."]})
        if kind is not None and kind not in KINDS:
            raise ValidationError({"skills": [f"A skill kind is one of {', '.join(KINDS)}, not {kind!r}."]})
        skill = taxonomy.normalize_skill(name, kind)
        if kind:
            skill["kind"] = kind
        if skill["normalized"] not in seen:
            seen.add(skill["normalized"])
            out.append(skill)
    return out


def corrected_spans(text: str, spans: list[list], *, profile: Profile, skills: list[dict] | None) -> list[list]:
    """The resume's spans as the edited profile says they should be: removed skills dropped, added ones tagged."""
    out = [list(s) for s in spans]
    skill_labels = set(KIND_LABELS.values())
    if skills is not None:
        keep = {s["normalized"]: KIND_LABELS[s["kind"]] for s in skills}
        taxonomy = selectors.skill_taxonomy()
        relabelled = []
        for s in out:
            if s[2] not in skill_labels:
                relabelled.append(s)
                continue
            key = taxonomy.normalize_skill(text[s[0] : s[1]])["normalized"]
            if key in keep:
                relabelled.append([s[0], s[1], keep[key]])
        out = relabelled
        lowered = text.lower()
        for s in skills:
            at = lowered.find(s["name"].lower())
            while at >= 0:
                end = at + len(s["name"])
                boundary = (at == 0 or not lowered[at - 1].isalnum()) and (end == len(text) or not lowered[end].isalnum())
                if boundary and not any(at < o[1] and o[0] < end for o in out):
                    out.append([at, end, KIND_LABELS[s["kind"]]])
                at = lowered.find(s["name"].lower(), end)
    for field, label in (("name", "Name"), ("location", "Location"), ("email", "Email Address")):
        value = getattr(profile, field)
        if not value:
            continue
        at = text.find(value)
        if at >= 0 and not any(s[2] == label and text[s[0] : s[1]] == value for s in out):
            out = [s for s in out if not (at < s[1] and s[0] < at + len(value))]
            out.append([at, at + len(value), label])
    return sorted(([int(s[0]), int(s[1]), s[2]] for s in out), key=lambda s: (s[0], s[1]))


def _correction_task(resume: Resume, corrected: list[list], predicted: list[list]) -> None:
    """One open resumes.ner task per resume, pre-filled with the candidate's correction for a reviewer to accept."""
    open_task = AnnotationTask.objects.filter(kind=NER, group=_group(resume), status=AnnotationTask.Status.OPEN).first()
    if open_task:
        open_task.prediction = corrected
        open_task.save(update_fields=["prediction"])
        return
    items_import(kind=NER, items=[{"input": resume.text, "group": _group(resume), "prediction": corrected}], accepted=False)
