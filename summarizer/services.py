"""Everything the summarizer writes: uploads, processing, retries, deletion, and people's corrections."""
from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotation import services as annotation_services
from suite import access, documents, jobs
from suite import roles as R
from suite.ml import kinds as K
from suite.ml import serving
from suite.ml import selectors as ml_selectors
from suite.ml import services as ml_services
from suite.ml.models import ModelOutput
from summarizer.ml import ABSTRACT, CLAUSES, DOCTYPE, SALIENCE
from summarizer.models import DOCUMENTS, STALE_AFTER, Document, DocumentOutput  # noqa: F401 (tests read STALE_AFTER here)
from summarizer.pipeline import analyse as A
from summarizer.pipeline import clauses as C
from summarizer.pipeline import normalisers
from summarizer.pipeline.answers import lawyer_answers
from summarizer.pipeline.sentences import split

logger = logging.getLogger(__name__)
Status = Document.Status
MAX_SENTENCES = 30
SERVED_KINDS = (SALIENCE, CLAUSES, DOCTYPE)


# --- models in service -----------------------------------------------------------------------------


def serving_models() -> tuple[A.Models, dict]:
    """The production version of each kind (or its untrained default), resolved once for a batch of documents."""
    versions = {name: ml_selectors.production_version(kind=name) for name in SERVED_KINDS}
    # The abstractive tier serves only when a generative model is configured and a version of it is in production.
    abstract = ml_selectors.production_version(kind=ABSTRACT) if settings.SUITE_GENERATOR else None
    if abstract is not None:
        versions[ABSTRACT] = abstract
    # Each kind's own prediction entry point: the version's model as the kind serves it, or its untrained default.
    predictors = {name: serving.predictor(name, version) for name, version in versions.items()}
    models = A.Models(
        salience=predictors[SALIENCE], clauses=predictors[CLAUSES], doctype=predictors[DOCTYPE],
        abstract=predictors.get(ABSTRACT), salience_trained=versions[SALIENCE] is not None,
        clauses_trained=versions[CLAUSES] is not None,
        versions={name: (f"v{v.number}" if v else "default") for name, v in versions.items()},
    )
    return models, versions


def _check_options(doc_type: str, sentences) -> None:
    errors = {}
    if doc_type not in Document.DocType.values:
        errors["doc_type"] = [f"Choose one of: {', '.join(Document.DocType.values)}."]
    if sentences is not None and not (isinstance(sentences, int) and 1 <= sentences <= MAX_SENTENCES):
        errors["sentences"] = [f"The summary length is a whole number of sentences from 1 to {MAX_SENTENCES}."]
    if errors:
        raise ValidationError(errors)


# --- uploads ---------------------------------------------------------------------------------------


def document_upload(*, user, file, doc_type: str = "auto", sentences: int | None = None) -> Document:
    """Keep the upload and queue it; a file that cannot be read is kept as failed, with the reason, to delete or retry."""
    if not access.has_role(user, R.LAWYER, R.RESEARCHER):
        raise PermissionDenied("Documents are for lawyers and researchers.")
    _check_options(doc_type, sentences)
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1][:255]
    if not name:
        raise ValidationError({"file": ["Choose a file to upload."]})
    size = getattr(file, "size", None) or 0
    try:
        documents.check_size(size)
    except documents.DocumentError as exc:
        raise ValidationError({"file": [str(exc)]}) from None  # nothing this big is stored
    if size == 0:
        raise ValidationError({"file": ["The file is empty."]})
    failure = None
    try:
        file_type = documents.file_type_of(name)
    except documents.DocumentError as exc:
        file_type, failure = "", exc
    with transaction.atomic():
        document = Document(owner=user, original_name=name, file_type=file_type, size=size, requested_type=doc_type, requested_sentences=sentences)
        document.file.save(name, file, save=False)
        if failure is not None:
            document.status, document.stage = Status.FAILED, "failed"
            document.failure_code, document.failure_reason = failure.code, str(failure)
        document.save()
        if failure is None:
            _enqueue(document)
    return document


def _enqueue(document: Document) -> None:
    DOCUMENTS.enqueue(document.pk, fresh=True)


