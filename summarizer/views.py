"""The summarizer's pages: upload, my documents, the result page, downloads; all thin over the services."""
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from suite import access
from suite import roles as R
from suite.forms import add_service_errors
from summarizer import api, selectors, services
from summarizer.forms import UploadForm
from summarizer.models import Document
from summarizer.pipeline.clauses import LABELS

USERS = (R.LAWYER, R.RESEARCHER)


@access.role_required(*USERS)
def index(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                user=request.user, file=form.cleaned_data["file"], doc_type=form.cleaned_data["doc_type"],
                sentences=form.cleaned_data["sentences"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"doc_type": "doc_type"})
        else:
            if document.status == Document.Status.FAILED:
                messages.error(request, f"{document.original_name} could not be read: {document.failure_reason}")
                return redirect("summarizer:index")
            return redirect("summarizer:document", pk=document.pk)
    documents = selectors.document_list(user=request.user)
    return render(request, "summarizer/index.html", {"form": form, "documents": documents}, status=400 if form.errors else 200)


@access.role_required(*USERS)
def document(request, pk: int):
    doc = selectors.document_get(user=request.user, pk=pk)
    result = doc.result or {}
    for item in result.get("key_terms", []) + result.get("answers", []):
        item["answer_text"] = selectors.answer_text(item.get("answer"))
    page_data = {
        "id": doc.pk, "status": doc.status, "text": doc.text if doc.status == Document.Status.DONE else "",
        "candidates": result.get("summary_candidates", []), "summary_output": result.get("summary_output"),
    }
    terms = result.get("key_terms", [])
    return render(request, "summarizer/document.html", {
        "doc": doc, "result": result, "categories": LABELS, "page_data": page_data,
        "sure_terms": [t for t in terms if t.get("status", "yes") == "yes"], "possible_terms": [t for t in terms if t.get("status") == "possible"],
        "structured": {k: v for k, v in (result.get("structured") or {}).items() if v},
    })


@access.role_required(*USERS)
def progress(request, pk: int):
    return JsonResponse(selectors.document_progress(document=selectors.document_get(user=request.user, pk=pk)))


@require_POST
@access.role_required(*USERS)
def retry(request, pk: int):
    doc = selectors.document_get(user=request.user, pk=pk)
    try:
        services.document_retry(document=doc, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("summarizer:index")
    return redirect("summarizer:document", pk=pk)


@require_POST
@access.role_required(*USERS)
def delete(request, pk: int):
    doc = selectors.document_get(user=request.user, pk=pk)
    services.document_delete(document=doc, user=request.user)
    messages.success(request, f"Deleted {doc.original_name}.")
    return redirect("summarizer:index")


@require_POST
@access.role_required(*USERS)
def feedback(request, pk: int):
    """Flags and corrections from the result page's script (JSON in, JSON out, errors as {"error": ...})."""
    doc = selectors.document_get(user=request.user, pk=pk)
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("not an object")
        action = body.get("action")
        if action == "flag":
            flag = services.output_flag(document=doc, user=request.user, output_id=int(body.get("output", 0)),
                                        reason=str(body.get("reason", "")), comment=str(body.get("comment", "")),
                                        answer=str(body.get("answer", "")))
        elif action == "summary":
            flag = services.summary_correct(document=doc, user=request.user, selected=body.get("selected"))
        elif action == "key_term":
            flag = services.key_term_correct(document=doc, user=request.user, start=body.get("start"), end=body.get("end"),
                                             category=str(body.get("category", "")), answer=str(body.get("answer", "")))
        else:
            return JsonResponse({"error": {"code": "invalid", "message": "Unknown action.", "fields": {}}}, status=400)
    except (ValueError, TypeError):
        return JsonResponse({"error": {"code": "invalid", "message": "The request was not valid JSON.", "fields": {}}}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": {"code": "invalid", "message": " ".join(exc.messages), "fields": getattr(exc, "message_dict", {})}}, status=400)
    return JsonResponse({"flag": flag.pk, "task": flag.task_id}, status=201)


@access.role_required(*USERS)
def download(request, pk: int, fmt: str):
    doc = selectors.document_get(user=request.user, pk=pk)
    if fmt not in ("md", "pdf") or doc.status != Document.Status.DONE:
        raise Http404("No summary to download.")
    return api.download_response(doc, fmt)
