"""What resumes.ner's CRF knows about a resume beyond any text (the engine's own features: suite.ml.engine.crf).

Per token: the section it sits in and its line's layout (heading, name line, e-mail, years, title/degree/school
words), the layout rules' own reading (name line, job header, dates, degree, school) and the taxonomy's skills as
B-/I- marks, word lists (title, degree and school words, known regions) and gazetteers imported into the database
(O*NET occupation titles with their alternate and reported titles, ESCO and O*NET skills through the taxonomy).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from resumes.pipeline.sections import heading_of, section_of, split_sections
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.structure import DEGREE_WORDS, EMAIL, REGIONS, SCHOOL_WORDS, TITLE_WORDS, name_in
from suite.ml.engine.crf import bio_tags, line_of_tokens

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


def _bucket(n: int, edges=(0, 1, 2, 3, 5, 8, 12, 20, 40)) -> int:
    return edges[max(0, bisect_right(edges, n) - 1)]


def gazetteer_tags(text: str, tokens: list[tuple[int, int]], lines: list[int], phrases: frozenset) -> list[str]:
    """B/I where the longest gazetteer phrase on a line covers a token, O elsewhere."""
    keys = [gazetteer_key(text[s:e]) for s, e in tokens]
    tags = ["O"] * len(tokens)
    i = 0
    while i < len(tokens):
        found = 0
        words: tuple[str, ...] = ()
        for n in range(GAZETTEER_WORDS):
            j = i + n
            if j >= len(tokens) or lines[j] != lines[i]:
                break
            words += keys[j]
            if not keys[j]:
                break  # punctuation ends a phrase
            if words in phrases:
                found = n + 1
        if found:
            tags[i : i + found] = ["B"] + ["I"] * (found - 1)
            i += found
        else:
            i += 1
    return tags


def token_features(
    text: str,
    tokens: list[tuple[int, int]],
    *,
    rule_spans: list[list],
    taxonomy: Taxonomy,
    titles: frozenset = frozenset(),
) -> list[list[str]]:
    """One list of resume features per token (CRFsuite attribute strings), the neighbours' marks included."""
    sections = split_sections(text)
    lines = line_of_tokens(text, tokens)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    rule = bio_tags(tokens, rule_spans)
    skill = bio_tags(tokens, [(h.start, h.end, h.kind) for h in taxonomy.find(text)])
    title = gazetteer_tags(text, tokens, lines, titles) if titles else ["O"] * len(tokens)
    before_rule, after_rule = ["-1:rule=" + t for t in rule], ["1:rule=" + t for t in rule]
    before_title, after_title = ["-1:onet=" + t for t in title], ["1:onet=" + t for t in title]
    line_feats: dict[int, list[str]] = {}
    out = []
    for i, (start, end) in enumerate(tokens):
        li = lines[i]
        feats = line_feats.get(li)
        if feats is None:
            ls = line_starts[li]
            le = text.find("\n", ls)
            line = text[ls : len(text) if le < 0 else le]
            stripped = line.strip()
            prev_blank = li == 0 or not text[line_starts[li - 1] : ls].strip()
            feats = line_feats[li] = [
                f"line.upper={stripped.isupper()}",
                f"line.title={stripped.istitle()}",
                f"line.heading={heading_of(stripped) or '-'}",
                f"line.name={name_in(line) is not None}",
                f"line.words={_bucket(len(stripped.split()))}",
                f"line.prevblank={prev_blank}",
                f"line.comma={',' in stripped}",
                f"line.email={bool(EMAIL.search(stripped))}",
                f"line.year={bool(YEAR_IN.search(stripped))}",
                f"line.titleword={bool(TITLE_WORDS.search(stripped))}",
                f"line.degree={bool(DEGREE_WORDS.search(stripped))}",
                f"line.school={bool(SCHOOL_WORDS.search(stripped))}",
                f"section={section_of(sections, start)}",
            ]
        f = [*_word_features(text[start:end]), "rule=" + rule[i], "skill=" + skill[i], "onet=" + title[i], *feats]
        if i > 0:
            f += (before_rule[i - 1], before_title[i - 1])
        if i + 1 < len(tokens):
            f += (after_rule[i + 1], after_title[i + 1])
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
