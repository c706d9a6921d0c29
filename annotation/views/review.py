"""The review page: each item in review with every answer (a word diff for corrections), accept or reject each,
or adjudicate by writing the answer that counts."""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from annotation.forms import AdjudicateForm, ReviewForm
from annotation.models import Annotation, AnnotationTask, FeedbackType
from annotation.selectors.tasks import (
    annotation_get,
    review_kinds,
    review_queue,
    task_get,
    task_input_for,
    task_is_masked_for,
    task_value_for,
)
from annotation.services import review as review_services
from annotation.views.shown import input_view, kind_or_none
from suite import access
from suite import roles as R
from suite.forms import add_service_errors

REVIEW_PAGE_SIZE = 10


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
        pieces.append(
            {"text": text[start:end], "label": label, "hue": labels.index(label) % 5 if label in labels else 0}
        )
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
        kind = kind_or_none(task.kind)
        return {"segments": _span_segments(shown, result, kind.labels if kind else ()), "count": len(result)}
    if feedback == FeedbackType.CORRECTION:
        if isinstance(result, dict):
            sentences = shown.get("sentences", []) if isinstance(shown, dict) else []
            chosen = [i for i in result.get("selected", []) if isinstance(i, int) and 0 <= i < len(sentences)]
            return {"sentences": [(i + 1, sentences[i]) for i in chosen], "reference": result.get("reference")}
        text = task_value_for(task=task, user=user, value=result) if masked else result
        before = suggestion if isinstance(suggestion, str) else ""
        return {"text": text, "diff": _word_diff(before, str(text)) if before else None}
    return {"raw": result}


def _review_items(request, tasks, *, bound_adjudication=None) -> list[dict]:
    items = []
    for task in tasks:
        user = request.user
        shown = task_input_for(task=task, user=user)
        masked = task_is_masked_for(task=task, user=user)
        suggestion = (
            task_value_for(task=task, user=user, value=task.prediction)
            if task.feedback_type == FeedbackType.CORRECTION
            else task.prediction
        )
        annotations = []
        for annotation in task.annotations.all():
            annotations.append(
                {
                    "annotation": annotation,
                    "mine": annotation.annotator_id == user.pk,
                    "reviewable": annotation.status == Annotation.Status.SUBMITTED,
                    "answer": _answer_view(
                        task, annotation.result, shown=shown, masked=masked, suggestion=suggestion, user=user
                    ),
                }
            )
        adjudication = (
            bound_adjudication if bound_adjudication is not None and bound_adjudication.task.pk == task.pk else None
        )
        items.append(
            {
                "task": task,
                "input": input_view(shown),
                "masked": masked,
                "suggestion": None
                if task.prediction is None
                else _answer_view(task, suggestion, shown=shown, masked=masked, suggestion=None, user=user),
                "annotations": annotations,
                "adjudicate_form": adjudication
                or AdjudicateForm(
                    task=task, initial=AdjudicateForm.initial_for(task), auto_id=f"adjudicate-{task.pk}-%s"
                ),
            }
        )
    return items


def _review_url(kind: str | None, page: str | None = None) -> str:
    query = {k: v for k, v in (("kind", kind), ("page", page)) if v}
    return reverse("annotation:review") + (f"?{urlencode(query)}" if query else "")


def _review_page(request, *, kind=None, page=None, errors=(), bound_adjudication=None, status=200):
    kind = kind if kind is not None else (request.GET.get("kind") or None)
    paginator = Paginator(review_queue(kind=kind).order_by("created_at", "id"), REVIEW_PAGE_SIZE)
    page_obj = paginator.get_page(page if page is not None else request.GET.get("page"))
    context = {
        "items": _review_items(request, page_obj.object_list, bound_adjudication=bound_adjudication),
        "page_obj": page_obj,
        "kind": kind or "",
        "kinds": review_kinds(),
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
    annotation = annotation_get(pk=pk)
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
    task = task_get(pk=pk)
    kind, page = _posted_place(request)
    form = AdjudicateForm(request.POST, task=task, auto_id=f"adjudicate-{task.pk}-%s")
    if form.is_valid():
        try:
            review_services.task_adjudicate(
                task=task,
                reviewer=request.user,
                result=form.cleaned_data["result"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Item #{task.pk} adjudicated: your answer is the accepted one.")
            return redirect(_review_url(kind, page))
    errors = [f"Item #{task.pk}: {message}" for field_errors in form.errors.values() for message in field_errors]
    return _review_page(request, kind=kind, page=page, bound_adjudication=form, errors=errors, status=400)
