"""Imports: files in a registered format (or parsed items) become tasks of a kind, all or none, with a report."""

import contextlib
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotation.formats import FormatError, UnknownFormat, get_importer
from annotation.formats.labels import LabelMapError, check_label_map, map_answer, parse_label_map
from annotation.models import Annotation, AnnotationProject, AnnotationTask, FeedbackType
from annotation.services.kinds import kind_or_invalid
from annotation.services.validation import import_feedback_type, import_item_problem
from suite import access
from suite.ml import kinds as K

Status = AnnotationTask.Status
_PROBLEMS_SHOWN = 20


def items_import(
    *, kind: str, items, accepted: bool, user=None, project: AnnotationProject | None = None, dry_run: bool = False
) -> dict:
    """Store parsed items as tasks of a kind, all or none.

    Items are `{"input", "group", "result"?, "prediction"?, "prediction_score"?, "feedback_type"?, "where"?}`.
    With `accepted`, an item with a result becomes an accepted task with an accepted annotation (no annotator,
    reviewed by `user`): a public labelled dataset. Otherwise, and for items without a result, an open task
    to annotate, pre-filled with the prediction (or, lacking one, the item's result as a suggestion).
    With `dry_run`, everything is checked and counted and nothing is written.
    """
    if user is not None and not access.has_role(user, "reviewer"):
        raise PermissionDenied("Importing annotations is for reviewers.")
    model_kind = kind_or_invalid(kind)
    items = list(items)
    problems = []
    for number, item in enumerate(items, 1):
        problem = import_item_problem(kind=model_kind, item=item)
        if problem:
            where = item.get("where") if isinstance(item, dict) and item.get("where") else f"item {number}"
            problems.append(f"{where}: {problem}")
    if problems:
        more = len(problems) - _PROBLEMS_SHOWN
        raise ValidationError({"items": problems[:_PROBLEMS_SHOWN] + ([f"... and {more} more"] if more > 0 else [])})
    if project is not None and project.kind != kind:
        raise ValidationError({"project": [f"Project {project} is for {project.kind}, not {kind}."]})
    counts = {"items": len(items), "accepted": 0, "open": 0, "preference": 0}
    if dry_run:
        for item in items:
            counts["accepted" if accepted and item.get("result") is not None else "open"] += 1
            counts["preference"] += import_feedback_type(kind=model_kind, item=item) == FeedbackType.PREFERENCE
        counts["project"] = project.pk if project is not None else None
        return counts
    now = timezone.now()
    with transaction.atomic():
        project = project or AnnotationProject.objects.get_or_create(kind=kind, name=f"{kind} imports")[0]
        tasks = []
        for item in items:
            result, prediction = item.get("result"), item.get("prediction")
            accept = accepted and result is not None
            feedback_type = import_feedback_type(kind=model_kind, item=item)
            counts["accepted" if accept else "open"] += 1
            counts["preference"] += feedback_type == FeedbackType.PREFERENCE
            tasks.append(
                AnnotationTask(
                    project=project,
                    kind=kind,
                    feedback_type=feedback_type,
                    input=item["input"],
                    group=item.get("group") or "",
                    prediction=prediction if accept or prediction is not None else result,
                    prediction_score=item.get("prediction_score"),
                    prediction_model=str(item.get("prediction_model") or "")[:200],
                    external_id=str(item.get("external_id") or "")[:200],
                    personal=model_kind.personal_data,
                    source=AnnotationTask.Source.IMPORT,
                    status=Status.ACCEPTED if accept else Status.OPEN,
                    accepted_at=now if accept else None,
                )
            )
        tasks = AnnotationTask.objects.bulk_create(tasks, batch_size=500)
        Annotation.objects.bulk_create(
            [
                Annotation(
                    task=task,
                    annotator=None,
                    external_annotator=str(item.get("annotator_ref") or "")[:200],
                    result=item["result"],
                    parent_prediction=task.prediction,
                    changed=item["result"] != task.prediction,
                    status=Annotation.Status.ACCEPTED,
                    reviewer=user,
                    review_comment="imported",
                    reviewed_at=now,
                )
                for task, item in zip(tasks, items)
                if task.status == Status.ACCEPTED
            ],
            batch_size=500,
        )
    counts["project"] = project.pk
    return counts


def annotations_import(
    *,
    format: str,
    stream,
    kind: str,
    accepted: bool,
    user=None,
    project: AnnotationProject | None = None,
    labels=None,
    dry_run: bool = False,
) -> dict:
    """Read a file in a registered import format and store its items: every item is checked before any is written.

    `labels` maps the file's label names to the kind's (`FROM=TO,...` or `{"FROM": "TO"}`); with a mapping,
    labels neither mapped nor known to the kind are left out and counted instead of rejecting the file.
    The counts carry a `report`: what was tolerated, left out or ignored, and why.
    """
    if user is not None and not access.has_role(user, "reviewer"):
        raise PermissionDenied("Importing annotations is for reviewers.")
    try:
        importer = get_importer(format)
    except UnknownFormat as exc:
        raise ValidationError({"format": [str(exc)]}) from None
    model_kind = kind_or_invalid(kind)
    try:
        mapping = parse_label_map(labels)
        check_label_map(mapping, model_kind)
    except LabelMapError as exc:
        raise ValidationError({"labels": [str(exc)]}) from None
    try:
        items = [{**item, "where": where} for where, item in importer.parse(stream, kind=model_kind)]
    except FormatError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    unmapped: Counter = Counter()
    if mapping:
        items = _mapped_items(items, mapping=mapping, kind=model_kind, unmapped=unmapped, skipped=importer.skipped)
    counts = items_import(kind=kind, items=items, accepted=accepted, user=user, project=project, dry_run=dry_run)
    counts["skipped"] = len(importer.skipped)
    counts["report"] = _import_report(importer, unmapped=unmapped, dry_run=dry_run)
    return counts


