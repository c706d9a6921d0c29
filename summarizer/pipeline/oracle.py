"""Reference summaries as sentence labels: the greedy ROUGE oracle (add the sentence that raises ROUGE-1+2 most)."""
from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"[a-z0-9]+")


def _grams(tokens: list[str], n: int) -> Counter:
    return Counter(zip(*(tokens[i:] for i in range(n))))


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap or not predicted or not reference:
        return 0.0
    p, r = overlap / predicted, overlap / reference
    return 2 * p * r / (p + r)


def greedy_oracle(sentences: list[str], reference: str, *, max_sentences: int = 10) -> list[int]:
    """Indices of sentences, in document order, whose union best matches the reference (at least one)."""
    ref = _TOKEN.findall(reference.lower())
    ref1, ref2 = _grams(ref, 1), _grams(ref, 2)
    toks = [_TOKEN.findall(s.lower()) for s in sentences]
    g1 = [_grams(t, 1) for t in toks]
    g2 = [_grams(t, 2) for t in toks]
    chosen: list[int] = []
    sel1, sel2, best = Counter(), Counter(), 0.0
    while len(chosen) < max_sentences:
        pick, pick_score = None, best
        for i in range(len(sentences)):
            if i in chosen or not toks[i]:
                continue
            c1, c2 = sel1 + g1[i], sel2 + g2[i]
            score = _f1(sum((c1 & ref1).values()), sum(c1.values()), sum(ref1.values())) + _f1(
                sum((c2 & ref2).values()), sum(c2.values()), sum(ref2.values()))
            if score > pick_score:
                pick, pick_score = i, score
        if pick is None:
            break
        chosen.append(pick)
        sel1, sel2, best = sel1 + g1[pick], sel2 + g2[pick], pick_score
    if not chosen and sentences:
        chosen = [0]
    return sorted(chosen)
