"""The knowledge index: articles chunked with LangChain's splitter, searched by BM25 and by the suite's
encoder, fused by a weighted sum of their normalised scores. It lives in one file under VAR_DIR/kb/ and is rebuilt incrementally:
only new or changed articles are embedded again."""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_text_splitters import RecursiveCharacterTextSplitter

from chatbot.pipeline.focus import FocusVocabulary, focus_names, normalise_qtype
from chatbot.pipeline.text import terms

logger = logging.getLogger(__name__)
CHUNK_SIZE, CHUNK_OVERLAP = 900, 120
RRF_K = 60
CANDIDATES = 50
# Weight of the dense score in the fusion (BM25 gets the rest); chosen by `bench/chatbot.py` on MedQuAD
# questions kept apart from the ones it reports on.
DENSE_WEIGHT = 0.7
# Passages per forward pass: small batches stay in the CPU's caches (bf16, one thread: 53 passages per CPU second at
# 16, 37 at 64, 25 at 256; MedQuAD passages of about 160 tokens, 2026-12-02).
EMBED_BATCH = 16
# Passages per progress step, and per task of a worker process.
EMBED_SLICE = 256
# Passages are embedded with at most this many tokens; their whole text stays in BM25.
EMBED_MAX_TOKENS = 256
# An import with at least this many passages to embed spreads them over worker processes, one per core.
PARALLEL_FROM = 2000


def content_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


_splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, separators=["\n\n", "\n", ". ", " ", ""])


def chunk_article(body: str) -> list[str]:
    return [c.strip() for c in _splitter.split_text(body) if c.strip()]


@dataclass(frozen=True)
class Chunk:
    article_id: int
    article_hash: str
    position: int
    text: str
    title: str
    source: str
    url: str
    source_id: str
    # The article's focus (drug or condition), question type and, for question-answer sources, its question.
    focus: str
    qtype: str
    question: str

    @property
    def searchable(self) -> str:
        return f"{self.title}. {self.question + ' ' if self.question else ''}{self.text}"

    @property
    def focus_key(self) -> str:
        names = focus_names(self.focus or self.title)
        return names[0] if names else ""


class BM25:
    """Okapi BM25 over an inverted index; each term's weights are precomputed, so a query is a few adds."""

    def __init__(self, documents: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        avg = float(lengths.mean()) if self.size else 1.0
        postings: dict[str, dict[int, int]] = {}
        for i, doc in enumerate(documents):
            for term in doc:
                row = postings.setdefault(term, {})
                row[i] = row.get(i, 0) + 1
        self.postings = {}
        for term, row in postings.items():
            ids = np.fromiter(row.keys(), dtype=np.int32, count=len(row))
            tf = np.fromiter(row.values(), dtype=np.float32, count=len(row))
            idf = np.log(1 + (self.size - len(row) + 0.5) / (len(row) + 0.5))
            norm = k1 * (1 - b + b * lengths[ids] / max(avg, 1e-9))
            self.postings[term] = (ids, (idf * tf * (k1 + 1) / (tf + norm)).astype(np.float32))

    def scores(self, query_terms: list[str]) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for term in set(query_terms):
            if term in self.postings:
                ids, weights = self.postings[term]
                out[ids] += weights
        return out


def _top(scores: np.ndarray, k: int, *, positive_only: bool = False) -> list[int]:
    if scores.size == 0:
        return []
    k = min(k, scores.size)
    idx = np.argpartition(-scores, k - 1)[:k]
    idx = idx[np.argsort(-scores[idx], kind="stable")]
    return [int(i) for i in idx if not positive_only or scores[i] > 0]


@dataclass
class Hit:
    chunk: Chunk
    score: float
    bm25_rank: int | None
    dense_rank: int | None
    # How far the passage's cosine similarity stands above the query's average over all passages (0..1).
    dense_lift: float | None = None


def fuse(bm25: np.ndarray, dense: np.ndarray, k: int, *, method: str = "weighted", weight: float = DENSE_WEIGHT) -> list[tuple[int, float]]:
    """The best k of both searches' candidates: 'weighted' sums max-normalised BM25 and min-max-normalised
    cosine over the candidate pool; 'rrf' is reciprocal-rank fusion with the same weight."""
    lexical, semantic = _top(bm25, CANDIDATES, positive_only=True), _top(dense, CANDIDATES)
    if method == "rrf":
        fused: dict[int, float] = {}
        for w, ranking in ((1 - weight, lexical), (weight, semantic)):
            for rank, i in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + w / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda i: -fused[i])[:k]
        return [(i, fused[i]) for i in best]
    pool = np.array(sorted(set(lexical) | set(semantic)), dtype=np.int64)
    if not pool.size:
        return []
    b, d = bm25[pool], dense[pool]
    b = b / b.max() if b.max() > 0 else np.zeros_like(b)
    span = float(d.max() - d.min())
    d = (d - d.min()) / span if span > 0 else np.zeros_like(d)
    score = weight * d + (1 - weight) * b
    order = np.argsort(-score, kind="stable")[:k]
    return [(int(pool[j]), float(score[j])) for j in order]