def document_retry(*, document: Document, user, doc_type: str | None = None, sentences: int | None = None) -> Document:
    """Run a failed (or finished) document again, with new options if given."""
    _require_owner(document, user)
    if document.is_active:
        raise ValidationError({"document": [f"{document.original_name} is still {document.status}."]})
    if not document.file_type:
        raise ValidationError({"document": [f"{document.failure_reason} Delete it and upload a supported file."]})
    _check_options(doc_type or document.requested_type, sentences)
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            updated_at=timezone.now(), status=Status.UPLOADED, stage="queued", progress=0.0, failure_code="", failure_reason="",
            requested_type=doc_type or document.requested_type,
            requested_sentences=sentences if sentences is not None else document.requested_sentences,
        )
        document.refresh_from_db()
        _enqueue(document)
    return document


def document_delete(*, document: Document, user) -> None:
    """The document and everything derived from it: every model output recorded about it (they hold its text), the
    annotation tasks, flags, assignments and answers opened from them, and its file."""
    _require_owner(document, user)
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        # Outputs of every run, including those an earlier processing recorded and a retry no longer shows.
        ModelOutput.objects.filter(content_type=ContentType.objects.get_for_model(Document), object_id=str(document.pk)).delete()
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


def _require_owner(document: Document, user) -> None:
    if document.owner_id != user.pk:
        raise PermissionDenied("Only the owner can change this document.")


# --- processing ------------------------------------------------------------------------------------


def _progress_writer(document_id: int, claim: jobs.Claim):
    last = [0.0]

    def write(stage: str, fraction: float) -> None:
        now = time.monotonic()
        if stage != "done" and now - last[0] < 0.2:
            return
        last[0] = now
        # updated_at is the document's heartbeat; a document put back in the queue or deleted meanwhile is not ours
        if not DOCUMENTS.beat(document_id, claim=claim, stage=stage, progress=round(fraction, 3)):
            raise jobs.Lost()

    return write


def document_process(*, document_id: int, models: tuple[A.Models, dict] | None = None) -> Document:
    """Extract, analyse and store the result with every shown output recorded; a failure is kept with its reason."""
    # A redelivered task (acks_late) takes over a document whose worker died mid-way; a live one is left alone.
    claim = DOCUMENTS.claim(document_id)
    document = Document.objects.get(pk=document_id)
    if not claim:
        return document
    progress = _progress_writer(document_id, claim)
    # Content types can be re-created while a worker lives (migrations, test flushes): never trust its cache here.
    ContentType.objects.clear_cache()
    try:
        with document.file.open("rb") as handle:
            extracted = documents.extract(handle, filename=document.original_name)
        pages = [{"number": p.number, "start": p.start, "end": p.end} for p in extracted.pages]
        if not DOCUMENTS.mine(document_id, claim).update(
            updated_at=timezone.now(), text=extracted.text, pages=pages, title=(extracted.title or "")[:300]
        ):
            raise jobs.Lost()
        models, versions = models or serving_models()
        result = A.analyse(
            extracted.text, pages, models, doc_type=document.requested_type, n_sentences=document.requested_sentences,
            title=extracted.title, progress=progress,
        )
        _store_result(document, extracted.text, pages, result, versions, claim)
    except jobs.Lost:  # put back in the queue (this worker looked dead) or deleted: whoever has it now finishes it
        logger.warning("document %s is no longer held by this worker; its work here stops", document_id)
    except documents.DocumentError as exc:
        DOCUMENTS.fail(document_id, claim=claim, code=exc.code, reason=str(exc))
    except Exception as exc:  # recorded on the row so the owner sees it and can retry; the log has the trace
        logger.exception("document %s failed", document_id)
        reason = f"Processing failed unexpectedly ({type(exc).__name__}). Retry, or delete the document."
        DOCUMENTS.fail(document_id, claim=claim, code="error", reason=reason)
    document = Document.objects.filter(pk=document_id).first() or document
    return document


