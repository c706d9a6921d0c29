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


def answer_text(answer) -> str:
    """An answer as one line: parties with their roles, lists joined, nothing for no answer."""
    if isinstance(answer, list):
        return "; ".join(f"{a['name']} ({a['role']})" if isinstance(a, dict) and a.get("role") else (a["name"] if isinstance(a, dict) else str(a))
                         for a in answer)
    return "" if answer is None else str(answer)


def who_set(item: dict) -> str:
    """'set by <name>' for what a person added or corrected, 'flagged: <reason>, correct answer: ...' for what they flagged."""
    notes = []
    if item.get("set_by"):
        notes.append(f"set by {item['set_by'].get('by', 'a person')}")
    flag = item.get("flag")
    if flag:
        notes.append(f"flagged {flag.get('reason', '')}" + (f", correct answer: {flag['answer']}" if flag.get("answer") else ""))
    return "; ".join(notes)


def summary_report(*, document: Document) -> dict:
    """What the downloads show, in the order a reader reads it: shared by the Markdown and the PDF."""
    r = document.result or {}
    terms = r.get("key_terms", [])
    return {
        "title": document.title or document.original_name,
        "about": f"{r.get('doc_type', '')}, {document.page_count} page(s); models: " + ", ".join(f"{k} {v}" for k, v in (r.get("model_versions") or {}).items()),
        "unreadable_pages": r.get("unreadable_pages") or [],
        "answers": [{"question": a["question"], "answer": answer_text(a.get("answer")), "page": a.get("page"), "note": who_set(a)} for a in r.get("answers", [])],
        "tldr": r.get("tldr"),
        "summary": [{**s, "note": ("added by a person" if s.get("set_by") else "")} for s in r.get("summary", [])],
        "summary_note": who_set({"flag": r.get("summary_flag")}) or ("corrected by a person" if r.get("summary_corrected") else ""),
        "abstractive": r.get("abstractive") or [],
        "structured": {k: v for k, v in (r.get("structured") or {}).items() if v},
        "key_terms": [{"category": t["category"], "answer": answer_text(t.get("answer")) or ("yes" if t.get("status", "yes") == "yes" else "possible"),
                       "status": t.get("status", "yes"), "page": t["page"], "excerpt": " ".join(t["text"].split()), "note": who_set(t)} for t in terms],
        "risks": r.get("risks") or [],
        "is_contract": r.get("doc_type") == "contract",
    }


def summary_markdown(*, document: Document) -> str:
    """The result as Markdown: answers, summary with page citations, TLDR, structure, key terms and risks; people's corrections marked."""
    rep = summary_report(document=document)
    cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    lines = [f"# {rep['title']}", "", f"*{rep['about']}*", ""]
    if rep["unreadable_pages"]:
        lines += [f"> Unreadable page(s), not summarised: {', '.join(map(str, rep['unreadable_pages']))}", ""]
    if rep["answers"]:
        lines += ["## At a glance", "", "| Question | Answer | Page | Note |", "|---|---|---|---|"]
        lines += [f"| {a['question']} | {cell(a['answer'])} | {a['page']} | {cell(a['note'])} |" for a in rep["answers"]] + [""]
    if rep["tldr"]:
        lines += ["## TLDR", "", f"{rep['tldr']['text']} (p. {rep['tldr']['page']})", ""]
    lines += ["## Summary", ""] + ([f"*{rep['summary_note']}*", ""] if rep["summary_note"] else [])
    lines += [f"- {('**' + s['topic'] + '**: ') if s.get('topic') else ''}{s['text']} (p. {s['page']}){' (' + s['note'] + ')' if s['note'] else ''}"
              for s in rep["summary"]] + [""]
    if rep["abstractive"]:
        lines += ["## In plain words", ""] + [f"- {a['text']} (from p. {a['source']['page']}: \"{a['source']['text'][:120]}\")" for a in rep["abstractive"]] + [""]
    if rep["structured"]:
        lines += ["## Structure", ""] + [f"- **{k.capitalize()}**: {v['text']} (p. {v['page']})" for k, v in rep["structured"].items()] + [""]
    if rep["key_terms"]:
        lines += ["## Key terms", "", "| Category | Answer | Status | Page | Excerpt | Note |", "|---|---|---|---|---|---|"]
        lines += [f"| {t['category']} | {cell(t['answer'])} | {t['status']} | {t['page']} | {cell(t['excerpt'][:300])} | {cell(t['note'])} |"
                  for t in rep["key_terms"]] + [""]
    elif rep["is_contract"]:
        lines += ["## Key terms", "", "No key terms were recognised in this contract.", ""]
    if rep["risks"]:
        lines += ["## Risks", ""] + [f"- **{f['flag']}**{' (possible)' if f.get('status') == 'possible' else ''}: {f['why']} \"{f['text'][:300]}\" (p. {f['page']})"
                                     for f in rep["risks"]] + [""]
    return "\n".join(lines)
