"""Extractive summaries: sentence salience, redundancy removed (MMR), length chosen by the user, in chunks.

Before training, salience is TF-IDF centrality with a lead prior (cheap, no encoder); a trained
`summarizer.salience` version scores sentences with the fine-tuned encoder instead.
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

CHUNK_SENTENCES = 400  # sentences scored at once: memory stays bounded however long the document
MIN_WORDS = 5
MMR_LAMBDA = 0.75
LEAD_WEIGHT = 0.3


@dataclass
class Candidate:
    index: int
    score: float


def _tfidf(texts: list[str]):
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[A-Za-z][A-Za-z0-9\-]+\b")
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # only stop words
        return None


def lead_prior(n: int) -> np.ndarray:
    """Early sentences matter more in most documents; decays gently so the body still counts."""
    return 1.0 / (1.0 + np.arange(n) / 3.0)


def centrality_scores(texts: list[str]) -> np.ndarray:
    """How much each sentence shares with the rest (TF-IDF cosine to the centroid), 0..1, plus a lead prior."""
    n = len(texts)
    if n == 0:
        return np.zeros(0)
    matrix = _tfidf(texts)
    if matrix is None:
        central = np.zeros(n)
    else:
        centroid = np.asarray(matrix.mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid) or 1.0
        central = np.asarray(matrix @ (centroid / norm)).ravel()
        central = central / (central.max() or 1.0)
    short = np.array([len(t.split()) < MIN_WORDS for t in texts])
    scores = (1 - LEAD_WEIGHT) * central + LEAD_WEIGHT * lead_prior(n)
    scores[short] *= 0.2  # headings and fragments rarely make a summary sentence
    return scores


# A trained scorer reads one sentence at a time; in a long paper the introduction restates the contribution, so
# the lead counts too. Chosen on ScisummNet training papers (bench/summarizer.py); abstracts keep the model alone.
TRAINED_LEAD_WEIGHT, LONG_DOCUMENT_SENTENCES = 0.65, 30


def fuse_trained(scores: list[float]) -> list[float]:
    """A trained version's sentence scores, min-max scaled, blended with the lead prior in long documents."""
    s = np.asarray(scores, dtype=float)
    if len(s) <= LONG_DOCUMENT_SENTENCES or len(s) == 0:
        return list(s)
    scaled = (s - s.min()) / (s.max() - s.min() + 1e-9)
    return list((1 - TRAINED_LEAD_WEIGHT) * scaled + TRAINED_LEAD_WEIGHT * lead_prior(len(s)))


def mmr_select(texts: list[str], scores: list[float], *, k: int | None = None, words: int | None = None, lam: float = MMR_LAMBDA) -> list[int]:
    """Greedy maximal marginal relevance: best score minus similarity to what is already chosen; document order out.

    A word budget adds sentences until it is reached, the rule Lead-k and the sumy baselines follow in bench/.
    """
    n = len(texts)
    if n == 0:
        return []
    matrix = _tfidf(texts)
    sims = (matrix @ matrix.T).toarray() if matrix is not None else np.zeros((n, n))
    s = np.asarray(scores, dtype=float)
    if s.max() > s.min():
        s = (s - s.min()) / (s.max() - s.min())
    chosen: list[int] = []
    total_words = 0
    limit_k = k or (n if words else max(1, round(n * 0.2)))
    while len(chosen) < min(limit_k, n):
        redundancy = sims[:, chosen].max(axis=1) if chosen else np.zeros(n)
        value = lam * s - (1 - lam) * redundancy
        value[chosen] = -np.inf
        best = int(np.argmax(value))
        chosen.append(best)
        total_words += len(texts[best].split())
        if words and total_words >= words:
            break
    return sorted(chosen)


def top_candidates(texts: list[str], score_chunk, *, keep: int) -> list[Candidate]:
    """Score sentences chunk by chunk with `score_chunk(texts) -> scores` and keep the `keep` best in a heap."""
    heap: list[tuple[float, int]] = []
    for start in range(0, len(texts), CHUNK_SENTENCES):
        chunk = texts[start : start + CHUNK_SENTENCES]
        for offset, score in enumerate(score_chunk(chunk, start)):
            item = (float(score), start + offset)
            if len(heap) < keep:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)
    return sorted((Candidate(i, s) for s, i in heap), key=lambda c: c.index)


# --- papers: the structured summary --------------------------------------------------------------

