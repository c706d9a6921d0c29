"""Reads of the summarizer, with ownership applied."""
from suite import access
from summarizer.models import Document


def document_list(*, user):
    return access.owned_by(Document.objects.all(), user).defer("text", "result")


def document_get(*, user, pk: int) -> Document:
    return access.get_owned_or_404(Document.objects.all(), user, pk=pk)


def document_progress(*, document: Document) -> dict:
    return {
        "id": document.pk, "status": document.status, "stage": document.stage, "progress": document.progress,
        "failure_code": document.failure_code, "failure_reason": document.failure_reason,
    }


def summary_markdown(*, document: Document) -> str:
    """The result as Markdown: summary with page citations, TLDR, structure, key terms and risks."""
    r = document.result or {}
    lines = [f"# {document.title or document.original_name}", "", f"*{r.get('doc_type', '')}, {document.page_count} page(s); models: "
             + ", ".join(f"{k} {v}" for k, v in (r.get("model_versions") or {}).items()) + "*", ""]
    if r.get("tldr"):
        lines += ["## TLDR", "", f"{r['tldr']['text']} (p. {r['tldr']['page']})", ""]
    lines += ["## Summary", ""] + [f"- {s['text']} (p. {s['page']})" for s in r.get("summary", [])] + [""]
    if r.get("abstractive"):
        lines += ["## In plain words", ""] + [f"- {a['text']} (from p. {a['source']['page']}: \"{a['source']['text'][:120]}\")" for a in r["abstractive"]] + [""]
    structured = {k: v for k, v in (r.get("structured") or {}).items() if v}
    if structured:
        lines += ["## Structure", ""] + [f"- **{k.capitalize()}**: {v['text']} (p. {v['page']})" for k, v in structured.items()] + [""]
    if r.get("key_terms"):
        lines += ["## Key terms", "", "| Category | Answer | Page | Excerpt |", "|---|---|---|---|"]
        for t in r["key_terms"]:
            answer = "; ".join(t["answer"]) if isinstance(t["answer"], list) else (t["answer"] or "")
            excerpt = t["text"].replace("|", "\\|")
            lines.append(f"| {t['category']} | {answer} | {t['page']} | {excerpt[:300]} |")
        lines.append("")
    if r.get("risks"):
        lines += ["## Risks", ""] + [f"- **{f['flag']}**: {f['why']} \"{f['text'][:300]}\" (p. {f['page']})" for f in r["risks"]] + [""]
    return "\n".join(lines)