@transaction.atomic
def _store_result(document: Document, text: str, pages: list, result: dict, versions: dict, claim: jobs.Claim) -> None:
    salience_input = result.pop("salience_input")
    selected = result.pop("salience_selected")
    DocumentOutput.objects.filter(document=document).delete()
    owner = document.owner

    def record(kind, input, output, *, role, score=None, category=""):
        out = ml_services.model_output_record(kind=kind, input=input, output=output, version=versions.get(kind), score=score, owner=owner, subject=document)
        DocumentOutput.objects.create(document=document, output=out, role=role, category=category)
        return out.pk

    result["doctype_output"] = record(
        DOCTYPE, text[:4000], {"label": result["doc_type"], "score": result["doctype_score"]}, role="doctype", score=result["doctype_score"]
    )
    result["summary_output"] = record(
        SALIENCE, {"sentences": salience_input["sentences"]}, {"selected": selected}, role="summary",
    )
    result["summary_candidates"] = salience_input["offsets"]
    for item in result.get("abstractive", []):
        item["output"] = record(ABSTRACT, item["source"]["text"], {"text": item["text"]}, role="abstract")
    for term in result["key_terms"]:
        term["output"] = record(
            CLAUSES, term["text"], {"labels": [term["category"]], "scores": {term["category"]: term["confidence"]}},
            role="key_term", score=term["confidence"], category=term["category"],
        )
    stored = DOCUMENTS.mine(document.pk, claim).update(
        updated_at=timezone.now(), status=Status.DONE, stage="done", progress=1.0, doc_type=result["doc_type"], result=result,
        model_versions=result["model_versions"], seconds=result["seconds"], processed_at=timezone.now(),
        title=(document.title or result["title"] or "")[:300],
    )
    if not stored:  # no longer ours: roll back the outputs recorded above rather than show two results
        raise jobs.Lost()


# --- feedback --------------------------------------------------------------------------------------


def _shown_output(document: Document, output_id: int, role: str):
    row = DocumentOutput.objects.select_related("output").filter(document=document, output_id=output_id, role=role).first()
    if row is None:
        raise ValidationError({"output": [f"Output #{output_id} is not a {role.replace('_', ' ')} of this document."]})
    return row.output


def _person_mark(user, **extra) -> dict:
    return {"by": user.get_username(), "at": timezone.now().isoformat(timespec="seconds"), **extra}


