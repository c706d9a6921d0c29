"""What resumes.ner's CRF knows about a resume beyond any text (the engine's own features: suite.ml.engine.crf).

Per token: the section it sits in and its line's layout (heading, name line, e-mail, years, title/degree/school
words), the layout rules' own reading (name line, job header, dates, degree, school) and the taxonomy's skills as
B-/I- marks, word lists (title, degree and school words, known regions) and gazetteers imported into the database
(O*NET occupation titles with their alternate and reported titles, ESCO and O*NET skills through the taxonomy).
"""

from __future__ import annotations

import re
from functools import lru_cache

from resumes.pipeline.sections import heading_of, section_of, split_sections
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.structure import DEGREE_WORDS, EMAIL, REGIONS, SCHOOL_WORDS, TITLE_WORDS, name_in
from suite.ml.engine.crf import bio_tags, bucket, line_of_tokens

MONTHS = {
    m[:3]
    for m in ("january february march april may june july august september october november december sept").split()
}
YEAR = re.compile(r"^(?:19|20)\d\d$")
YEAR_IN = re.compile(r"(?:19|20)\d\d")
WORD = re.compile(r"[a-z0-9]+")
# Longest gazetteer phrase looked for, in words (O*NET titles past six words are rare and never on one resume line).
GAZETTEER_WORDS = 6


@lru_cache(maxsize=200_000)
def gazetteer_key(phrase: str) -> tuple[str, ...]:
    """A phrase as the gazetteer compares it: its lower-case words, punctuation set aside."""
    return tuple(WORD.findall(phrase.lower()))


@lru_cache(maxsize=100_000)
def _word_features(w: str) -> tuple[str, ...]:
    """What a word says in a resume: dates, places, title, degree and school words (cached: words repeat)."""
    low = w.lower()
    return (
        f"year={bool(YEAR.match(w))}",
        f"month={low[:3] in MONTHS and w.isalpha()}",
        f"region={low.strip('.') in REGIONS}",
        f"titleword={bool(TITLE_WORDS.fullmatch(w))}",
        f"degree={bool(DEGREE_WORDS.fullmatch(w))}",
        f"school={bool(SCHOOL_WORDS.fullmatch(w))}",
    )


_prefixes_of: tuple = (None, frozenset())  # the last gazetteer seen and every word-level prefix of its phrases


def _prefixes(phrases: frozenset) -> frozenset:
    """Every phrase's leading words (1..all): a line's words stop being looked up once no phrase starts with them."""
    global _prefixes_of
    seen, prefixes = _prefixes_of
    if seen is not phrases:
        prefixes = frozenset(p[:k] for p in phrases for k in range(1, len(p) + 1))
        _prefixes_of = (phrases, prefixes)
    return prefixes


def gazetteer_tags(text: str, tokens: list[tuple[int, int]], lines: list[int], phrases: frozenset) -> list[str]:
    """B/I where the longest gazetteer phrase on a line covers a token, O elsewhere."""
    keys = [gazetteer_key(text[s:e]) for s, e in tokens]
    prefixes = _prefixes(phrases)
    n_tokens = len(tokens)
    tags = ["O"] * n_tokens
    i = 0
    while i < n_tokens:
        found = 0
        words: tuple[str, ...] = ()
        line = lines[i]
        for n in range(GAZETTEER_WORDS):
            j = i + n
            if j >= n_tokens or lines[j] != line or not keys[j]:
                break  # a phrase stays on its line; punctuation ends it
            words += keys[j]
            if words not in prefixes:
                break  # no phrase goes on from here
            if words in phrases:
                found = n + 1
        if found:
            tags[i : i + found] = ["B"] + ["I"] * (found - 1)
            i += found
        else:
            i += 1
    return tags


_heading = lru_cache(maxsize=20_000)(heading_of)  # a pure function of the line; headings recur in every resume


@lru_cache(maxsize=20_000)
def _line_features(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a line's text says (before and after the line's blank-line mark, in the order the model was fit on)."""
    stripped = line.strip()
    return (
        (
            f"line.upper={stripped.isupper()}",
            f"line.title={stripped.istitle()}",
            f"line.heading={_heading(stripped) or '-'}",
            f"line.name={name_in(line) is not None}",
            f"line.words={bucket(len(stripped.split()))}",
        ),
        (
            f"line.comma={',' in stripped}",
            f"line.email={bool(EMAIL.search(stripped))}",
            f"line.year={bool(YEAR_IN.search(stripped))}",
            f"line.titleword={bool(TITLE_WORDS.search(stripped))}",
            f"line.degree={bool(DEGREE_WORDS.search(stripped))}",
            f"line.school={bool(SCHOOL_WORDS.search(stripped))}",
        ),
    )


@lru_cache(maxsize=256)
def _marks(tag: str, name: str) -> tuple[str, str, str]:
    """A B/I/O mark as the token's own feature, its next token's and its previous token's."""
    return f"{name}={tag}", f"-1:{name}={tag}", f"1:{name}={tag}"


def token_features(
    text: str,
    tokens: list[tuple[int, int]],
    *,
    rule_spans: list[list],
    taxonomy: Taxonomy,
    titles: frozenset = frozenset(),
) -> list[list[str]]:
    """One list of resume features per token (CRFsuite attribute strings), the neighbours' marks included.

    Built for speed (every parse of a served CRF): words, lines and marks come from caches, each line's features
    are made once, and each token's list is its cached tuples joined."""
    n_tokens = len(tokens)
    sections = split_sections(text)
    lines = line_of_tokens(text, tokens)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    rule = [_marks(t, "rule") for t in bio_tags(tokens, rule_spans)]
    skill = [f"skill={t}" for t in bio_tags(tokens, [(h.start, h.end, h.kind) for h in taxonomy.find(text)])]
    onet = [_marks(t, "onet") for t in (gazetteer_tags(text, tokens, lines, titles) if titles else ["O"] * n_tokens)]
    out = []
    last_line, feats = -1, ()
    for i, (start, end) in enumerate(tokens):
        li = lines[i]
        if li != last_line:
            last_line = li
            ls = line_starts[li]
            le = text.find("\n", ls)
            head, tail = _line_features(text[ls : len(text) if le < 0 else le])
            prev_blank = li == 0 or not text[line_starts[li - 1] : ls].strip()
            feats = (*head, f"line.prevblank={prev_blank}", *tail, f"section={section_of(sections, start)}")
        f = [*_word_features(text[start:end]), rule[i][0], skill[i], onet[i][0], *feats]
        if i > 0:
            f += (rule[i - 1][1], onet[i - 1][1])
        if i + 1 < n_tokens:
            f += (rule[i + 1][2], onet[i + 1][2])
        out.append(f)
    return out


def name_everywhere(text: str, spans: list[list]) -> list[list]:
    """The first Name span's text marked as Name wherever else it is written, as dotin labels it (in the first 260
    dotin resumes 365 of the name's 365 repeats are labelled), unless another span is there."""
    names = [s for s in spans if s[2] == "Name"]
    if not names:
        return spans
    first = min(names, key=lambda s: s[0])
    name = text[first[0] : first[1]].strip()
    if len(name) < 4 or " " not in name:
        return spans  # a lone word ("Sales") recurs for other reasons
    extra = [
        [m.start(), m.end(), "Name", first[3] if len(first) > 3 else 1.0]
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        if not any(s[0] < m.end() and m.start() < s[1] for s in spans)
    ]
    return sorted([*spans, *extra], key=lambda s: (s[0], s[1])) if extra else spans
