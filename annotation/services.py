"""Writes of the annotation app: flags open tasks, annotators answer, reviewers decide, datasets freeze."""
import contextlib
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from annotation import webhooks
from annotation.formats import EXPORTERS, FormatError, UnknownFormat, get_exporter, get_importer
from annotation.formats.labels import LabelMapError, check_label_map, map_answer, parse_label_map
from annotation.models import (
    Annotation, AnnotationProject, AnnotationTask, Assignment, AuditEntry, ExportJob, FeedbackType, Flag,
)
from annotation.selectors import accepted_examples, export_rows
from suite import access
from suite.ml import kinds as K
from suite.ml import services as ml_services
from suite.ml import uncertainty
from suite.ml.models import ModelOutput

Status = AnnotationTask.Status
QUEUE_READS = 5


def project_for_kind(*, kind: str) -> AnnotationProject:
    """The project flagged outputs of a kind land in."""
    K.get_kind(kind)
    return AnnotationProject.objects.get_or_create(kind=kind, name=f"{kind} feedback")[0]


def _check_result(kind: K.ModelKind, task_input, result, *, feedback_type: str | None = None) -> None:
    """Refuse an answer that does not fit the kind (or, for preference items, the options offered)."""
    if feedback_type == FeedbackType.PREFERENCE:
        problem = _preference_problem(task_input, {"result": result})
    else:
        problem = _rating_problem(feedback_type, result) or _answer_problem(kind, task_input, result)
    if problem:
        raise ValidationError({"result": [problem]})


def flag_create(*, output: ModelOutput, user, reason: str, comment: str = "", correction=None) -> Flag:
    """The owner of an output (or staff) flags it; the first flag opens a task, later ones raise its priority."""
    if output.owner_id != user.pk and not access.is_staff(user):
        raise PermissionDenied("Only the person who saw this output, or staff, can flag it.")
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": [f"Choose one of: {', '.join(Flag.Reason.values)}."]})
    if reason == Flag.Reason.OTHER and not comment.strip():
        raise ValidationError({"comment": ["Say what is wrong when the reason is 'other'."]})
    kind = K.get_kind(output.kind)
    if correction is not None:
        _check_result(kind, output.input, correction, feedback_type=kind.feedback_type)
    for attempt in range(2):
        try:
            with transaction.atomic():
                task = _task_for_output(output, kind)
                AnnotationTask.objects.filter(pk=task.pk).update(flag_count=F("flag_count") + 1)
                flag = Flag.objects.create(
                    output=output, task=task, user=user, reason=reason, comment=comment.strip(), correction=correction
                )
                webhooks.on_flag_created(flag)
                return flag
        except IntegrityError:
            if attempt:  # a concurrent first flag created the task; the retry finds it
                raise


def _task_for_output(output: ModelOutput, kind: K.ModelKind) -> AnnotationTask:
    task = AnnotationTask.objects.filter(output=output).first()
    if task:
        return task
    return AnnotationTask.objects.create(
        project=project_for_kind(kind=kind.name), kind=kind.name, feedback_type=kind.feedback_type, output=output,
        input=output.input, group=f"output-{output.pk}" if not output.object_id else f"{output.content_type_id}-{output.object_id}",
        prediction=kind.result_from_prediction(output.output), prediction_version=output.version,
        prediction_score=queue_confidence(output.output, output.score), personal=kind.personal_data, subject_owner=output.owner if kind.personal_data else None,
        source=AnnotationTask.Source.FLAG,
    )


def queue_confidence(prediction, score: float | None) -> float | None:
    """How sure the model was, by the queue's uncertainty strategy (ANNOTATION_UNCERTAINTY: least_confidence,
    margin or entropy); the queue serves the least sure first."""
    strategy = getattr(settings, "ANNOTATION_UNCERTAINTY", "least_confidence")
    return uncertainty.confidence(prediction if isinstance(prediction, dict) else {}, strategy, fallback=score)


# With the diversity option the queue looks this far down its order for the item least like recent ones.
DIVERSITY_WINDOW = 20