class KnowledgeIndex:
    """An immutable snapshot of the index: chunks, their embeddings and BM25 over them."""

    def __init__(self, chunks: list[Chunk], embeddings: np.ndarray, signature: tuple = ()):
        self.chunks = chunks
        self.embeddings = embeddings.astype(np.float32, copy=False)
        self.signature = signature
        self.bm25 = BM25([terms(c.searchable) for c in chunks])
        self.focus_keys = np.array([c.focus_key for c in chunks], dtype=object)
        self.qtypes = np.array([normalise_qtype(c.qtype) for c in chunks], dtype=object)
        from chatbot.pipeline.medicines import DRUG_CLASSES

        # Medicines the knowledge base has no article on are recognised too, so that they get "I don't know".
        known_drugs = [d for drugs in DRUG_CLASSES.values() for d in drugs]
        self.vocabulary = FocusVocabulary.from_foci([*(c.focus or c.title for c in chunks), *known_drugs])

    def __len__(self):
        return len(self.chunks)

    def search_bm25(self, query: str, k: int = CANDIDATES) -> list[int]:
        return _top(self.bm25.scores(terms(query)), k, positive_only=True)

    def similarities(self, query: str) -> np.ndarray:
        """Cosine similarity of the query to every chunk (the encoder's vectors are normalised)."""
        if not len(self.chunks):
            return np.zeros(0, dtype=np.float32)
        from suite.ml.encoder import get_encoder

        return self.embeddings @ get_encoder().encode([query])[0]

    def search_dense(self, query: str, k: int = CANDIDATES) -> list[int]:
        return _top(self.similarities(query), k)

    def search(self, query: str, k: int = 8, *, mode: str = "fusion", foci: set[str] | None = None, qtype: str = "") -> list[Hit]:
        """Best chunks for a query: 'bm25', 'dense', or both fused ('fusion': weighted scores; 'rrf'). With `foci`,
        only chunks about one of those foci take part; with `qtype`, chunks of that question type come first."""
        bm25 = self.bm25.scores(terms(query)) if mode != "dense" else None
        dense = self.similarities(query) if mode != "bm25" else None
        raw_dense, allowed = dense, None
        if foci is not None:
            allowed = np.isin(self.focus_keys, list(foci)) if len(self.chunks) else np.zeros(0, dtype=bool)
            if not allowed.any():
                return []
            if bm25 is not None:
                bm25 = np.where(allowed, bm25, 0.0).astype(np.float32)
            if dense is not None:
                dense = np.where(allowed, dense, -1.0).astype(np.float32)
                if qtype:
                    dense = dense + 0.1 * ((self.qtypes == qtype) & allowed)
        if mode == "bm25":
            best = [(i, float(bm25[i])) for i in _top(bm25, k, positive_only=True)]
        elif mode == "dense":
            best = [(i, float(dense[i])) for i in _top(dense, k)]
        else:
            best = fuse(bm25, dense, k, method="rrf" if mode == "rrf" else "weighted")
        lex_rank = {i: r for r, i in enumerate(_top(bm25, CANDIDATES, positive_only=True))} if bm25 is not None else {}
        dense_rank = {i: r for r, i in enumerate(_top(dense, CANDIDATES))} if dense is not None else {}
        baseline = float(raw_dense.mean()) if raw_dense is not None and raw_dense.size else None
        return [
            Hit(self.chunks[i], score, lex_rank.get(i), dense_rank.get(i),
                None if baseline is None else max(0.0, (float(raw_dense[i]) - baseline) / max(1.0 - baseline, 1e-6)))
            for i, score in best
            if allowed is None or allowed[i]
        ]

    # --- persistence -------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps([c.__dict__ for c in self.chunks], ensure_ascii=False).encode("utf-8")
        signature = json.dumps(list(self.signature)).encode("utf-8")
        buffer = io.BytesIO()
        np.savez(buffer, embeddings=self.embeddings, meta=np.frombuffer(meta, dtype=np.uint8),
                 signature=np.frombuffer(signature, dtype=np.uint8))
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(path)  # one file, replaced at once: readers never see chunks and vectors disagree

    @classmethod
    def load(cls, path: Path) -> "KnowledgeIndex | None":
        try:
            with np.load(path) as data:
                chunks = [Chunk(**row) for row in json.loads(bytes(data["meta"]).decode("utf-8"))]
                signature = tuple(json.loads(bytes(data["signature"]).decode("utf-8"))) if "signature" in data else ()
                return cls(chunks, np.array(data["embeddings"]), signature)
        except (OSError, ValueError, KeyError, TypeError):
            return None


