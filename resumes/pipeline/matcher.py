"""Hybrid job ranking: encoder similarity, normalised skill overlap, experience and seniority fit, location.

Job embeddings and skills are precomputed into a JobIndex, so ranking 100,000 postings is a few matrix products
and a partial sort, not a loop over postings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

WEIGHTS = {"similarity": 0.45, "skills": 0.35, "experience": 0.12, "location": 0.08}
# How much a trained resumes.match ranker counts against the hybrid score, on the shortlist it re-scores.
RANKER_WEIGHT = 0.6
SHORTLIST = 50
SENIORITY_WORDS = (
    (4, r"\b(?:chief|director|head|vp|vice president|executive|commissioner|deputy commissioner)\b"),
    (3, r"\b(?:senior|sr\.?|lead|principal|manager|supervisor|architect)\b"),
    (1, r"\b(?:junior|jr\.?|intern|trainee|entry|assistant|apprentice|aide|level (?:1|i)|graduate)\b"),
)
# How much a posting loses for each degree of likeness to a job the candidate marked "not relevant".
REJECTED_PENALTY = 0.35


def seniority_of(title: str) -> int:
    """1 entry, 2 mid, 3 senior, 4 executive, from the words of a title."""
    lowered = title.lower()
    for level, pattern in SENIORITY_WORDS:
        if re.search(pattern, lowered):
            return level
    return 2


def seniority_from_months(months: int) -> int:
    return 1 if months < 24 else 2 if months < 72 else 3 if months < 144 else 4


def candidate_level(*, title: str, months: int) -> int:
    """A candidate's seniority: the title's when it says one, else the timeline's; years alone never make an executive."""
    by_title = seniority_of(title) if title else 2
    by_months = min(3, seniority_from_months(months))
    return by_title if by_title != 2 else by_months


def pair_scores(queries: list[str], candidates: list[str], taxonomy) -> np.ndarray:
    """The untrained match score of (profile text, job text) pairs: similarity and skill overlap."""
    from suite.ml.encoder import get_encoder

    if not queries:
        return np.zeros(0, dtype=np.float32)
    encoder = get_encoder()
    q, c = encoder.encode(list(queries)), encoder.encode(list(candidates))
    similarity = (q * c).sum(1)
    overlap = []
    for query, candidate in zip(queries, candidates):
        wanted = {h.name.lower() for h in taxonomy.find(candidate)}
        have = {h.name.lower() for h in taxonomy.find(query)}
        overlap.append(len(wanted & have) / len(wanted) if wanted else 0.0)
    w = WEIGHTS["similarity"] + WEIGHTS["skills"]
    return (WEIGHTS["similarity"] * (similarity + 1) / 2 + WEIGHTS["skills"] * np.asarray(overlap)) / w


@dataclass
class JobIndex:
    """Postings as arrays: ids, unit embeddings, a job x skill 0/1 matrix, seniority and location tokens."""

    job_ids: np.ndarray
    embeddings: np.ndarray  # float32 (n, dim), L2-normalised
    skill_vocab: dict[str, int]
    skill_matrix: "scipy.sparse.csr_matrix"  # noqa: F821
    seniority: np.ndarray
    locations: list[str]
    key: str = ""
    title_words: list[frozenset] | None = None

    @property
    def size(self) -> int:
        return len(self.job_ids)


def build_index(job_ids, embeddings, skills: list[list[str]], seniority, locations, *, key: str = "",
                titles: list[str] | None = None) -> JobIndex:
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for row, names in enumerate(skills):
        for name in set(names):
            rows.append(row)
            cols.append(vocab.setdefault(name, len(vocab)))
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(skills), max(len(vocab), 1)))
    return JobIndex(np.asarray(job_ids), np.asarray(embeddings, dtype=np.float32), vocab, matrix,
                    np.asarray(seniority, dtype=np.int8), [l.lower() for l in locations], key,
                    [title_words(t) for t in titles] if titles is not None else None)


_GENERIC_TITLE_WORDS = {"senior", "sr", "junior", "jr", "lead", "level", "i", "ii", "iii", "1", "2", "3", "of", "and", "the", "for"}


def title_words(title: str) -> frozenset:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in _GENERIC_TITLE_WORDS)


def likeness_to(index: JobIndex, rows: np.ndarray) -> np.ndarray:
    """How alike each posting is to the most alike of `rows`: shared skills or shared title words (Jaccard)."""
    matrix = index.skill_matrix
    wanted = np.asarray(matrix.sum(1)).ravel()
    best = np.zeros(index.size, np.float32)
    for row in np.flatnonzero(rows):
        shared = np.asarray((matrix @ matrix[row].T).todense()).ravel()
        union = wanted + wanted[row] - shared
        skills = np.where(union > 0, shared / np.maximum(union, 1), 0.0)
        if index.title_words is not None:
            mine = index.title_words[row]
            words = np.fromiter((len(mine & t) / len(mine | t) if mine | t else 0.0 for t in index.title_words), np.float32, index.size)
            skills = np.maximum(skills, words)
        best = np.maximum(best, skills)
    return best


