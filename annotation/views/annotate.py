"""The annotate screen: one template per feedback type, pre-filled with the model's suggestion, with what the
people who flagged the output said; submit and skip go on to the next item."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from annotation.forms import AnswerForm, SkipForm
from annotation.models import AnnotationTask, Assignment, FeedbackType
from annotation.selectors.tasks import (
    task_assigned_to,
    task_input_for,
    task_is_masked_for,
    task_recent_flags,
    task_value_for,
)
from annotation.services import queue as queue_services
from annotation.views.queue import to_next
from annotation.views.shown import input_view, kind_or_none, plain
from suite import access
from suite import roles as R
from suite.forms import add_service_errors
from suite.ml import kinds as K

SKIP_REASONS = ("Unclear or ambiguous", "Not enough context", "Not my language or domain", "Broken or empty input")


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
        return (
            " ".join(sentences[i] for i in suggestion.get("selected", []) if 0 <= i < len(sentences)) or "no sentences"
        )
    if isinstance(suggestion, list):
        return ", ".join(map(str, suggestion)) or "none"
    return str(suggestion)


def _editor_context(task: AnnotationTask, kind: K.ModelKind | None, shown, suggestion) -> dict:
    """What the feedback type's template shows: labels, sentences, options or ratings, pre-filled with the
    suggestion."""
    feedback = task.feedback_type
    labels = list(kind.labels) if kind else []
    context = {
        "labels": [
            {
                "value": label,
                "number": n if n <= 9 else None,
                "hue": (n - 1) % 5,
                "suggested": label == suggestion or (isinstance(suggestion, list) and label in suggestion),
            }
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
                {"number": i + 1, "index": i, "text": text, "suggested": i in chosen}
                for i, text in enumerate(sentences)
            ]
            context["correction_text"] = " ".join(
                sentences[i] for i in chosen if isinstance(i, int) and 0 <= i < len(sentences)
            )
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
    flags = task_recent_flags(task=task)
    sentences = shown.get("sentences") if isinstance(shown, dict) and isinstance(shown.get("sentences"), list) else None
    reports, proposed_sentences = [], set()
    for flag in flags:
        proposed = None
        if flag.correction is not None and not blind:
            correction = task_value_for(task=task, user=user, value=flag.correction)
            if isinstance(correction, dict) and "selected" in correction and sentences is not None:
                chosen = [i for i in correction["selected"] if isinstance(i, int) and 0 <= i < len(sentences)]
                proposed_sentences |= set(chosen)
                proposed = f"sentences {', '.join(str(i + 1) for i in chosen)}" if chosen else "no sentences"
            else:
                proposed = plain(correction) if not isinstance(correction, dict) else plain(list(correction.values()))
        reports.append(
            {
                "reason": flag.get_reason_display(),
                "comment": task_value_for(task=task, user=user, value=flag.comment) or "",
                "proposed": proposed,
                "at": flag.created_at,
            }
        )
    prediction = task.prediction
    disputed = {"label": "", "sentences": set()}
    if flags and prediction is not None:
        if isinstance(prediction, dict) and "selected" in prediction and sentences is not None:
            model_chosen = {i for i in prediction["selected"] if isinstance(i, int)}
            # The sentences the person would drop or add; with no proposal, everything the model chose is in dispute.
            disputed["sentences"] = (model_chosen ^ proposed_sentences) if proposed_sentences else model_chosen
        elif task.feedback_type == FeedbackType.CLASSIFICATION:
            disputed["label"] = plain(prediction) or "no label"
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
    kind = kind_or_none(task.kind)
    shown = task_input_for(task=task, user=user)
    masked = task_is_masked_for(task=task, user=user)
    # Suggested text (a correction) may quote the input, so it is masked like it; labels and offsets are not text.
    suggestion = (
        task_value_for(task=task, user=user, value=task.prediction)
        if feedback == FeedbackType.CORRECTION
        else task.prediction
    )
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
        "input": input_view(shown),
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
    template = (
        f"annotation/task_{feedback}.html" if feedback in FeedbackType.values else "annotation/task_classification.html"
    )
    return render(request, template, context, status=status)


@never_cache
@access.role_required(R.ANNOTATOR, R.REVIEWER)
def task_detail(request, pk: int):
    task, assignment = task_assigned_to(user=request.user, pk=pk)
    if assignment.status != Assignment.Status.ASSIGNED:
        messages.info(request, f"You already {assignment.status} item #{task.pk}.")
        return redirect("annotation:index")
    return _task_page(request, task)


@access.role_required(R.ANNOTATOR, R.REVIEWER)
@require_POST
def task_submit(request, pk: int):
    task, _ = task_assigned_to(user=request.user, pk=pk)
    form = AnswerForm(request.POST, task=task)
    if form.is_valid():
        try:
            queue_services.annotation_submit(
                task=task,
                user=request.user,
                result=form.cleaned_data["result"],
                seconds_spent=form.cleaned_data["seconds_spent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Item #{task.pk} submitted.")
            return to_next(request, kind=task.kind)
    return _task_page(request, task, answer_form=form, status=400)


@access.role_required(R.ANNOTATOR, R.REVIEWER)
@require_POST
def task_skip(request, pk: int):
    task, _ = task_assigned_to(user=request.user, pk=pk)
    form = SkipForm(request.POST)
    if form.is_valid():
        try:
            queue_services.task_skip(task=task, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.info(request, f"Item #{task.pk} skipped.")
            return to_next(request, kind=task.kind)
    return _task_page(request, task, skip_form=form, status=400)
