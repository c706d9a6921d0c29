"""Annotation pages: the queue, one annotate screen per feedback type, review, the dashboard; thin over the services.

Personal inputs are shown as `selectors.task_input_for` gives them (masked for everyone but their owner).
"""
import copy
import difflib
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from annotation import selectors, webhooks
from annotation.services import imports as import_services
from annotation.services import queue as queue_services
from annotation.services import review as review_services
from annotation.forms import (
    AdjudicateForm,
    AnswerForm,
    ImportForm,
    ReviewForm,
    SkipForm,
    StartForm,
    WebhookForm,
)
from annotation.models import Annotation, AnnotationTask, Assignment, FeedbackType, Webhook, WebhookDelivery
from suite import access
from suite.forms import add_service_errors
from suite import roles as R
from suite.ml import kinds as K

Status = AnnotationTask.Status
REVIEW_PAGE_SIZE = 10
SKIP_REASONS = ("Unclear or ambiguous", "Not enough context", "Not my language or domain", "Broken or empty input")


def _model_kind(name: str) -> K.ModelKind | None:
    try:
        return K.get_kind(name)
    except K.UnknownKind:
        return None


# --- the queue ---------------------------------------------------------------------------------


def _queue_overview() -> list[dict]:
    """Per kind with tasks: how many are open, in review and accepted (a read the selectors do not have yet)."""
    rows = (
        AnnotationTask.objects.values("kind")
        .annotate(
            open=Count("id", filter=Q(status=Status.OPEN)),
            in_review=Count("id", filter=Q(status=Status.IN_REVIEW)),
            accepted=Count("id", filter=Q(status=Status.ACCEPTED)),
        )
        .order_by("kind")
    )
    overview = []
    for row in rows:
        kind = _model_kind(row["kind"])
        overview.append({**row, "description": kind.description if kind else "", "feedback_type": kind.feedback_type if kind else ""})
    return overview


def _item_in_progress(user) -> AnnotationTask | None:
    """The open item already assigned to `user`, which the queue hands out again before anything else."""
    assignment = (
        Assignment.objects.filter(annotator=user, status=Assignment.Status.ASSIGNED, task__status=Status.OPEN)
        .select_related("task").first()
    )
    return assignment.task if assignment else None


@access.role_required(R.ANNOTATOR, R.REVIEWER)
def index(request):
    context = {
        "kinds": _queue_overview(),
        "in_progress": _item_in_progress(request.user),
        "is_reviewer": access.has_role(request.user, R.REVIEWER),
    }
    return render(request, "annotation/index.html", context)


def _to_next(request, *, kind: str | None):
    """Take the next item (of `kind`, when given) and open it; an empty queue goes home with a message."""
    task = queue_services.task_next(user=request.user, kind=kind)
    if task is None:
        messages.info(request, f"No {kind} items are waiting for you: the queue is empty." if kind
                      else "No items are waiting for you: the queue is empty.")
        return redirect("annotation:index")
    return redirect("annotation:task", pk=task.pk)


@access.role_required(R.ANNOTATOR, R.REVIEWER)
@require_POST
def start(request):
    form = StartForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    return _to_next(request, kind=kind or None)


# --- the annotate screen -----------------------------------------------------------------------


def _task_and_assignment(request, pk: int) -> tuple[AnnotationTask, Assignment]:
    """A task and its assignment to the requesting annotator; 404 when it was never theirs."""
    task = get_object_or_404(AnnotationTask.objects.select_related("prediction_version", "project"), pk=pk)
    assignment = Assignment.objects.filter(task=task, annotator=request.user).first()
    if assignment is None:
        raise Http404("This item is not assigned to you.")
    return task, assignment


def _masked_like_input(task: AnnotationTask, value, user):
    """`value` (an answer or suggestion with free text in it) masked the way the task's input is for `user`."""
    if not task.personal or value is None or isinstance(value, (int, float, bool)):
        return value
    stand_in = copy.copy(task)
    stand_in.input = value
    return selectors.task_input_for(task=stand_in, user=user)