def index_path() -> Path:
    from suite.ml.encoder import encoder_path

    key = hashlib.sha1(encoder_path().encode()).hexdigest()[:12]  # another encoder means other vectors
    return Path(settings.VAR_DIR) / "kb" / f"index-{key}.npz"


def _passage_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


_worker_encoder = None


def _worker_start(path: str) -> None:
    """A forked embedding worker: one torch thread (the workers are the parallelism), its own encoder."""
    global _worker_encoder
    import torch

    from suite.ml.encoder import Encoder

    torch.set_num_threads(1)
    _worker_encoder = Encoder(path)


def _worker_embed(task: tuple[int, list[str], int, bool]) -> tuple[int, np.ndarray]:
    start, texts, max_length, bf16 = task
    return start, _worker_encoder.encode(texts, batch_size=EMBED_BATCH, max_length=max_length, bf16=bf16, cache=False)


def embed_passages(texts: list[str], *, progress=None, workers: int = 1) -> np.ndarray:
    """Normalised vectors of passages as the index keeps them (at most EMBED_MAX_TOKENS tokens, in bfloat16 where the
    hardware does it natively: cosine 0.99998 to float32 on MedQuAD passages, a third of the CPU). With several
    workers and enough passages, forked processes of one torch thread each share them out; otherwise this process
    embeds them. `progress(done, total)` is called after each slice."""
    import multiprocessing

    from suite.ml.encoder import bf16_native, encoder_path, get_encoder

    out = np.zeros((len(texts), 0), dtype=np.float32)
    if not texts:
        return out
    bf16 = bf16_native()
    # Slices of similar length (the encoder sorts within a slice by tokens) pad little.
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    tasks = [(start, [texts[i] for i in order[start : start + EMBED_SLICE]], EMBED_MAX_TOKENS, bf16)
             for start in range(0, len(order), EMBED_SLICE)]
    if progress is not None:
        progress(0, len(texts))
    results = {}
    workers = min(workers, len(tasks))
    if workers > 1 and len(texts) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        # Fork, not spawn: spawn re-imports the caller's main module (manage.py, a benchmark script).
        with multiprocessing.get_context("fork").Pool(workers, _worker_start, (encoder_path(),)) as pool:
            for start, vectors in pool.imap_unordered(_worker_embed, tasks):
                results[start] = vectors
                if progress is not None:
                    progress(len(vectors), len(texts))
    else:
        encoder = get_encoder()
        for start, batch, max_length, bf16 in tasks:
            results[start] = encoder.encode(batch, batch_size=EMBED_BATCH, max_length=max_length, bf16=bf16,
                                            cache=False)
            if progress is not None:
                progress(len(batch), len(texts))
    vectors = np.concatenate([results[start] for start, *_ in tasks])
    out = np.empty_like(vectors)
    out[order] = vectors
    return out


