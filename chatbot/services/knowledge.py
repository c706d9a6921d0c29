"""The knowledge base: importing articles and keeping this process's search index in step with them."""
import gzip
import hashlib
import json
import re
import logging
import os
import threading
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max

from chatbot.models import Article
from chatbot.pipeline.knowledge import HybridRetriever, KnowledgeIndex, build, content_hash, index_path

logger = logging.getLogger(__name__)
STARTER_KB = Path(__file__).resolve().parent.parent / "data" / "starter_kb.jsonl"
IMPORT_BATCH = 1000
# A serving process embeds at most this many new passages itself (a few seconds); larger changes are embedded by
# the import command, and until its index file is saved the process answers from the index it has.
LIVE_EMBED_LIMIT = 300


def _clean(record: dict, where: str) -> dict:
    title, body, source_id = (str(record.get(k) or "").strip() for k in ("title", "body", "source_id"))
    if not title or not body or not source_id:
        raise ValidationError({"file": [f"{where}: an article needs a title, a body and a source id"]})
    out = {
        "title": title[:300], "body": body, "source": str(record.get("source") or "unknown")[:100],
        "url": str(record.get("url") or "")[:500], "source_id": source_id[:100], "topic": str(record.get("topic") or "")[:300],
        "question_type": str(record.get("question_type") or "")[:60], "question": str(record.get("question") or "").strip(),
    }
    out["content_hash"] = content_hash(out["title"], out["body"], out["source"], out["url"], out["topic"], out["question_type"], out["question"])
    return out


def articles_import(records) -> dict:
    """Create or update articles by source id, in one transaction (a bad record anywhere leaves nothing half-imported),
    written in batches; unchanged ones are left alone (and not re-embedded)."""
    from django.utils import timezone

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    batch = []
    fields = None

    def flush():
        nonlocal fields
        by_id = {a["source_id"]: a for a in batch}  # the last record of a source id wins
        existing = {a.source_id: a for a in Article.objects.filter(source_id__in=list(by_id))}
        new, changed = [], []
        now = timezone.now()  # bulk_update skips auto_now: the stamp that tells every process to refresh is set here
        for sid, data in by_id.items():
            article = existing.get(sid)
            if article is None:
                new.append(Article(**data))
            elif article.content_hash != data["content_hash"]:
                for field, value in data.items():
                    setattr(article, field, value)
                article.updated_at = now
                changed.append(article)
            else:
                counts["unchanged"] += 1
        Article.objects.bulk_create(new, batch_size=500)
        if changed:
            fields = fields or [*batch[0].keys(), "updated_at"]
            Article.objects.bulk_update(changed, fields, batch_size=500)
        counts["created"] += len(new)
        counts["updated"] += len(changed)
        batch.clear()

    with transaction.atomic():
        for where, record in records:
            batch.append(_clean(record, where))
            if len(batch) >= IMPORT_BATCH:
                flush()
        if batch:
            flush()
    return counts


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if str(path).endswith(".gz") else open(path, encoding="utf-8")


def _jsonl(path: Path):
    try:
        with _open(path) as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        yield f"line {number}", json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise ValidationError({"file": [f"line {number}: not JSON ({exc.msg})"]}) from None
    except OSError as exc:
        raise ValidationError({"file": [f"{path}: {exc.strerror or exc}"]}) from None


def medquad_source_id(row: dict, seen: set) -> str:
    """The pair's qid; a qid the file already used gets its subset and focus too. MedQuAD numbers documents per
    subset, so 2,491 qids name 6,765 of its 16,407 answered pairs (another subset's, or another focus of one
    CancerGov page); subset, qid and focus together are unique. Keyed by qid alone, 4,274 answers overwrote others."""
    qid = str(row.get("qid") or "")
    if qid not in seen:
        seen.add(qid)
        return qid
    focus = hashlib.sha1(str(row.get("focus") or "").encode("utf-8")).hexdigest()[:8]
    return f"{qid}~{str(row.get('subset') or '').split('_')[0]}~{focus}"


def medquad_records(path: Path, *, limit: int | None = None):
    """MedQuAD question-answer pairs as articles: the answer is the body, the focus the title, qid the source id
    (see medquad_source_id). Pairs without an answer (the MedlinePlus subsets) are skipped."""
    taken, seen = 0, set()
    for where, row in _jsonl(Path(path)):
        if not (row.get("answer") or "").strip():
            continue
        yield where, {
            "title": row.get("focus") or row.get("question", ""), "body": row["answer"], "source": row.get("source", "MedQuAD"),
            "url": row.get("url", ""), "source_id": medquad_source_id(row, seen), "topic": row.get("focus", ""),
            "question_type": row.get("qtype", ""), "question": row.get("question", ""),
        }
        taken += 1
        if limit and taken >= limit:
            return