def _is_masked(task: AnnotationTask, user) -> bool:
    return task.personal and task.subject_owner_id != user.pk


def _input_view(shown) -> dict:
    """An input in a shape a template can show: one text, named fields, or a list."""
    if isinstance(shown, str):
        return {"text": shown}
    if isinstance(shown, dict):
        return {"fields": [
            {"name": name, "items": [_plain(v) for v in value]} if isinstance(value, list) else {"name": name, "text": _plain(value)}
            for name, value in shown.items()
        ]}
    if isinstance(shown, list):
        return {"items": [item if isinstance(item, str) else _plain(item) for item in shown]}
    return {"text": _plain(shown)}


def _plain(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return "" if value is None else str(value)


def _suggestion_text(task: AnnotationTask, suggestion, shown) -> str | None:
    """The suggestion as a person reads it, for the summary line above the editor."""
    if suggestion is None:
        return None
    feedback = task.feedback_type
    if feedback == FeedbackType.PREFERENCE and isinstance(suggestion, dict) and "chosen" in suggestion:
        return f"option {suggestion['chosen'] + 1}"
    if feedback == FeedbackType.SPANS and isinstance(suggestion, list):
        return f"{len(suggestion)} span{'s' if len(suggestion) != 1 else ''}" if suggestion else "no spans"
    if feedback == FeedbackType.CORRECTION and isinstance(suggestion, dict):
        sentences = shown.get("sentences", []) if isinstance(shown, dict) else []
        return " ".join(sentences[i] for i in suggestion.get("selected", []) if 0 <= i < len(sentences)) or "no sentences"
    if isinstance(suggestion, list):
        return ", ".join(map(str, suggestion)) or "none"
    return str(suggestion)


def _editor_context(task: AnnotationTask, kind: K.ModelKind | None, shown, suggestion) -> dict:
    """What the feedback type's template shows: labels, sentences, options or ratings, pre-filled with the suggestion."""
    feedback = task.feedback_type
    labels = list(kind.labels) if kind else []
    context = {
        "labels": [
            {"value": label, "number": n if n <= 9 else None, "hue": (n - 1) % 5,
             "suggested": label == suggestion or (isinstance(suggestion, list) and label in suggestion)}
            for n, label in enumerate(labels, 1)
        ],
        "correction_mode": "",
    }
    if feedback == FeedbackType.CORRECTION:
        sentences = shown.get("sentences") if isinstance(shown, dict) else None
        if isinstance(sentences, list):
            chosen = suggestion.get("selected", []) if isinstance(suggestion, dict) else []
            context["correction_mode"] = "sentences"
            context["sentences"] = [
                {"number": i + 1, "index": i, "text": text, "suggested": i in chosen} for i, text in enumerate(sentences)
            ]
            context["correction_text"] = " ".join(sentences[i] for i in chosen if isinstance(i, int) and 0 <= i < len(sentences))
        else:
            context["correction_mode"] = "text"
            context["correction_text"] = suggestion if isinstance(suggestion, str) else ""
    elif feedback == FeedbackType.PREFERENCE and isinstance(shown, dict):
        context["prompt"] = shown.get("prompt", "")
        context["options"] = [{"number": i + 1, "index": i, "text": o} for i, o in enumerate(shown.get("options", []))]
        context["chosen"] = suggestion.get("chosen") if isinstance(suggestion, dict) else None
    elif feedback == FeedbackType.RATING:
        context["ratings"] = [{"value": r, "suggested": r == suggestion} for r in (1, 2, 3, 4, 5)]
    return context


SENTENCES_AROUND = 2  # neighbours kept in view on each side of a sentence that matters
LONG_SENTENCE_LIST = 12  # up to this many, every sentence stays in view


def _sentence_blocks(sentences: list[dict], focus: set[int]) -> list[dict]:
    """Sentences in view (the suggested and disputed ones with their neighbours) and folded runs between them."""
    if len(sentences) <= LONG_SENTENCE_LIST or not focus:
        return [{"folded": False, "sentences": sentences}]
    keep = {i for f in focus for i in range(f - SENTENCES_AROUND, f + SENTENCES_AROUND + 1)}
    blocks: list[dict] = []
    for sentence in sentences:
        folded = sentence["index"] not in keep
        if blocks and blocks[-1]["folded"] == folded:
            blocks[-1]["sentences"].append(sentence)
        else:
            blocks.append({"folded": folded, "sentences": [sentence]})
    return blocks


def _version_name(task: AnnotationTask) -> str:
    if task.prediction_version_id:
        return f"v{task.prediction_version.number}"
    if task.prediction_model:
        return task.prediction_model
    if task.source == AnnotationTask.Source.IMPORT:
        return "imported with the item"
    return "the untrained default model"


def _flag_context(task: AnnotationTask, shown, user, *, blind: bool) -> dict:
    """What the people who flagged the output said: reason, comment, proposed answer, and what they disputed."""
    flags = list(task.flags.all()[:5]) if task.flag_count else []
    sentences = shown.get("sentences") if isinstance(shown, dict) and isinstance(shown.get("sentences"), list) else None
    reports, proposed_sentences = [], set()
    for flag in flags:
        proposed = None
        if flag.correction is not None and not blind:
            correction = _masked_like_input(task, flag.correction, user)
            if isinstance(correction, dict) and "selected" in correction and sentences is not None:
                chosen = [i for i in correction["selected"] if isinstance(i, int) and 0 <= i < len(sentences)]
                proposed_sentences |= set(chosen)
                proposed = f"sentences {', '.join(str(i + 1) for i in chosen)}" if chosen else "no sentences"
            else:
                proposed = _plain(correction) if not isinstance(correction, dict) else _plain(list(correction.values()))
        reports.append({
            "reason": flag.get_reason_display(), "comment": _masked_like_input(task, flag.comment, user) or "",
            "proposed": proposed, "at": flag.created_at,
        })
    prediction = task.prediction
    disputed = {"label": "", "sentences": set()}
    if flags and prediction is not None:
        if isinstance(prediction, dict) and "selected" in prediction and sentences is not None:
            model_chosen = {i for i in prediction["selected"] if isinstance(i, int)}
            # The sentences the person would drop or add; with no proposal, everything the model chose is in dispute.
            disputed["sentences"] = (model_chosen ^ proposed_sentences) if proposed_sentences else model_chosen
        elif task.feedback_type == FeedbackType.CLASSIFICATION:
            disputed["label"] = _plain(prediction) or "no label"
        elif task.feedback_type == FeedbackType.CORRECTION and isinstance(prediction, str):
            disputed["label"] = "the reply or text the model wrote (shown as the suggestion)"
    return {"reports": reports, "disputed": disputed}


def _posted_answer(form: AnswerForm | None):
    """The answer a bound form carried (read from the post: a refused field leaves cleaned_data), or None."""
    if form is None or not form.is_bound or form.data.get("accept"):
        return None
    try:
        return form.fields["result"].to_python(form.data.get("result"))
    except ValidationError:
        return None


def _task_page(request, task: AnnotationTask, *, answer_form=None, skip_form=None, status=200):
    user, feedback = request.user, task.feedback_type
    kind = _model_kind(task.kind)
    shown = selectors.task_input_for(task=task, user=user)
    masked = _is_masked(task, user)
    # Suggested text (a correction) may quote the input, so it is masked like the input; labels and offsets are not text.
    suggestion = _masked_like_input(task, task.prediction, user) if feedback == FeedbackType.CORRECTION else task.prediction
    blind = task.project.blind
    if task.hides_suggestion:
        suggestion = None
    editor = _editor_context(task, kind, shown, suggestion)
    flagged = _flag_context(task, shown, user, blind=blind)
    if editor.get("sentences"):
        for sentence in editor["sentences"]:
            sentence["disputed"] = sentence["index"] in flagged["disputed"]["sentences"]
        focus = {s["index"] for s in editor["sentences"] if s["suggested"] or s["disputed"]}
        editor["sentence_blocks"] = _sentence_blocks(editor["sentences"], focus)
    config = {
        "task": task.pk,
        "feedback_type": feedback,
        "labels": list(kind.labels) if kind else [],
        "multilabel": bool(kind and kind.task_type == K.MULTILABEL),
        "input": shown,
        "suggestion": suggestion,
        # Spans tasks are masked with stand-ins of the same length (annotation.privacy), so offsets still fit.
        "editable": True,
        "correction_mode": editor["correction_mode"],
        # A refused answer comes back as it was given, so the annotator fixes it rather than starting over.
        "answer": _posted_answer(answer_form),
    }
    context = {
        **editor,
        "task": task,
        "kind": kind,
        "input": _input_view(shown),
        "masked": masked,
        "config": config,
        "suggestion_text": _suggestion_text(task, suggestion, shown),
        "answer_form": answer_form or AnswerForm(task=task),
        "skip_form": skip_form or SkipForm(),
        "skip_reasons": SKIP_REASONS,
        "flags": flagged["reports"],
        "disputed": flagged["disputed"],
        "model_name": _version_name(task),
        "blind": blind,
    }
    template = f"annotation/task_{feedback}.html" if feedback in FeedbackType.values else "annotation/task_classification.html"
    return render(request, template, context, status=status)


@never_cache
@access.role_required(R.ANNOTATOR, R.REVIEWER)
def task_detail(request, pk: int):
    task, assignment = _task_and_assignment(request, pk)
    if assignment.status != Assignment.Status.ASSIGNED:
        messages.info(request, f"You already {assignment.status} item #{task.pk}.")
        return redirect("annotation:index")
    return _task_page(request, task)


@access.role_required(R.ANNOTATOR, R.REVIEWER)
@require_POST
def task_submit(request, pk: int):
    task, _ = _task_and_assignment(request, pk)
    form = AnswerForm(request.POST, task=task)
    if form.is_valid():
        try:
            queue_services.annotation_submit(
                task=task, user=request.user, result=form.cleaned_data["result"], seconds_spent=form.cleaned_data["seconds_spent"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Item #{task.pk} submitted.")
            return _to_next(request, kind=task.kind)
    return _task_page(request, task, answer_form=form, status=400)


@access.role_required(R.ANNOTATOR, R.REVIEWER)
@require_POST
def task_skip(request, pk: int):
    task, _ = _task_and_assignment(request, pk)
    form = SkipForm(request.POST)
    if form.is_valid():
        try:
            queue_services.task_skip(task=task, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.info(request, f"Item #{task.pk} skipped.")
            return _to_next(request, kind=task.kind)
    return _task_page(request, task, skip_form=form, status=400)


# --- review ------------------------------------------------------------------------------------


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level changes from `before` to `after`: ("=" | "-" | "+", words)."""
    a, b = before.split(), after.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("-", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("+", " ".join(b[j1:j2])))
    return out


def _span_segments(text: str, spans: list, labels: tuple = ()) -> list[dict]:
    """`text` cut into pieces, each either plain or inside one span (overlapping spans: the earlier wins)."""
    pieces, cursor = [], 0
    for start, end, label in sorted((s[0], s[1], s[2]) for s in spans if isinstance(s, list) and len(s) >= 3):
        if start < cursor or end > len(text):
            continue
        if start > cursor:
            pieces.append({"text": text[cursor:start]})
        pieces.append({"text": text[start:end], "label": label, "hue": labels.index(label) % 5 if label in labels else 0})
        cursor = end
    pieces.append({"text": text[cursor:]})
    return [p for p in pieces if p["text"]]


def _answer_view(task: AnnotationTask, result, *, shown, masked: bool, suggestion, user) -> dict:
    """An answer in a shape the review template shows for its feedback type."""
    feedback = task.feedback_type
    if feedback == FeedbackType.CLASSIFICATION:
        return {"labels": result if isinstance(result, list) else [result]}
    if feedback == FeedbackType.RATING:
        return {"rating": result}
    if feedback == FeedbackType.PREFERENCE:
        options = shown.get("options", []) if isinstance(shown, dict) else []
        chosen = result.get("chosen") if isinstance(result, dict) else None
        if isinstance(chosen, int) and 0 <= chosen < len(options):
            return {"chosen": chosen + 1, "option": options[chosen]}
        return {"raw": result}
    if feedback == FeedbackType.SPANS:
        if not isinstance(shown, str) or not isinstance(result, list):
            return {"span_list": result}
        kind = _model_kind(task.kind)
        return {"segments": _span_segments(shown, result, kind.labels if kind else ()), "count": len(result)}
    if feedback == FeedbackType.CORRECTION:
        if isinstance(result, dict):
            sentences = shown.get("sentences", []) if isinstance(shown, dict) else []
            chosen = [i for i in result.get("selected", []) if isinstance(i, int) and 0 <= i < len(sentences)]
            return {"sentences": [(i + 1, sentences[i]) for i in chosen], "reference": result.get("reference")}
        text = _masked_like_input(task, result, user) if masked else result
        before = suggestion if isinstance(suggestion, str) else ""
        return {"text": text, "diff": _word_diff(before, str(text)) if before else None}
    return {"raw": result}


def _review_items(request, tasks, *, bound_adjudication=None) -> list[dict]:
    items = []
    for task in tasks:
        user = request.user
        shown = selectors.task_input_for(task=task, user=user)
        masked = _is_masked(task, user)
        suggestion = _masked_like_input(task, task.prediction, user) if task.feedback_type == FeedbackType.CORRECTION else task.prediction
        annotations = []
        for annotation in task.annotations.all():
            annotations.append({
                "annotation": annotation,
                "mine": annotation.annotator_id == user.pk,
                "reviewable": annotation.status == Annotation.Status.SUBMITTED,
                "answer": _answer_view(task, annotation.result, shown=shown, masked=masked, suggestion=suggestion, user=user),
            })
        adjudication = bound_adjudication if bound_adjudication is not None and bound_adjudication.task.pk == task.pk else None
        items.append({
            "task": task,
            "input": _input_view(shown),
            "masked": masked,
            "suggestion": None if task.prediction is None else _answer_view(task, suggestion, shown=shown, masked=masked, suggestion=None, user=user),
            "annotations": annotations,
            "adjudicate_form": adjudication or AdjudicateForm(task=task, initial=AdjudicateForm.initial_for(task), auto_id=f"adjudicate-{task.pk}-%s"),
        })
    return items


def _review_url(kind: str | None, page: str | None = None) -> str:
    query = {k: v for k, v in (("kind", kind), ("page", page)) if v}
    return reverse("annotation:review") + (f"?{urlencode(query)}" if query else "")


def _review_page(request, *, kind=None, page=None, errors=(), bound_adjudication=None, status=200):
    kind = kind if kind is not None else (request.GET.get("kind") or None)
    queue = selectors.review_queue(kind=kind).select_related("prediction_version").prefetch_related("annotations__annotator")
    paginator = Paginator(queue.order_by("created_at", "id"), REVIEW_PAGE_SIZE)
    page_obj = paginator.get_page(page if page is not None else request.GET.get("page"))
    kinds = sorted(set(AnnotationTask.objects.filter(status=Status.IN_REVIEW).values_list("kind", flat=True)))
    context = {
        "items": _review_items(request, page_obj.object_list, bound_adjudication=bound_adjudication),
        "page_obj": page_obj,
        "kind": kind or "",
        "kinds": kinds,
        "errors": errors,
        "here": _review_url(kind, str(page_obj.number) if page_obj.number > 1 else None),
    }
    return render(request, "annotation/review.html", context, status=status)


@never_cache
@access.role_required(R.REVIEWER)
def review(request):
    return _review_page(request)


def _posted_place(request) -> tuple[str | None, str | None]:
    """The review page a form was posted from (its kind filter and page), to return to it."""
    return (request.POST.get("kind") or None), (request.POST.get("page") or None)


@access.role_required(R.REVIEWER)
@require_POST
def annotation_review(request, pk: int):
    annotation = get_object_or_404(Annotation.objects.select_related("task"), pk=pk)
    kind, page = _posted_place(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        errors = [m for messages_ in form.errors.values() for m in messages_]
        return _review_page(request, kind=kind, page=page, errors=errors, status=400)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        review_services.annotation_review(
            annotation=annotation, reviewer=request.user, accept=accept, comment=form.cleaned_data["comment"]
        )
    except PermissionDenied as exc:
        return _review_page(request, kind=kind, page=page, errors=[str(exc)], status=403)
    except ValidationError as exc:
        return _review_page(request, kind=kind, page=page, errors=exc.messages, status=400)
    who = annotation.annotator.get_username() if annotation.annotator else "an importer"
    messages.success(request, f"{'Accepted' if accept else 'Rejected'} {who}'s answer to item #{annotation.task_id}.")
    return redirect(_review_url(kind, page))


@access.role_required(R.REVIEWER)
@require_POST
def task_adjudicate(request, pk: int):
    task = get_object_or_404(AnnotationTask, pk=pk)
    kind, page = _posted_place(request)
    form = AdjudicateForm(request.POST, task=task, auto_id=f"adjudicate-{task.pk}-%s")
    if form.is_valid():
        try:
            review_services.task_adjudicate(
                task=task, reviewer=request.user, result=form.cleaned_data["result"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Item #{task.pk} adjudicated: your answer is the accepted one.")
            return redirect(_review_url(kind, page))
    errors = [f"Item #{task.pk}: {message}" for field_errors in form.errors.values() for message in field_errors]
    return _review_page(request, kind=kind, page=page, bound_adjudication=form, errors=errors, status=400)


# --- dashboard ---------------------------------------------------------------------------------

# Chart geometry (SVG user units); the charts scale to their box.
CHART_WIDTH = 560
BAR_LABEL_MIN, BAR_RIGHT, BAR_HEIGHT, BAR_GAP, GROUP_GAP, CHART_TOP = 60, 60, 12, 2, 12, 8
LINE_HEIGHT, LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 220, 44, 16, 12, 30


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bar_chart(rows: list[dict], *, label: str, series: list[tuple[str, str]], scale_max: float | None = None, percent=False,
               width: int = CHART_WIDTH) -> dict:
    """Horizontal grouped bars: one group per row, one bar per (key, css class) in `series`."""
    values = [row.get(key) or 0 for row in rows for key, _ in series]
    top = scale_max or max(values + [0]) or 1
    left = min(max(BAR_LABEL_MIN, 14 + 7 * max(len(str(row[label])) for row in rows)), width // 2)  # room for the longest name
    span = width - left - BAR_RIGHT
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    bars, labels, y = [], [], CHART_TOP
    for row in rows:
        labels.append({"y": y + group_height / 2, "text": str(row[label]), "x": left - 8})
        for key, css in series:
            value = row.get(key) or 0
            length = span * value / top
            bars.append({
                "x": left, "y": y, "w": f"{max(length, 0.5 if value else 0):.1f}", "h": BAR_HEIGHT, "css": css,
                "value_x": f"{left + length + 4:.1f}", "value": _number(value, percent), "title": f"{row[label]} · {key}: {_number(value, percent)}",
            })
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    return {"width": width, "height": max(y + CHART_TOP - GROUP_GAP, 40), "left": left, "bars": bars, "labels": labels,
            "axis_bottom": y - GROUP_GAP + BAR_GAP + 2, "series": series}


def _daily_series(daily: list[dict]) -> list[dict]:
    """Every day from the first to the last with a count, the days without one as zeros."""
    if not daily:
        return []
    by_day = {row["date"]: row for row in daily}
    first, last = date.fromisoformat(daily[0]["date"]), date.fromisoformat(daily[-1]["date"])
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    return [by_day.get(d, {"date": d, "submitted": 0, "accepted": 0}) for d in days]


def _line_chart(days: list[dict], series: list[tuple[str, str]], *, unit: str = "") -> dict:
    """Lines over days: one polyline per (key, css class), with y ticks at 0, half and the top."""
    if not days:
        return {"width": CHART_WIDTH, "height": LINE_HEIGHT, "lines": [], "middle": CHART_WIDTH / 2}
    top = max([row[key] for row in days for key, _ in series if row.get(key) is not None] + [1])
    top += top % 2 if top > 1 else 0  # an even top keeps the middle tick a whole number
    width, height = CHART_WIDTH - LINE_LEFT - LINE_RIGHT, LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    n = len(days)

    def x(i):
        return LINE_LEFT + (width * i / (n - 1) if n > 1 else width / 2)

    def y(v):
        return LINE_TOP + height * (1 - v / top)

    lines = []
    for key, css in series:
        # A day without a value (a version that served nothing that day) leaves no point.
        points = [{"x": f"{x(i):.1f}", "y": f"{y(row[key]):.1f}", "title": f"{row['date']}: {row[key]} {unit or key}"}
                  for i, row in enumerate(days) if row.get(key) is not None]
        lines.append({"css": css, "key": key, "polyline": " ".join(f"{p['x']},{p['y']}" for p in points), "points": points})
    step = max(1, -(-n // 6))
    return {
        "width": CHART_WIDTH, "height": LINE_HEIGHT, "left": LINE_LEFT, "right": CHART_WIDTH - LINE_RIGHT,
        "top": LINE_TOP, "bottom": LINE_HEIGHT - LINE_BOTTOM, "lines": lines,
        "yticks": [{"y": f"{y(v):.1f}", "label": f"{v:g}"} for v in sorted({0, top // 2, top})],
        "xticks": [{"x": f"{x(i):.1f}", "label": days[i]["date"][5:]} for i in range(0, n, step)],
        "label_y": LINE_HEIGHT - LINE_BOTTOM + 16,
    }


FLAG_SERIES_CSS = ("s0", "s1", "s2", "s3", "s4", "s5")


def _flag_rate_days(rows: list[dict]) -> tuple[list[dict], list[tuple[str, str]]]:
    """Daily flag rate (percent) per kind and version: one series per version, days in order."""
    names = []
    by_day: dict[str, dict] = {}
    for r in rows:
        name = f"{r['kind']} v{r['version']}" if r["version"] is not None else f"{r['kind']} default"
        if name not in names:
            names.append(name)
        by_day.setdefault(r["date"], {"date": r["date"]})[name] = round(100 * r["rate"], 1)
    series = [(name, FLAG_SERIES_CSS[i % len(FLAG_SERIES_CSS)]) for i, name in enumerate(names)]
    return [by_day[d] for d in sorted(by_day)], series


AGREEMENT_ROWS = (
    ("cohen_kappa", "Cohen's kappa", "mean over annotator pairs, label items"),
    ("fleiss_kappa", "Fleiss' kappa", "items with the same number of annotators"),
    ("krippendorff_alpha", "Krippendorff's alpha", "ratings, interval level"),
    ("span_f1", "Span F1", "between the first two annotators of a spans item"),
)


def _agreement_row(name: str, title: str, help_text: str, value: float | None) -> dict:
    """A measure with where it sits on its meter (-1..1, or 0..1 for F1) and how good it reads (0.6 and up: substantial)."""
    row = {"name": name, "title": title, "help": help_text, "value": value, "signed": name != "span_f1"}  # F1 runs 0..1
    if value is not None:
        share = (max(-1.0, min(1.0, value)) + 1) / 2 if row["signed"] else max(0.0, min(1.0, value))
        row["x"] = f"{4 + 92 * share:.1f}"
        row["quality"] = "good" if value >= 0.6 else "fair" if value >= 0.2 else "poor"
    return row


@never_cache
@access.role_required(R.REVIEWER)
def dashboard(request):
    kind = request.GET.get("kind") or None
    data = selectors.annotation_dashboard(kind=kind)
    throughput = data["throughput"]
    flag_rates = [{**row, "name": f"{row['kind']} v{row['version']}" if row["version"] is not None else f"{row['kind']} default"}
                  for row in data["flag_rates"]]
    agreement = data["agreement"]
    flag_days, flag_series = _flag_rate_days(data["flag_rates_daily"])
    context = {
        "data": data,
        "kind": kind or "",
        "throughput_chart": _bar_chart(
            throughput, label="annotator",
            series=[("submitted", "submitted"), ("accepted", "accepted"), ("rejected", "rejected")],
        ) if throughput else None,
        "daily_chart": _line_chart(_daily_series(data["daily"]), [("submitted", "submitted"), ("accepted", "accepted")]),
        "flag_rates": flag_rates,
        "flag_daily_chart": _line_chart(flag_days, flag_series, unit="% flagged") if flag_days else None,
        "flag_series": flag_series,
        "flag_chart": _bar_chart(flag_rates, label="name", series=[("rate", "rate")], scale_max=max([r["rate"] for r in flag_rates] + [0]) or 1,
                                 percent=True, width=760)
        if flag_rates else None,
        "agreement_rows": [_agreement_row(name, title, help_text, agreement.get(name)) for name, title, help_text in AGREEMENT_ROWS],
        "items_with_overlap": agreement.get("items_with_overlap", 0),
    }
    return render(request, "annotation/dashboard.html", context)


# --- imports ---------------------------------------------------------------------------------------


@access.role_required(R.REVIEWER)
@never_cache
def import_page(request):
    """Upload a file in any registered format; a dry run shows the report first, then the same file imports."""
    form = ImportForm(request.POST or None, request.FILES or None)
    counts, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                counts = import_services.annotations_import_upload(
                    user=request.user, stream=data["file"].file, format=data["format"], kind=data["kind"],
                    accepted=data["accepted"], project=data["project"] or None, labels=data["labels"] or None,
                    dry_run=data["dry_run"], blind=True if data["blind"] else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc, rename={"items": "file"})
        if not form.is_valid() or form.errors:
            status = 400
    context = {"form": form, "counts": counts, "report_lines": import_services.import_report_lines(counts) if counts else []}
    return render(request, "annotation/import.html", context, status=status)


# --- webhooks --------------------------------------------------------------------------------------


@access.role_required(R.REVIEWER)
@never_cache
def webhooks_page(request):
    """Staff register URLs for events, pause or remove them, and read the delivery log with its status codes."""
    if not access.is_staff(request.user):
        raise PermissionDenied("Webhooks are for staff.")
    form, status = WebhookForm(), 200
    if request.method == "POST":
        action = request.POST.get("action", "create")
        if action == "create":
            form = WebhookForm(request.POST)
            if form.is_valid():
                try:
                    hook = webhooks.webhook_create(user=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, f"Webhook #{hook.pk} registered. Its signing secret: {hook.secret}")
                    return redirect("annotation:webhooks")
            status = 400
        else:
            hook = get_object_or_404(Webhook, pk=request.POST.get("webhook"))
            if action == "delete":
                webhooks.webhook_delete(user=request.user, webhook=hook)
                messages.info(request, f"Webhook #{hook.pk} removed.")
            elif action in ("pause", "resume"):
                webhooks.webhook_set_active(user=request.user, webhook=hook, active=action == "resume")
            return redirect("annotation:webhooks")
    deliveries = Paginator(WebhookDelivery.objects.select_related("webhook"), 25).get_page(request.GET.get("page"))
    context = {"form": form, "hooks": Webhook.objects.all(), "deliveries": deliveries}
    return render(request, "annotation/webhooks.html", context, status=status)