def build(articles: list[dict], previous: KnowledgeIndex | None, *, signature: tuple = (), progress=None,
          max_embed: int | None = None, workers: int = 1) -> tuple[KnowledgeIndex | None, int]:
    """A new index over `articles` (dicts with id, hash, title, body, source, url, source_id), reusing the
    previous index's chunks and vectors for articles whose content did not change, and the previous vector of any
    passage whose text it already holds (a re-import into a new database, an article whose other passages
    changed). Returns it and how many passages were embedded."""
    kept: dict[tuple[int, str], list[tuple[Chunk, np.ndarray]]] = {}
    known: dict[bytes, np.ndarray] = {}
    if previous is not None:
        for chunk, vector in zip(previous.chunks, previous.embeddings):
            kept.setdefault((chunk.article_id, chunk.article_hash), []).append((chunk, vector))
            known[_passage_key(chunk.searchable)] = vector
    chunks, vectors, todo = [], [], []
    for a in articles:
        reused = kept.get((a["id"], a["hash"]))
        if reused:
            for chunk, vector in reused:
                chunks.append(chunk)
                vectors.append(vector)
            continue
        for position, text in enumerate(chunk_article(a["body"])):
            chunk = Chunk(a["id"], a["hash"], position, text, a["title"], a["source"], a["url"], a["source_id"],
                          a.get("topic", ""), a.get("question_type", ""), a.get("question", ""))
            vector = known.get(_passage_key(chunk.searchable)) if known else None
            if vector is None:
                todo.append(len(chunks))
            chunks.append(chunk)
            vectors.append(vector)
    if max_embed is not None and len(todo) > max_embed:
        return None, len(todo)  # too much to embed here: the caller keeps what it has
    unique = list(dict.fromkeys(chunks[i].searchable for i in todo))  # a passage repeated in several articles: once
    if unique:
        fresh = dict(zip(unique, embed_passages(unique, progress=progress, workers=workers)))
        for i in todo:
            vectors[i] = fresh[chunks[i].searchable]
    dim = vectors[0].shape[0] if vectors else 1
    matrix = np.stack(vectors).astype(np.float32) if vectors else np.zeros((0, dim), dtype=np.float32)
    return KnowledgeIndex(chunks, matrix, signature), len(unique)


class HybridRetriever(BaseRetriever):
    """The knowledge index as a LangChain retriever: BM25 and dense results fused."""

    index: object
    k: int = 8
    mode: str = "fusion"
    foci: set | None = None
    qtype: str = ""

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=hit.chunk.text,
                metadata={
                    "title": hit.chunk.title, "url": hit.chunk.url, "source": hit.chunk.source, "source_id": hit.chunk.source_id,
                    "article_id": hit.chunk.article_id, "score": hit.score, "bm25_rank": hit.bm25_rank, "dense_rank": hit.dense_rank,
                    "dense_lift": hit.dense_lift, "focus": hit.chunk.focus, "focus_key": hit.chunk.focus_key,
                    "question_type": hit.chunk.qtype, "question": hit.chunk.question,
                },
            )
            for hit in self.index.search(query, self.k, mode=self.mode, foci=self.foci, qtype=self.qtype)
        ]
