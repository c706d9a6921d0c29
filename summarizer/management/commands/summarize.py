"""manage.py summarize PATH... : the same pipeline as the pages, with the models loaded once for all paths."""
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from suite import documents
from summarizer import services
from summarizer.pipeline import analyse as A


class Command(BaseCommand):
    help = "Summarize documents (PDF, DOCX, TXT, Markdown): summary, TLDR, key terms and risks with offsets."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--type", choices=["auto", "contract", "paper", "other"], default="auto")
        parser.add_argument("--sentences", type=int, default=None)
        parser.add_argument("--json", action="store_true", help="one JSON object per document, one per line")

    def handle(self, *args, **options):
        if options["sentences"] is not None and not 1 <= options["sentences"] <= services.MAX_SENTENCES:
            raise CommandError(f"--sentences must be between 1 and {services.MAX_SENTENCES}.")
        models, _ = services.serving_models()
        failed = 0
        for name in options["paths"]:
            path = Path(name)
            began = time.perf_counter()
            try:
                if not path.is_file():
                    raise documents.DocumentError("missing", f"{name}: no such file.")
                extracted = documents.extract(path, filename=path.name)
            except documents.DocumentError as exc:
                failed += 1
                message = str(exc) if str(exc).startswith(name) else f"{name}: {exc}"
                if options["json"]:
                    self.stdout.write(json.dumps({"path": name, "error": {"code": exc.code, "message": message}}))
                self.stderr.write(message)
                continue
            pages = [{"number": p.number, "start": p.start, "end": p.end} for p in extracted.pages]
            result = A.analyse(extracted.text, pages, models, doc_type=options["type"], n_sentences=options["sentences"], title=extracted.title)
            result["seconds"] = round(time.perf_counter() - began, 3)
            if options["json"]:
                self.stdout.write(json.dumps(_public(result, name), ensure_ascii=False))
            else:
                self.stdout.write(_text(result, name))
        if failed == len(options["paths"]):
            raise CommandError(f"{failed} document(s) could not be read.")


def _public(result: dict, path: str) -> dict:
    strip = lambda item: {k: item[k] for k in ("text", "page", "start", "end")} if item else None
    return {
        "path": path, "doc_type": result["doc_type"], "title": result["title"], "pages": result["pages"],
        "summary": [strip(s) for s in result["summary"]],
        "tldr": result["tldr"]["text"] if result.get("tldr") else None,
        "key_terms": [{k: t[k] for k in ("category", "text", "answer", "page", "start", "end", "confidence")} for t in result["key_terms"]],
        "risks": [{k: f[k] for k in ("flag", "text", "page", "start", "end")} for f in result["risks"]],
        "model_versions": result["model_versions"], "seconds": result["seconds"],
    }


def _text(result: dict, path: str) -> str:
    lines = [f"== {path}: {result['doc_type']}, {result['pages']} page(s), {result['seconds']} s", result["title"], ""]
    if result.get("tldr"):
        lines += [f"TLDR: {result['tldr']['text']}", ""]
    lines += [f"- {s['text']} [p. {s['page']}]" for s in result["summary"]]
    if result["key_terms"]:
        lines += ["", "Key terms:"] + [f"  {t['category']}: {t['answer'] if t['answer'] is not None else ''} [p. {t['page']}] {t['text'][:120]}" for t in result["key_terms"]]
    if result["risks"]:
        lines += ["", "Risks:"] + [f"  {f['flag']}: {f['text'][:120]} [p. {f['page']}]" for f in result["risks"]]
    return "\n".join(lines) + "\n"
