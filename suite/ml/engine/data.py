"""Token windows: long texts cut into overlapping tokenizer windows tagged B-/I-/O, and window predictions merged
back into character spans. (What else differs per task type is in `suite.ml.tasktypes`.)"""
from dataclasses import dataclass

import numpy as np

from suite.ml.metrics import bio_to_spans
from suite.ml.tasktypes import token_tags


# --- token classification ---------------------------------------------------------------------


@dataclass
class TokenWindows:
    input_ids: list[list[int]]
    attention_mask: list[list[int]]
    offsets: list[list[tuple[int, int]]]
    example_index: list[int]
    tags: list[list[int]] | None
    words: list[list[int | None]] | None = None  # the text's word each token belongs to (None: special token)


def token_windows(tokenizer, texts: list[str], *, max_length: int, spans: list[list] | None, labels) -> TokenWindows:
    """Overlapping windows over long texts, each token tagged B-/I-/O from the character spans."""
    enc = tokenizer(
        texts, truncation=True, max_length=max_length, stride=max(8, max_length // 4),
        return_overflowing_tokens=True, return_offsets_mapping=True, padding=False,
    )
    mapping = enc["overflow_to_sample_mapping"]
    tag_index = {t: i for i, t in enumerate(token_tags(labels))}
    all_tags = [] if spans is not None else None
    for w, offsets in enumerate(enc["offset_mapping"]):
        if spans is None:
            continue
        ex_spans = sorted(spans[mapping[w]], key=lambda s: s[0])
        tags, previous = [], None
        for start, end in offsets:
            if start == end:  # special token
                tags.append(-100)
                previous = None
                continue
            hit = next((i for i, s in enumerate(ex_spans) if s[0] <= start < s[1]), None)
            if hit is None:
                tags.append(tag_index["O"])
            else:
                prefix = "I" if previous == hit else "B"
                tags.append(tag_index[f"{prefix}-{ex_spans[hit][2]}"])
            previous = hit
        all_tags.append(tags)
    words = [enc.word_ids(w) for w in range(len(enc["input_ids"]))]
    return TokenWindows(
        enc["input_ids"], enc["attention_mask"], [list(map(tuple, o)) for o in enc["offset_mapping"]], list(mapping), all_tags, words,
    )


def spans_from_windows(windows: TokenWindows, probs: list[np.ndarray], n_texts: int, labels) -> list[list]:
    """Merge window predictions (each token keeps its most confident window) into character spans."""
    tags = token_tags(labels)
    best: list[dict[tuple[int, int], tuple[float, int]]] = [dict() for _ in range(n_texts)]
    word_of: list[dict[tuple[int, int], int | None]] = [dict() for _ in range(n_texts)]
    for w, p in enumerate(probs):
        ex = windows.example_index[w]
        words = windows.words[w] if windows.words is not None else [None] * len(windows.offsets[w])
        for (start, end), row, word in zip(windows.offsets[w], p, words):
            if start == end:
                continue
            k = int(row.argmax())
            word_of[ex][(start, end)] = word
            if (start, end) not in best[ex] or row[k] > best[ex][(start, end)][0]:
                best[ex][(start, end)] = (float(row[k]), k)
    out = []
    for ex_best, ex_words in zip(best, word_of):
        ordered = sorted(ex_best.items())
        seq = [tags[k] for _, (_, k) in ordered]
        # A word's first piece decides the whole word: a stray tag on "##piece" would split or cut an entity.
        for i in range(1, len(ordered)):
            word = ex_words[ordered[i][0]]
            if word is not None and word == ex_words[ordered[i - 1][0]]:
                seq[i] = "O" if seq[i - 1] == "O" else "I-" + seq[i - 1].split("-", 1)[1]
        spans = []
        for s, e, label in bio_to_spans(seq):
            conf = float(np.mean([ordered[i][1][0] for i in range(s, e)]))
            spans.append([ordered[s][0][0], ordered[e - 1][0][1], label, round(conf, 4)])
        out.append(spans)
    return out