def _diverse_pick(ordered, *, kind: str | None, user) -> AnnotationTask | None:
    """Among the first unsure items, the one whose words overlap least with what this kind's queue gave out last."""
    window = list(ordered[:DIVERSITY_WINDOW])
    if len(window) < 2:
        return window[0] if window else None
    recent = Assignment.objects.filter(task__kind=kind) if kind else Assignment.objects.filter(annotator=user)
    seen = [uncertainty.word_set(a.task.input) for a in recent.select_related("task").order_by("-pk")[:10]]
    return window[uncertainty.most_different(window, seen, words_of=lambda t: uncertainty.word_set(t.input))]


def task_next(
    *, user, kind: str | None = None, project: AnnotationProject | None = None, diverse: bool | None = None,
) -> AnnotationTask | None:
    """The next item for an annotator: flagged first, then least confident, then oldest; within the overlap.
    `diverse` (default ANNOTATION_QUEUE_DIVERSITY) picks, among the first unsure items, the one least like the
    items given out last, so a batch of corrections does not teach the same thing twenty times."""
    if not access.has_role(user, "annotator", "reviewer"):
        raise PermissionDenied("Annotating is for annotators.")
    held = Assignment.objects.filter(annotator=user, status=Assignment.Status.ASSIGNED, task__status=Status.OPEN)
    if kind:
        held = held.filter(task__kind=kind)
    if project:
        held = held.filter(task__project=project)
    mine = held.select_related("task").order_by("pk").first()
    if mine:
        return mine.task  # finish what you were given in this queue before taking more
    candidates = AnnotationTask.objects.filter(status=Status.OPEN, assigned_count__lt=F("project__overlap")).exclude(
        Exists(Assignment.objects.filter(task=OuterRef("pk"), annotator=user))
    )
    if kind:
        candidates = candidates.filter(kind=kind)
    if project:
        candidates = candidates.filter(project=project)
    # The classic queue: lock the first free item and skip items other annotators hold right now
    # (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the IMMEDIATE transaction serializes writers).
    ordered = candidates.order_by(*AnnotationTask.QUEUE_ORDER).select_related("project")
    if diverse is None:
        diverse = getattr(settings, "ANNOTATION_QUEUE_DIVERSITY", False)
    for _ in range(QUEUE_READS):
        with transaction.atomic():
            if diverse:
                picked = _diverse_pick(ordered, kind=kind, user=user)
                task = ordered.filter(pk=picked.pk).select_for_update(skip_locked=True, of=("self",)).first() if picked else None
            else:
                task = ordered.select_for_update(skip_locked=True, of=("self",)).first()
            if task is None:
                if diverse and picked is not None:
                    continue  # another annotator holds it right now: look again
                return None
            try:
                with transaction.atomic():
                    Assignment.objects.create(task=task, annotator=user)
            except IntegrityError:
                continue
            AnnotationTask.objects.filter(pk=task.pk).update(assigned_count=F("assigned_count") + 1)
            return task
    return None


def task_skip(*, task: AnnotationTask, user, reason: str) -> Assignment:
    if not reason.strip():
        raise ValidationError({"reason": ["Say why you skip this item."]})
    assignment = Assignment.objects.filter(task=task, annotator=user).first()
    if assignment is None or assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError({"task": ["This item is not assigned to you."]})
    with transaction.atomic():
        assignment.status, assignment.skip_reason = Assignment.Status.SKIPPED, reason.strip()[:500]
        assignment.save(update_fields=["status", "skip_reason"])
        AnnotationTask.objects.filter(pk=task.pk).update(assigned_count=F("assigned_count") - 1)
    return assignment


@transaction.atomic
def annotation_submit(*, task: AnnotationTask, user, result, seconds_spent: float | None = None) -> Annotation:
    """Keep every annotator's answer (two at once lose nothing); enough answers send the task to review."""
    assignment = Assignment.objects.select_for_update().filter(task=task, annotator=user).first()
    if assignment is None or assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError({"task": ["This item is not assigned to you; take it from the queue first."]})
    if seconds_spent is not None and not 0 <= seconds_spent <= 86_400:
        raise ValidationError({"seconds_spent": ["Must be between 0 and 86400 seconds."]})
    _check_result(K.get_kind(task.kind), task.input, result, feedback_type=task.feedback_type)
    annotation = Annotation.objects.create(
        task=task, annotator=user, result=result, parent_prediction=task.prediction,
        changed=result != task.prediction, seconds_spent=seconds_spent,
    )
    assignment.status = Assignment.Status.SUBMITTED
    assignment.save(update_fields=["status"])
    task = AnnotationTask.objects.select_for_update().select_related("project").get(pk=task.pk)
    submitted = task.annotations.filter(status=Annotation.Status.SUBMITTED).count()
    if task.status == Status.OPEN and submitted >= task.project.overlap:
        task.status = Status.IN_REVIEW
        task.save(update_fields=["status"])
    return annotation