PAPER_PARTS = {
    "objective": (r"\b(?:we (?:propose|present|introduce|study|address|investigate|consider)|this (?:paper|work|article)|our goal|aim(?:s)? (?:to|of)|the problem of)\b", ("abstract", "introduction")),
    "method": (r"\b(?:we (?:use|train|apply|design|develop|build|model|extend|formulate|learn)|our (?:method|approach|model|algorithm|system|framework)|is based on|consists of)\b", ("method", "approach", "model")),
    "results": (r"\b(?:outperform|achiev|improv|results? (?:show|indicate|demonstrate)|we (?:show|find|demonstrate|observe)|state[- ]of[- ]the[- ]art|accuracy|f1|bleu|significant)\w*", ("result", "experiment", "evaluation")),
    "limitations": (r"\b(?:limitation|limited|however|fail(?:s|ed)? to|future work|does not|cannot|drawback|shortcoming|remains? (?:an )?open)\b", ("limitation", "discussion", "conclusion")),
}


def structured_parts(texts: list[str], scores: list[float], sections: list[str]) -> dict[str, int | None]:
    """For each part of a paper's summary, the best-scoring sentence that reads like it (an index, or None)."""
    out, used = {}, set()
    s = np.asarray(scores, dtype=float)
    for part, (pattern, section_words) in PAPER_PARTS.items():
        regex = re.compile(pattern, re.IGNORECASE)
        best, best_value = None, -np.inf
        for i, text in enumerate(texts):
            if i in used or len(text.split()) < MIN_WORDS:
                continue
            cue = 1.0 if regex.search(text) else 0.0
            in_section = 0.5 if any(w in sections[i] for w in section_words) else 0.0
            if cue == 0 and in_section == 0:
                continue
            value = cue + in_section + s[i]
            if value > best_value:
                best, best_value = i, value
        out[part] = best
        if best is not None:
            used.add(best)
    return out


# --- contracts: a summary of what binds ------------------------------------------------------------

# topic: (what a sentence about it says, the key-term categories whose passage answers it)
CONTRACT_TOPICS = {
    "Parties and purpose": (r"\bby and between\b|\bentered into\b.{0,200}\bbetween\b|\bhereby (?:appoints|engages|retains)\b|\bagrees? to (?:supply|provide|sell|purchase|distribute|manufacture|develop|license|perform|render)\b",
                            ("Parties",)),
    "Term and renewal": (r"\binitial term\b|\bterm of this agreement\b|\bshall (?:commence|continue in (?:full )?(?:force|effect))\b|\b(?:automatically )?renew", ("Expiration Date", "Renewal Term")),
    "Payment": (r"^(?!.*\b(?:liab|liable|indemn|damages)).*(?:\b(?:shall|will|agrees? to) pay\b|\bpayable\b|\binvoices?\b|\bfees?\b|\broyalt(?:y|ies)\b|\bpurchase price\b|\bcompensation\b)", ("Revenue/Profit Sharing", "Minimum Commitment")),
    "Termination": (r"\bterminat\w*\b", ("Termination for Convenience",)),
    "Liability and indemnity": (r"\bindemnif\w*|\bhold harmless\b|\bliabilit(?:y|ies)\b|\bliable\b", ("Cap on Liability", "Uncapped Liability")),
    "Intellectual property": (r"\bintellectual property\b|\bpatents?\b|\btrademarks?\b|\bcopyrights?\b|\blicen[cs]e\b", ("License Grant", "IP Ownership Assignment")),
    "Confidentiality": (r"\bconfidential", ()),
    "Governing law": (r"\bgoverned by\b.{0,80}\blaws?\b|\bconstrued in accordance with\b.{0,60}\blaws?\b", ("Governing Law",)),
}
_BINDS = re.compile(r"\b(?:shall|will|may|must|agrees?|hereby|is entitled|are entitled|is made|entered into)\b", re.IGNORECASE)


def contract_topics(texts: list[str], scores: list[float], *, excluded: set[int], key_term_at: dict[int, set[str]], k: int | None = None) -> list[tuple[str, int]]:
    """One operative sentence per topic a contract covers, `(topic, index)` in the topics' order.

    `excluded` are boilerplate sentences (letterhead, recitals, definitions, signatures, contents); `key_term_at`
    maps a sentence index to the categories shown from it, so a topic prefers the passage its key term cites.
    """
    chosen: list[tuple[str, int]] = []
    used: set[int] = set()
    for topic, (pattern, categories) in CONTRACT_TOPICS.items():
        regex = re.compile(pattern, re.IGNORECASE | re.DOTALL)
        best, best_value = None, -np.inf
        for i, text in enumerate(texts):
            if i in used or i in excluded or len(text.split()) < 8 or not _BINDS.search(text) or not regex.search(text):
                continue
            value = float(scores[i]) + (1.0 if key_term_at.get(i, set()) & set(categories) else 0.0)
            if value > best_value:
                best, best_value = i, value
        if best is not None:
            chosen.append((topic, best))
            used.add(best)
        if k is not None and len(chosen) >= k:
            break
    return chosen