def jsonl_records(path: Path):
    for where, row in _jsonl(Path(path)):
        yield where, {
            "title": row.get("title"), "body": row.get("body") or row.get("text") or row.get("content"), "source": row.get("source"),
            "url": row.get("url"), "source_id": row.get("source_id") or row.get("id"), "topic": row.get("topic"),
            "question_type": row.get("question_type") or row.get("qtype"), "question": row.get("question"),
        }


_HEADER = re.compile(r"^(source|url|topic|type|id):\s*(.+)$", re.IGNORECASE)


def markdown_records(path: Path):
    """A Markdown file, or a folder of them: '# Title', optional 'Source:', 'URL:', 'Topic:', 'Type:', 'Id:' lines, then the text."""
    path = Path(path)
    files = sorted(path.glob("**/*.md")) if path.is_dir() else [path]
    if not files:
        raise ValidationError({"file": [f"{path}: no Markdown files"]})
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValidationError({"file": [f"{file}: {exc.strerror or exc}"]}) from None
        title, meta, body = file.stem.replace("-", " ").capitalize(), {}, []
        for line in lines:
            header = _HEADER.match(line.strip()) if not body else None
            if line.startswith("# ") and not body and title and "title" not in meta:
                meta["title"] = title = line[2:].strip()
            elif header:
                meta[header.group(1).lower()] = header.group(2).strip()
            elif line.strip() or body:
                body.append(line)
        yield file.name, {
            "title": title, "body": "\n".join(body).strip(), "source": meta.get("source", "local"), "url": meta.get("url", ""),
            "source_id": meta.get("id", f"md-{file.stem}"), "topic": meta.get("topic", ""), "question_type": meta.get("type", ""),
        }


IMPORTERS = {"medquad": medquad_records, "jsonl": jsonl_records, "markdown": markdown_records}


def starter_kb_load() -> dict:
    return articles_import(jsonl_records(STARTER_KB))


# --- the process's index -------------------------------------------------------------------------

_lock = threading.Lock()
_current: KnowledgeIndex | None = None
# While an import embeds: the generation this process is waiting for and the index file's mtime it last saw.
_waiting: tuple = ()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _signature() -> tuple:
    row = Article.objects.aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    return (row["n"], row["last"], row["changed"].isoformat() if row["changed"] else "")


def knowledge_index(*, progress=None, importing: bool = False) -> KnowledgeIndex:
    """The index over the current articles: loaded once per process, brought up to date when articles change.
    The articles' generation (count, last id, last change) is read from the database on every call, so a web or
    worker process sees an import on its next message; it loads the index file the importer saved for that
    generation instead of embedding anything itself."""
    global _current, _waiting
    signature = _signature()
    current = _current
    if current is not None and current.signature == signature:
        return current
    path = index_path()
    if current is not None and not importing and _waiting == (signature, _mtime(path)):
        return current  # still waiting for the importer's file: one stat, no rebuild
    with _lock:
        current = _current
        if current is not None and current.signature == signature:
            return current
        saved = KnowledgeIndex.load(path)
        if saved is not None and saved.signature == signature:
            _current = saved
            return saved
        previous = saved if saved is not None and (current is None or len(saved) >= len(current)) else current
        articles = [
            {"id": a["id"], "hash": a["content_hash"], "title": a["title"], "body": a["body"], "source": a["source"],
             "url": a["url"], "source_id": a["source_id"], "topic": a["topic"], "question_type": a["question_type"], "question": a["question"]}
            for a in Article.objects.order_by("id").values(
                "id", "content_hash", "title", "body", "source", "url", "source_id", "topic", "question_type", "question")
        ]
        limit = None if importing or previous is None else LIVE_EMBED_LIMIT
        # Only the import command spreads the embedding over worker processes (one per core); a serving process
        # embeds the little it may in its own thread.
        workers = len(os.sched_getaffinity(0)) if importing and hasattr(os, "sched_getaffinity") else 1
        index, embedded = build(articles, previous, signature=signature, progress=progress, max_embed=limit, workers=workers)
        if index is None:
            logger.info("%s passages wait for the import to embed them; answering from the index in hand", embedded)
            _current, _waiting = previous, (signature, _mtime(path))
            return previous
        index.save(path)
        _current = index
        return index


def knowledge_retriever(*, k: int = 8, mode: str = "fusion", foci: set | None = None, qtype: str = "") -> HybridRetriever:
    return HybridRetriever(index=knowledge_index(), k=k, mode=mode, foci=foci, qtype=qtype)


def knowledge_forget() -> None:
    """Drop this process's index (tests, and after the files under var/ were removed)."""
    global _current, _waiting
    with _lock:
        _current, _waiting = None, ()