def _require_reviewer(user) -> None:
    if not access.has_role(user, "reviewer"):
        raise PermissionDenied("Reviewing is for reviewers.")


@transaction.atomic
def annotation_review(*, annotation: Annotation, reviewer, accept: bool, comment: str = "") -> Annotation:
    """Accept (the answer becomes training data) or reject with a comment (the item goes back to the queue)."""
    _require_reviewer(reviewer)
    if annotation.annotator_id == reviewer.pk:
        raise PermissionDenied("Nobody reviews their own annotation.")
    task = AnnotationTask.objects.select_for_update().get(pk=annotation.task_id)
    if annotation.status != Annotation.Status.SUBMITTED:
        raise ValidationError({"annotation": [f"This annotation was already {annotation.status}."]})
    if accept and task.status == Status.ACCEPTED:
        raise ValidationError({"annotation": ["Another answer to this item was already accepted."]})
    if not accept and not comment.strip():
        raise ValidationError({"comment": ["Say why the annotation is rejected."]})
    annotation.status = Annotation.Status.ACCEPTED if accept else Annotation.Status.REJECTED
    annotation.reviewer, annotation.review_comment, annotation.reviewed_at = reviewer, comment.strip(), timezone.now()
    annotation.save(update_fields=["status", "reviewer", "review_comment", "reviewed_at"])
    if accept:
        task.status, task.accepted_at = Status.ACCEPTED, timezone.now()
    elif not task.annotations.filter(status=Annotation.Status.SUBMITTED).exists():
        task.status = Status.OPEN
        # The annotator may try again: their slot in the overlap is free once more.
        freed, _ = task.assignments.filter(annotator=annotation.annotator).exclude(status=Assignment.Status.SKIPPED).delete()
        task.assigned_count = max(0, task.assigned_count - freed)
    task.save(update_fields=["status", "accepted_at", "assigned_count"])
    webhooks.on_annotation_reviewed(annotation)
    return annotation


@transaction.atomic
def task_adjudicate(*, task: AnnotationTask, reviewer, result, comment: str = "") -> Annotation:
    """A reviewer decides between annotators by writing the answer that counts."""
    _require_reviewer(reviewer)
    task = AnnotationTask.objects.select_for_update().get(pk=task.pk)
    if task.status == Status.ACCEPTED:
        raise ValidationError({"task": ["This item already has an accepted answer."]})
    _check_result(K.get_kind(task.kind), task.input, result, feedback_type=task.feedback_type)
    task.annotations.filter(status=Annotation.Status.SUBMITTED).update(
        status=Annotation.Status.REJECTED, reviewer=reviewer, reviewed_at=timezone.now(), review_comment="superseded by adjudication"
    )
    annotation = Annotation.objects.create(
        task=task, annotator=reviewer, result=result, parent_prediction=task.prediction, changed=result != task.prediction,
        status=Annotation.Status.ACCEPTED, adjudicated=True, reviewer=reviewer, review_comment=comment, reviewed_at=timezone.now(),
    )
    task.status, task.accepted_at = Status.ACCEPTED, timezone.now()
    task.save(update_fields=["status", "accepted_at"])
    webhooks.on_annotation_reviewed(annotation)
    return annotation


def snapshot_freeze(*, kind: str, user=None, seed: int = 13):
    """Freeze the accepted annotations of a kind into a dataset snapshot for training."""
    return ml_services.snapshot_create(kind=kind, examples=accepted_examples(kind, None), origin="accepted annotations", seed=seed, user=user)


