"""The queue pages: the kinds with work waiting, and taking the next item."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotation.forms import StartForm
from annotation.selectors.tasks import item_in_progress, queue_overview
from annotation.services import queue as queue_services
from annotation.views.shown import kind_or_none
from suite import access
from suite import roles as R


def _with_descriptions(rows: list[dict]) -> list[dict]:
    """Each kind's row with what the kind is and the feedback it takes (blank for a kind no longer registered)."""
    out = []
    for row in rows:
        kind = kind_or_none(row["kind"])
        out.append(
            {
                **row,
                "description": kind.description if kind else "",
                "feedback_type": kind.feedback_type if kind else "",
            }
        )
    return out


@access.role_required(R.ANNOTATOR, R.REVIEWER)
def index(request):
    context = {
        "kinds": _with_descriptions(queue_overview()),
        "in_progress": item_in_progress(user=request.user),
        "is_reviewer": access.has_role(request.user, R.REVIEWER),
    }
    return render(request, "annotation/index.html", context)


def to_next(request, *, kind: str | None):
    """Take the next item (of `kind`, when given) and open it; an empty queue goes home with a message."""
    task = queue_services.task_next(user=request.user, kind=kind)
    if task is None:
        messages.info(
            request,
            f"No {kind} items are waiting for you: the queue is empty."
            if kind
            else "No items are waiting for you: the queue is empty.",
        )
        return redirect("annotation:index")
    return redirect("annotation:task", pk=task.pk)


@access.role_required(R.ANNOTATOR, R.REVIEWER)
@require_POST
def start(request):
    form = StartForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    return to_next(request, kind=kind or None)