def rank(index: JobIndex, *, profile_vector: np.ndarray, skills: list[str], months: int, location: str, top: int,
         exclude: set[int] = frozenset(), level: int | None = None, rejected: set[int] = frozenset()) -> list[dict]:
    """The `top` best postings by hybrid score, each with its score components; vectorised over the index."""
    if index.size == 0:
        return []
    similarity = index.embeddings @ profile_vector.astype(np.float32)
    have = np.zeros(index.skill_matrix.shape[1], dtype=np.float32)
    for name in skills:
        col = index.skill_vocab.get(name)
        if col is not None:
            have[col] = 1.0
    wanted = np.asarray(index.skill_matrix.sum(1)).ravel()
    matched = index.skill_matrix @ have
    # Share of the posting's skills the candidate has; a posting naming no skills gets a neutral half.
    overlap = np.where(wanted > 0, matched / np.maximum(wanted, 1), 0.5)
    level = level or seniority_from_months(months)
    experience = 1.0 - np.abs(index.seniority.astype(np.float32) - level) / 3.0
    city = _city(location)
    location_fit = np.fromiter((1.0 if city and city in loc else 0.5 for loc in index.locations), np.float32, index.size) \
        if city else np.full(index.size, 0.5, np.float32)
    score = (WEIGHTS["similarity"] * (similarity + 1) / 2 + WEIGHTS["skills"] * overlap
             + WEIGHTS["experience"] * experience + WEIGHTS["location"] * location_fit)
    rejected_rows = np.isin(index.job_ids, list(rejected)) if rejected else None
    if rejected_rows is not None and rejected_rows.any():
        # Postings like one the candidate marked "not relevant" (its skills, its title's words) drop with their likeness.
        score -= REJECTED_PENALTY * likeness_to(index, rejected_rows)
    # Two or more levels below the candidate ("Level 1" for a senior manager) is not advice.
    too_junior = index.seniority.astype(np.int16) <= level - 2
    blocked = set(exclude) | set(rejected)
    if blocked:
        score[np.isin(index.job_ids, list(blocked))] = -1
    score[too_junior] = -1
    k = min(top, index.size)
    best = np.argpartition(-score, k - 1)[:k]
    best = best[np.argsort(-score[best], kind="stable")]
    return [
        {"job_id": int(index.job_ids[i]), "score": float(score[i]), "components": {
            "similarity": round(float(similarity[i]), 4), "skills": round(float(overlap[i]), 4),
            "experience": round(float(experience[i]), 4), "location": round(float(location_fit[i]), 4)}}
        for i in best if score[i] > -1
    ]


# Two postings whose titles and employers read this alike (rapidfuzz 0-100, case and punctuation aside) are one opening
# posted twice ("Computer Systems Manager" / "Computer System Manager", "HOUSING AUTHORITY" / "Housing Authority").
NEAR_DUPLICATE = 92


def near_duplicate(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two (title, employer) pairs are the same opening written slightly differently."""
    from rapidfuzz import fuzz, utils

    return (fuzz.ratio(a[0], b[0], processor=utils.default_process) >= NEAR_DUPLICATE
            and fuzz.token_sort_ratio(a[1], b[1], processor=utils.default_process) >= NEAR_DUPLICATE)


def _city(location: str) -> str:
    first = (location or "").split(",")[0].strip().lower()
    aliases = {"nyc": "new york", "new york city": "new york", "brooklyn": "brooklyn", "manhattan": "new york"}
    return aliases.get(first, first)


def why_sentence(*, title: str, matched: list[str], missing: list[str], components: dict, months: int) -> str:
    """One sentence a candidate can check against the posting."""
    parts = []
    if matched:
        parts.append(f"you have {len(matched)} of the skills it asks for ({', '.join(matched[:3])})")
    if components.get("similarity", 0) >= 0.5:
        parts.append("your experience reads close to its description")
    if components.get("experience", 0) >= 0.99:
        parts.append(f"its seniority fits your {months // 12} years of experience")
    if components.get("location", 0) >= 1.0:
        parts.append("it is where you live")
    reason = "; ".join(parts) or "its description is the nearest to your profile among the postings"
    gap = f" You would still need {', '.join(missing[:2])}." if missing else ""
    return f"{title} fits because {reason}.{gap}"