_FOLDER_SUFFIXES = {".txt", ".csv", ".json", ".jsonl", ".gz"}


@contextlib.contextmanager
def import_source(path):
    """A file to import, opened for reading; a folder (CUAD_v1's layout) is read as a zip of its files."""
    path = Path(path)
    if not path.is_dir():
        with open(path, "rb") as stream:
            yield stream
        return
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
            for member in sorted(path.rglob("*")):
                # Text and tables only: CUAD_v1 also holds every contract as PDF, which no importer reads.
                if member.is_file() and not member.name.startswith(".") and member.suffix.lower() in _FOLDER_SUFFIXES:
                    archive.write(member, member.relative_to(path).as_posix())
        spool.seek(0)
        yield spool


def annotations_import_upload(
    *,
    stream,
    format: str,
    kind: str,
    accepted: bool,
    user=None,
    project: str | None = None,
    labels=None,
    dry_run: bool = False,
    blind: bool | None = None,
) -> dict:
    """An import into a project named by the user (made if new): all or nothing; a dry run leaves no trace.

    `blind` sets the project's blind annotation (earlier answers hidden from later annotators) when given.
    """
    if blind is not None and not project:
        raise ValidationError({"project": ["Name the project that is to be blind."]})
    with transaction.atomic():  # a rejected file leaves no new project behind
        target = None
        if project:
            kind_or_invalid(kind)
            target = AnnotationProject.objects.get_or_create(kind=kind, name=project)[0]
            if blind is not None and target.blind != blind:
                target.blind = blind
                target.save(update_fields=["blind"])
        counts = annotations_import(
            format=format,
            stream=stream,
            kind=kind,
            accepted=accepted,
            user=user,
            project=target,
            labels=labels,
            dry_run=dry_run,
        )
        if dry_run:
            transaction.set_rollback(True)
            counts["project"] = None
    return counts


def _mapped_items(
    items: list[dict], *, mapping: dict, kind: K.ModelKind, unmapped: Counter, skipped: list
) -> list[dict]:
    """Items with their labels mapped; a single-label item whose label has no mapping is left out."""
    out = []
    for item in items:
        if item.get("feedback_type") == FeedbackType.PREFERENCE:
            out.append(item)
            continue
        result = map_answer(item.get("result"), mapping=mapping, kind=kind, unmapped=unmapped)
        prediction = map_answer(item.get("prediction"), mapping=mapping, kind=kind, unmapped=unmapped)
        if item.get("result") is not None and result is None:
            skipped.append(f"{item['where']}: label {item['result']!r} has no mapping")
            continue
        out.append({**item, "result": result, "prediction": prediction})
    return out


def _import_report(importer, *, unmapped: Counter, dry_run: bool) -> dict:
    notes = importer.notes
    report = {
        "dry_run": dry_run,
        "whitespace_tolerated": notes["whitespace_tolerated"],
        "unmapped_labels": dict(unmapped.most_common()),
        "predictions": notes["predictions"],
        "drafts_ignored": notes["drafts_ignored"],
        "cancelled_ignored": notes["cancelled_ignored"],
        "tasks_with_several_annotations": notes["tasks_with_several_annotations"],
        "skipped": importer.skipped[:_PROBLEMS_SHOWN]
        + (
            [f"... and {len(importer.skipped) - _PROBLEMS_SHOWN} more"]
            if len(importer.skipped) > _PROBLEMS_SHOWN
            else []
        ),
    }
    if notes["agreement_tasks"]:
        report["labelstudio_agreement_mean"] = round(notes["agreement_sum"] / notes["agreement_tasks"], 2)
    return report


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def import_report_lines(counts: dict) -> list[str]:
    """The import report as sentences, for the command line and the page."""
    report = counts.get("report") or {}
    lines = []
    if report.get("whitespace_tolerated"):
        n = report["whitespace_tolerated"]
        lines.append(
            f"{n} span{_s(n)} whose quoted text differs from the text at {'their' if n != 1 else 'its'} offsets "
            f"only in whitespace: offsets kept."
        )
    if report.get("unmapped_labels"):
        listed = ", ".join(f"{label} ({n})" for label, n in report["unmapped_labels"].items())
        lines.append(f"Labels with no mapping, left out: {listed}.")
    if report.get("predictions"):
        lines.append(
            f"{report['predictions']} prediction{_s(report['predictions'])} imported as pre-annotations, "
            "with model version and score."
        )
    if report.get("drafts_ignored"):
        lines.append(f"{report['drafts_ignored']} draft{_s(report['drafts_ignored'])} (never submitted) not imported.")
    if report.get("cancelled_ignored"):
        lines.append(
            f"{report['cancelled_ignored']} cancelled annotation{_s(report['cancelled_ignored'])} not imported."
        )
    if report.get("tasks_with_several_annotations"):
        n = report["tasks_with_several_annotations"]
        lines.append(f"{n} item{_s(n)} had several annotations: the ground truth, else the latest, was taken.")
    if "labelstudio_agreement_mean" in report:
        lines.append(f"Label Studio's agreement over these items: {report['labelstudio_agreement_mean']}%.")
    lines.extend(f"Skipped {reason}" for reason in report.get("skipped", []))
    return lines