def preannotation_run(*, kind: str, batch_size: int = 64) -> int:
    """Fill open tasks that have no suggestion with the serving model's prediction and confidence."""
    model_kind = K.get_kind(kind)
    from suite.ml.selectors import production_version

    version = production_version(kind=kind)
    pending = AnnotationTask.objects.filter(kind=kind, status=Status.OPEN, prediction__isnull=True, feedback_type=model_kind.feedback_type)
    done = 0
    while batch := list(pending.order_by("id")[:batch_size]):
        predictions = model_kind.predict([t.input for t in batch], version=version)
        for task, prediction in zip(batch, predictions):
            task.prediction = model_kind.result_from_prediction(prediction)
            task.prediction_score = queue_confidence(prediction, prediction.get("score"))
            task.prediction_version = version
        AnnotationTask.objects.bulk_update(batch, ["prediction", "prediction_score", "prediction_version"])
        done += len(batch)
    return done


def preannotation_start(*, kind: str) -> str:
    """Queue bulk pre-annotation of a kind's open tasks; returns the Celery task id."""
    from annotation.tasks import preannotate

    K.get_kind(kind)
    return preannotate.delay(kind).id


def audit_record(*, user, action: str, task: AnnotationTask | None = None, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(user=user, action=action, task=task, detail=detail[:500])


# --- imports and exports ----------------------------------------------------------------------


# Task types whose input is one text; the others take a JSON object.
_TEXT_INPUT = (K.CLASSIFICATION, K.MULTILABEL, K.TOKEN_CLASSIFICATION, K.SEQ2SEQ)
_PROBLEMS_SHOWN = 20


def _model_kind(kind: str) -> K.ModelKind:
    try:
        return K.get_kind(kind)
    except K.UnknownKind as exc:
        raise ValidationError({"kind": [str(exc)]}) from None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _preference_problem(task_input, answers: dict) -> str | None:
    """Why a preference item cannot be stored: `{"prompt", "options": [...]}` with `{"chosen"}` or `{"ranking"}`."""
    if not isinstance(task_input, dict) or not isinstance(task_input.get("prompt"), str) or "options" not in task_input:
        return "a preference input is {'prompt': text, 'options': [texts]}"
    options = task_input["options"]
    if not isinstance(options, list) or len(options) < 2:
        return f"a preference needs at least 2 options; it has {len(options) if isinstance(options, list) else 0}"
    if not all(isinstance(o, str) and o.strip() for o in options):
        return "every option must be non-empty text"
    for field, answer in answers.items():
        if answer is None:
            continue
        label = "" if field == "result" else f"{field}: "
        if isinstance(answer, dict) and set(answer) == {"chosen"}:
            if not _is_int(answer["chosen"]) or not 0 <= answer["chosen"] < len(options):
                return f"{label}'chosen' must be an option's index, 0 to {len(options) - 1}, not {answer['chosen']!r}"
        elif isinstance(answer, dict) and set(answer) == {"ranking"}:
            ranking = answer["ranking"]
            if not isinstance(ranking, list) or not all(map(_is_int, ranking)) or sorted(ranking) != list(range(len(options))):
                return f"{label}a ranking lists every option's index once, best first"
        else:
            return f"{label}a preference answer is {{'chosen': index}} or {{'ranking': [indices, best first]}}"
    return None


def _rating_problem(feedback_type: str | None, answer) -> str | None:
    if feedback_type == FeedbackType.RATING and not (_is_int(answer) and K.RATING_MIN <= answer <= K.RATING_MAX):
        return f"a rating is a whole number from {K.RATING_MIN} to {K.RATING_MAX}, not {answer!r}"
    return None


def _answer_problem(kind: K.ModelKind, task_input, answer) -> str | None:
    """Why an answer does not fit the kind: its shape, its labels, its spans, then the kind's own rules."""
    task_type = kind.task_type
    if task_type in (K.CLASSIFICATION, K.SEQ2SEQ) and not isinstance(answer, str):
        return f"a {task_type} answer is text, not {answer!r}"
    if task_type == K.MULTILABEL and not (isinstance(answer, list) and all(isinstance(a, str) for a in answer)):
        return f"a multilabel answer is a list of labels, not {answer!r}"
    if task_type == K.RANKING and (not isinstance(answer, (int, float)) or isinstance(answer, bool)):
        return f"a ranking answer is a number, not {answer!r}"
    if task_type == K.EXTRACTIVE_SUMMARY and not (isinstance(answer, dict) and isinstance(answer.get("selected"), list)):
        return "an extractive summary answer is {'selected': [sentence indices]}"
    if task_type == K.TOKEN_CLASSIFICATION:
        if not isinstance(answer, list):
            return f"spans are a list of [start, end, label], not {answer!r}"
        for span in answer:
            if not (isinstance(span, list) and len(span) == 3 and _is_int(span[0]) and _is_int(span[1])):
                return f"span {span!r} is not [start, end, label]"
            if span[2] not in kind.labels:
                return f"unknown label {span[2]!r} in span {span!r}; {kind.name} knows {list(kind.labels)}"
            if not 0 <= span[0] < span[1] <= len(task_input):
                return f"span {span!r} is outside the text, which has {len(task_input)} characters"
    if task_type in (K.CLASSIFICATION, K.MULTILABEL):
        unknown = [a for a in (answer if isinstance(answer, list) else [answer]) if a not in kind.labels]
        if unknown:
            return f"unknown label {unknown[0]!r}; {kind.name} knows {list(kind.labels)}"
    try:
        return kind.validate_example({"input": task_input, "target": answer})
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        return f"the answer does not fit {kind.name}: {exc}"


def import_feedback_type(*, kind: K.ModelKind, item: dict) -> str:
    """An item's feedback type: as given, a preference when its input has options, else the kind's own."""
    if item.get("feedback_type"):
        return item["feedback_type"]
    if isinstance(item.get("input"), dict) and "options" in item["input"] and "prompt" in item["input"]:
        return FeedbackType.PREFERENCE
    return kind.feedback_type


def import_item_problem(*, kind: K.ModelKind, item) -> str | None:
    """Why an imported item cannot be stored for `kind`, or None when it can."""
    if not isinstance(item, dict) or "input" not in item:
        return "an item needs an 'input'"
    group = item.get("group") or ""
    if not isinstance(group, str) or len(group) > 200:
        return "the group must be text of at most 200 characters"
    score = item.get("prediction_score")
    if score is not None and (not isinstance(score, (int, float)) or isinstance(score, bool)):
        return f"prediction_score must be a number, not {score!r}"
    feedback_type = import_feedback_type(kind=kind, item=item)
    task_input, answers = item["input"], {"result": item.get("result"), "prediction": item.get("prediction")}
    if feedback_type == FeedbackType.PREFERENCE:
        return _preference_problem(task_input, answers)
    if feedback_type != kind.feedback_type:
        return f"{kind.name} takes {kind.feedback_type!r} or 'preference' items, not {feedback_type!r}"
    if kind.task_type in _TEXT_INPUT:
        if not isinstance(task_input, str) or not task_input.strip():
            return "the input must be non-empty text"
    elif not isinstance(task_input, dict):
        return f"a {kind.task_type} input is a JSON object"
    if answers["result"] is not None and (problem := _rating_problem(feedback_type, answers["result"])):
        return problem
    for field, answer in answers.items():
        problem = None if answer is None else _answer_problem(kind, task_input, answer)
        if problem:
            return problem if field == "result" else f"prediction: {problem}"
    return None


def items_import(*, kind: str, items, accepted: bool, user=None, project: AnnotationProject | None = None, dry_run: bool = False) -> dict:
    """Store parsed items as tasks of a kind, all or none.

    Items are `{"input", "group", "result"?, "prediction"?, "prediction_score"?, "feedback_type"?, "where"?}`.
    With `accepted`, an item with a result becomes an accepted task with an accepted annotation (no annotator,
    reviewed by `user`): a public labelled dataset. Otherwise, and for items without a result, an open task
    to annotate, pre-filled with the prediction (or, lacking one, the item's result as a suggestion).
    With `dry_run`, everything is checked and counted and nothing is written.
    """
    if user is not None and not access.has_role(user, "reviewer"):
        raise PermissionDenied("Importing annotations is for reviewers.")
    model_kind = _model_kind(kind)
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
            tasks.append(AnnotationTask(
                project=project, kind=kind, feedback_type=feedback_type, input=item["input"], group=item.get("group") or "",
                prediction=prediction if accept or prediction is not None else result,
                prediction_score=item.get("prediction_score"), prediction_model=str(item.get("prediction_model") or "")[:200],
                external_id=str(item.get("external_id") or "")[:200], personal=model_kind.personal_data,
                source=AnnotationTask.Source.IMPORT, status=Status.ACCEPTED if accept else Status.OPEN,
                accepted_at=now if accept else None,
            ))
        tasks = AnnotationTask.objects.bulk_create(tasks, batch_size=500)
        Annotation.objects.bulk_create(
            [
                Annotation(
                    task=task, annotator=None, external_annotator=str(item.get("annotator_ref") or "")[:200],
                    result=item["result"], parent_prediction=task.prediction,
                    changed=item["result"] != task.prediction, status=Annotation.Status.ACCEPTED,
                    reviewer=user, review_comment="imported", reviewed_at=now,
                )
                for task, item in zip(tasks, items) if task.status == Status.ACCEPTED
            ],
            batch_size=500,
        )
    counts["project"] = project.pk
    return counts


def annotations_import(
    *, format: str, stream, kind: str, accepted: bool, user=None, project: AnnotationProject | None = None,
    labels=None, dry_run: bool = False,
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
    model_kind = _model_kind(kind)
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
    *, stream, format: str, kind: str, accepted: bool, user=None, project: str | None = None, labels=None, dry_run: bool = False,
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
            _model_kind(kind)
            target = AnnotationProject.objects.get_or_create(kind=kind, name=project)[0]
            if blind is not None and target.blind != blind:
                target.blind = blind
                target.save(update_fields=["blind"])
        counts = annotations_import(
            format=format, stream=stream, kind=kind, accepted=accepted, user=user, project=target, labels=labels, dry_run=dry_run,
        )
        if dry_run:
            transaction.set_rollback(True)
            counts["project"] = None
    return counts


def _mapped_items(items: list[dict], *, mapping: dict, kind: K.ModelKind, unmapped: Counter, skipped: list) -> list[dict]:
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
        "skipped": importer.skipped[:_PROBLEMS_SHOWN] + ([f"... and {len(importer.skipped) - _PROBLEMS_SHOWN} more"]
                                                        if len(importer.skipped) > _PROBLEMS_SHOWN else []),
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
        lines.append(f"{n} span{_s(n)} whose quoted text differs from the text at {'their' if n != 1 else 'its'} offsets "
                     f"only in whitespace: offsets kept.")
    if report.get("unmapped_labels"):
        listed = ", ".join(f"{label} ({n})" for label, n in report["unmapped_labels"].items())
        lines.append(f"Labels with no mapping, left out: {listed}.")
    if report.get("predictions"):
        lines.append(f"{report['predictions']} prediction{_s(report['predictions'])} imported as pre-annotations, with model version and score.")
    if report.get("drafts_ignored"):
        lines.append(f"{report['drafts_ignored']} draft{_s(report['drafts_ignored'])} (never submitted) not imported.")
    if report.get("cancelled_ignored"):
        lines.append(f"{report['cancelled_ignored']} cancelled annotation{_s(report['cancelled_ignored'])} not imported.")
    if report.get("tasks_with_several_annotations"):
        n = report["tasks_with_several_annotations"]
        lines.append(f"{n} item{_s(n)} had several annotations: the ground truth, "
                     f"else the latest, was taken.")
    if "labelstudio_agreement_mean" in report:
        lines.append(f"Label Studio's agreement over these items: {report['labelstudio_agreement_mean']}%.")
    lines.extend(f"Skipped {reason}" for reason in report.get("skipped", []))
    return lines


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
                raise ValidationError({"filters": [f"'{edge}' is a date like 2026-01-31, not {filters[edge]!r}."]}) from None
    if "label" in filters and kind.labels and filters["label"] not in kind.labels:
        raise ValidationError({"filters": [f"{kind.name} has no label {filters['label']!r}; it knows {list(kind.labels)}."]})
    return filters


def _has_label(result, label: str) -> bool:
    if isinstance(result, str):
        return result == label
    if isinstance(result, list):
        return any(item == label or (isinstance(item, list) and len(item) == 3 and item[2] == label) for item in result)
    return False


def _filtered_rows(rows, *, kind: str, filters: dict):
    """Rows that pass the filters; the database picks the tasks, the label is read from each answer."""
    import datetime

    from django.db.models import Q
    from django.db.models.functions import Coalesce, TruncDate

    db_filters = {k: v for k, v in filters.items() if k != "label"}
    allowed = None
    if db_filters:
        tasks = AnnotationTask.objects.filter(kind=kind)
        if "status" in db_filters:
            tasks = tasks.filter(status__in=db_filters["status"])
        if "annotator" in db_filters:
            who = db_filters["annotator"]
            tasks = tasks.filter(Exists(Annotation.objects.filter(task=OuterRef("pk")).filter(
                Q(annotator__username=who) | Q(external_annotator=who) | Q(external_annotator=f"labelstudio:{who}"))))
        if "since" in db_filters or "until" in db_filters:
            tasks = tasks.annotate(day=TruncDate(Coalesce("accepted_at", "created_at")))
            if "since" in db_filters:
                tasks = tasks.filter(day__gte=datetime.date.fromisoformat(db_filters["since"]))
            if "until" in db_filters:
                tasks = tasks.filter(day__lte=datetime.date.fromisoformat(db_filters["until"]))
        allowed = set(tasks.values_list("pk", flat=True))
    for row in rows:
        if allowed is not None and row["task"] not in allowed:
            continue
        if "label" in filters and not _has_label(row["result"] if row["result"] is not None else row["prediction"], filters["label"]):
            continue
        yield row


def annotations_export(
    *, format: str, kind: str, path, scope: str = "accepted", options: dict | None = None, user=None, filters: dict | None = None,
) -> int:
    """Write a kind's annotations to `path` in a registered export format, streaming rows; returns rows written.

    The file (or folder) appears whole or not at all: it is written beside the target and moved into place.
    """
    import os
    import shutil


    model_kind, options = _model_kind(kind), dict(options or {})
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
    *, user, kind: str, format: str, scope: str = "accepted", options: dict | None = None, filters: dict | None = None,
) -> ExportJob:
    """Queue an export of a kind; a Celery job writes the file, the job row says how it went."""
    from annotation.tasks import export_build

    if not access.has_role(user, "reviewer"):
        raise PermissionDenied("Exporting annotations is for reviewers.")
    options = dict(options or {})
    model_kind = _model_kind(kind)
    _exporter_for(format, model_kind, options, scope)
    filters = export_filters_clean(filters, model_kind)
    job = ExportJob.objects.create(kind=kind, format=format, scope=scope, options=options, filters=filters, requested_by=user)

    def enqueue():
        try:
            export_build.delay(job.pk)
        except Exception as exc:  # the broker is down: say so on the job rather than leave it queued forever
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportJob.Status.FAILED, error=f"could not queue the export: {exc}", finished_at=timezone.now()
            )

    transaction.on_commit(enqueue)
    return job


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def export_job_build(*, job_id: int) -> ExportJob:
    """Build a queued export under MEDIA_ROOT/exports/ and record rows, size and status, or the reason it failed."""
    import logging
    import re
    import shutil



    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.status in (ExportJob.Status.SUCCEEDED, ExportJob.Status.FAILED):
            return job  # a redelivered message: the export already ran
        job.status, job.started_at, job.error = ExportJob.Status.RUNNING, timezone.now(), ""
        job.save(update_fields=["status", "started_at", "error"])
    media = Path(settings.MEDIA_ROOT)
    exporter = EXPORTERS.get(job.format)
    extension = exporter.extension if exporter else ""
    safe_kind = re.sub(r"[^\w.-]", "-", job.kind)
    target = media / "exports" / f"{job.pk}-{safe_kind}-{job.format}{extension}"
    try:
        job.rows = annotations_export(
            format=job.format, kind=job.kind, path=target, scope=job.scope, options=job.options, user=job.requested_by,
            filters=job.filters,
        )
        if exporter.folder:  # a folder downloads as one zip archive of it
            archive = Path(shutil.make_archive(str(target), "zip", root_dir=target))
            shutil.rmtree(target)
            target = archive
        job.file.name = target.relative_to(media).as_posix()
        job.size_bytes = target.stat().st_size
        job.status = ExportJob.Status.SUCCEEDED
    except Exception as exc:
        logging.getLogger(__name__).exception("export job %s failed", job.pk)
        job.status, job.error = ExportJob.Status.FAILED, _failure_reason(exc)[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["rows", "file", "size_bytes", "status", "error", "finished_at"])
    return job