def _update_result(document: Document, change) -> None:
    """Apply `change(result)` to the stored result under a row lock, so concurrent corrections never undo each other."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    result = locked.result or {}
    change(result)
    Document.objects.filter(pk=document.pk).update(result=result, updated_at=timezone.now())
    document.result = result


def output_flag(*, document: Document, user, output_id: int, reason: str, comment: str = "", answer: str = ""):
    """Flag the summary, the document type or one key term as wrong, unsafe or incomplete, with the correct answer if given.

    The flag opens (or raises) the annotation task, and the result records it, so the page, downloads and API show it as flagged.
    """
    _require_owner(document, user)
    row = DocumentOutput.objects.select_related("output").filter(document=document, output_id=output_id).first()
    if row is None:
        raise ValidationError({"output": [f"Output #{output_id} was not shown on this document."]})
    answer = " ".join(str(answer or "").split())[:500]
    note = "; ".join(part for part in (comment.strip(), f"correct answer: {answer}" if answer else "") if part)
    with transaction.atomic():
        flag = annotation_services.flag_create(output=row.output, user=user, reason=reason, comment=note)
        mark = _person_mark(user, reason=reason, answer=answer, comment=comment.strip(), flag=flag.pk)

        def change(result):
            for term in result.get("key_terms", []) + result.get("abstractive", []):
                if term.get("output") == output_id:
                    term["flag"] = mark
            if result.get("summary_output") == output_id:
                result["summary_flag"] = mark
            if result.get("doctype_output") == output_id:
                result["doctype_flag"] = mark

        _update_result(document, change)
    return flag


def summary_correct(*, document: Document, user, selected: list[int], comment: str = ""):
    """The owner removes or adds summary sentences: the sentences kept become labels for summarizer.salience, and the summary shown."""
    _require_owner(document, user)
    output = _shown_output(document, document.result.get("summary_output"), "summary")
    n = len(output.input["sentences"])
    if not isinstance(selected, list) or not selected or not all(isinstance(i, int) and 0 <= i < n for i in selected):
        raise ValidationError({"selected": [f"Pick at least one sentence, by index from 0 to {n - 1}."]})
    chosen = sorted(set(selected))
    with transaction.atomic():
        flag = annotation_services.flag_create(
            output=output, user=user, reason="wrong", comment=comment or "summary sentences corrected", correction={"selected": chosen}
        )

        def change(result):
            offsets = result.get("summary_candidates") or []
            shown = {s["start"]: s for s in result.get("summary", [])}
            page_at = A.Pages(document.pages or []).at
            summary = []
            for i in chosen:
                start, end = offsets[i] if i < len(offsets) else (None, None)
                if start in shown:
                    summary.append(shown[start])
                elif start is not None:  # a sentence the person added
                    summary.append({"text": output.input["sentences"][i], "page": page_at(start), "start": start, "end": end,
                                    "set_by": _person_mark(user)})
            if result.get("doc_type") != "contract":
                summary.sort(key=lambda s: s["start"])
            result["summary"] = summary
            result["summary_corrected"] = _person_mark(user, flag=flag.pk)

        _update_result(document, change)
    return flag


def summary_prefer(*, document: Document, user, options: list[list[int]], chosen: int, comment: str = ""):
    """The owner prefers one of two summaries (sentence indices into the candidates): the preferred one becomes the label."""
    if not isinstance(options, list) or len(options) != 2 or not isinstance(chosen, int) or chosen not in (0, 1):
        raise ValidationError({"options": ["Give two summaries (lists of sentence indices) and choose 0 or 1."]})
    if sorted(set(options[0])) == sorted(set(options[1])):
        raise ValidationError({"options": ["The two summaries are the same."]})
    rejected = sorted(set(options[1 - chosen]))
    note = comment or f"preferred over the summary of sentences {rejected}"
    return summary_correct(document=document, user=user, selected=options[chosen], comment=note)


def key_term_correct(*, document: Document, user, start: int, end: int, category: str, comment: str = "", answer: str = ""):
    """The owner selects text and names its category (and its answer, if they give one): the passage becomes a labelled
    example for summarizer.clauses, and the key term shown, marked as set by a person, on the page, downloads and API."""
    _require_owner(document, user)
    if category not in C.LABELS:
        raise ValidationError({"category": [f"Unknown key-term category {category!r}."]})
    text = document.text or ""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise ValidationError({"start": [f"Select text inside the document (0 to {len(text)} characters)."]})
    passage = " ".join(text[start:end].split())[: C.PASSAGE_MAX_CHARS]
    if len(passage) < 3:
        raise ValidationError({"start": ["Select a passage of at least a few words."]})
    answer = " ".join(str(answer or "").split())[:500]
    kind = K.get_kind(CLAUSES)
    version = ml_selectors.production_version(kind=CLAUSES)
    prediction = kind.predict([passage], version=version)[0]
    with transaction.atomic():
        output = ml_services.model_output_record(
            kind=CLAUSES, input=passage, output=prediction, version=version, owner=user, subject=document,
        )
        DocumentOutput.objects.create(document=document, output=output, role="correction", category=category)
        labels = sorted(set(prediction.get("labels", [])) | {category})
        flag = annotation_services.flag_create(
            output=output, user=user, reason="incomplete", comment=comment or f"{category} at {start}-{end}", correction=labels
        )
        page_at = A.Pages(document.pages or []).at
        shape = C.CATEGORIES[category][0]
        term = {
            "category": category, "text": text[start:end], "answer": answer or (normalisers.title(passage) if category == "Document Name" else normalisers.answer_for(shape, passage)),
            "status": "yes", "page": page_at(start), "start": start, "end": end, "confidence": None, "output": output.pk,
            "set_by": _person_mark(user, flag=flag.pk),
        }

        def change(result):
            replaced = [t for t in result.get("key_terms", []) if t["category"] == category]
            if replaced and not replaced[0].get("set_by"):
                term["replaces"] = {k: replaced[0].get(k) for k in ("text", "answer", "start", "end", "page")}
            order = {label: i for i, label in enumerate(C.LABELS)}
            result["key_terms"] = sorted([t for t in result.get("key_terms", []) if t["category"] != category] + [term],
                                         key=lambda t: order.get(t["category"], len(order)))
            if result.get("doc_type") == "contract":  # the answers read from the key terms follow the person's
                result["answers"] = lawyer_answers(result["key_terms"], split(text), page_at)

        _update_result(document, change)
    return flag
