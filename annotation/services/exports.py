"""Exports: a kind's annotations written in a registered format, filtered, by a Celery job that records its outcome."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotation.formats import EXPORTERS, FormatError, UnknownFormat, get_exporter
from annotation.models import EXPORTS, AnnotationTask, ExportJob
from annotation.selectors.exports import export_rows, export_task_ids
from annotation.services.kinds import kind_or_invalid
from suite import access
from suite.ml import kinds as K

Status = AnnotationTask.Status


def _exporter_for(format: str, kind: K.ModelKind, options: dict, scope: str):

    try:
        exporter = get_exporter(format)
    except UnknownFormat as exc:
        raise ValidationError({"format": [str(exc)]}) from None
    if scope not in ExportJob.Scope.values:
        raise ValidationError({"scope": [f"Choose one of: {', '.join(ExportJob.Scope.values)}."]})
    if not isinstance(options, dict):
        raise ValidationError({"options": ["Options are an object, e.g. {'style': 'messages'}."]})
    try:
        exporter.check(kind, options)
    except FormatError as exc:
        raise ValidationError({"format": [str(exc)]}) from None
    return exporter


EXPORT_FILTERS = ("status", "annotator", "since", "until", "label")


def export_filters_clean(filters: dict | None, kind: K.ModelKind) -> dict:
    """Checked export filters: review state(s), annotator, a date range (of acceptance, else creation) and a label."""
    import datetime

    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "", [])}
    unknown = sorted(set(filters) - set(EXPORT_FILTERS))
    if unknown:
        raise ValidationError({"filters": [f"Unknown filter {unknown[0]!r}; filters are {', '.join(EXPORT_FILTERS)}."]})
    if "status" in filters:
        states = filters["status"] if isinstance(filters["status"], list) else str(filters["status"]).split(",")
        states = [s.strip() for s in states if s.strip()]
        bad = [s for s in states if s not in Status.values]
        if bad:
            raise ValidationError({"filters": [f"Review state {bad[0]!r} is none of {', '.join(Status.values)}."]})
        filters["status"] = states
    for edge in ("since", "until"):
        if edge in filters:
            try:
                filters[edge] = datetime.date.fromisoformat(str(filters[edge])).isoformat()
            except ValueError:
                raise ValidationError(
                    {"filters": [f"'{edge}' is a date like 2026-01-31, not {filters[edge]!r}."]}
                ) from None
    if "label" in filters and kind.labels and filters["label"] not in kind.labels:
        raise ValidationError(
            {"filters": [f"{kind.name} has no label {filters['label']!r}; it knows {list(kind.labels)}."]}
        )
    return filters


def _has_label(result, label: str) -> bool:
    if isinstance(result, str):
        return result == label
    if isinstance(result, list):
        return any(item == label or (isinstance(item, list) and len(item) == 3 and item[2] == label) for item in result)
    return False


def _filtered_rows(rows, *, kind: str, filters: dict):
    """Rows that pass the filters; the database picks the tasks, the label is read from each answer."""
    allowed = export_task_ids(kind=kind, filters=filters)
    for row in rows:
        if allowed is not None and row["task"] not in allowed:
            continue
        if "label" in filters and not _has_label(
            row["result"] if row["result"] is not None else row["prediction"], filters["label"]
        ):
            continue
        yield row


def annotations_export(
    *,
    format: str,
    kind: str,
    path,
    scope: str = "accepted",
    options: dict | None = None,
    user=None,
    filters: dict | None = None,
) -> int:
    """Write a kind's annotations to `path` in a registered export format, streaming rows; returns rows written.

    The file (or folder) appears whole or not at all: it is written beside the target and moved into place.
    """
    import os
    import shutil

    model_kind, options = kind_or_invalid(kind), dict(options or {})
    exporter = _exporter_for(format, model_kind, options, scope)
    filters = export_filters_clean(filters, model_kind)
    path = Path(path)
    if exporter.folder and path.exists():
        raise ValidationError({"out": [f"{path} exists; a {format} export writes a new folder."]})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    shutil.rmtree(partial, ignore_errors=True) if partial.is_dir() else partial.unlink(missing_ok=True)
    try:
        rows = export_rows(kind=kind, scope=scope, user=user)
        if filters:
            rows = _filtered_rows(rows, kind=kind, filters=filters)
        count = exporter.write(rows, partial, kind=model_kind, options=options)
        os.replace(partial, path)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True) if partial.is_dir() else partial.unlink(missing_ok=True)
        raise
    return count


def export_job_create(
    *,
    user,
    kind: str,
    format: str,
    scope: str = "accepted",
    options: dict | None = None,
    filters: dict | None = None,
) -> ExportJob:
    """Queue an export of a kind; a Celery job writes the file, the job row says how it went."""
    if not access.has_role(user, "reviewer"):
        raise PermissionDenied("Exporting annotations is for reviewers.")
    options = dict(options or {})
    model_kind = kind_or_invalid(kind)
    _exporter_for(format, model_kind, options, scope)
    filters = export_filters_clean(filters, model_kind)
    job = ExportJob.objects.create(
        kind=kind, format=format, scope=scope, options=options, filters=filters, requested_by=user,
        queued_at=timezone.now(),
    )

    def send():
        try:
            EXPORTS.send(job.pk)
        except Exception as exc:  # the broker is down: say so on the job rather than leave it queued forever
            EXPORTS.fail(job.pk, reason=f"could not queue the export: {exc}", running_only=False)

    transaction.on_commit(send)
    return job


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def export_job_build(*, job_id: int) -> ExportJob:
    """Build a queued export under MEDIA_ROOT/exports/ and record rows, size and status, or the reason it failed.

    The job lifecycle (suite/jobs.py) decides who builds it: a redelivered message for a finished job, or for one a
    live worker holds, does nothing; one whose worker died is taken over (the beat sweep queues it again)."""
    import logging
    import re
    import shutil

    claim = EXPORTS.claim(job_id, started_at=timezone.now(), error="")
    job = ExportJob.objects.get(pk=job_id)
    if claim is None:
        return job
    media = Path(settings.MEDIA_ROOT)
    exporter = EXPORTERS.get(job.format)
    extension = exporter.extension if exporter else ""
    safe_kind = re.sub(r"[^\w.-]", "-", job.kind)
    target = media / "exports" / f"{job.pk}-{safe_kind}-{job.format}{extension}"
    if target.is_dir():  # left by an earlier attempt at this job whose worker died
        shutil.rmtree(target)
    try:
        with EXPORTS.heartbeat(job.pk, claim=claim):
            rows = annotations_export(
                format=job.format,
                kind=job.kind,
                path=target,
                scope=job.scope,
                options=job.options,
                user=job.requested_by,
                filters=job.filters,
            )
            if exporter.folder:  # a folder downloads as one zip archive of it
                archive = Path(shutil.make_archive(str(target), "zip", root_dir=target))
                shutil.rmtree(target)
                target = archive
        EXPORTS.mine(job.pk, claim).update(
            status=ExportJob.Status.SUCCEEDED, rows=rows, file=target.relative_to(media).as_posix(),
            size_bytes=target.stat().st_size, finished_at=timezone.now(),
        )
    except Exception as exc:
        logging.getLogger(__name__).exception("export job %s failed", job.pk)
        EXPORTS.fail(job.pk, claim=claim, reason=_failure_reason(exc)[:2000])
    job.refresh_from_db()
    return job
