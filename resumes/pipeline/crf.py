"""resumes.ner as a linear-chain CRF (CRFsuite) over what the uncased encoder cannot see.

Each token is described by its case and shape, its place on the line and in the document, the section it sits
in, the layout parser's own reading (name line, job header, dates, degree, school, taxonomy skill), word lists
(title, degree and school words, known regions) and its neighbours. Tags are BIO; decoding turns them into
well-formed spans (an I- after anything but its own label opens a span, it never dangles).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from resumes.pipeline.sections import heading_of, section_of, split_sections
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.structure import DEGREE_WORDS, EMAIL, REGIONS, SCHOOL_WORDS, TITLE_WORDS, name_in

TOKEN = re.compile(
    rf"{EMAIL.pattern}|(?:https?://|www\.)\S+|\w+(?:[.'’+#&/-]\w+)*[+#]*\.?|[^\w\s]",
)
MONTHS = {
    m[:3]
    for m in ("january february march april may june july august september october november december sept").split()
}
YEAR = re.compile(r"^(?:19|20)\d\d$")
YEAR_IN = re.compile(r"(?:19|20)\d\d")


def tokenize(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


_SHAPE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10)
_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=50_000)
def _shape(word: str) -> str:
    return _RUNS.sub(r"\1\1", word.translate(_SHAPE))[:8]  # runs collapsed, so "Xxxxxx" and "Xxxx" share a shape


@lru_cache(maxsize=100_000)
def _word_features(w: str) -> tuple[str, ...]:
    """What a word says by itself: case, shape, affixes, patterns and word lists (cached: words repeat)."""
    low = w.lower()
    return (
        f"w={low}",
        f"suf3={low[-3:]}",
        f"shape={_shape(w)}",
        f"upper={w.isupper()}",
        f"title={w.istitle()}",
        f"hasdigit={any(c.isdigit() for c in w)}",
        f"email={bool(EMAIL.fullmatch(w))}",
        f"year={bool(YEAR.match(w))}",
        f"month={low[:3] in MONTHS and w.isalpha()}",
        f"region={low.strip('.') in REGIONS}",
        f"titleword={bool(TITLE_WORDS.fullmatch(w))}",
        f"degree={bool(DEGREE_WORDS.fullmatch(w))}",
        f"school={bool(SCHOOL_WORDS.fullmatch(w))}",
    )


@lru_cache(maxsize=100_000)
def _neighbour_features(w: str, d: int) -> tuple[str, ...]:
    if abs(d) == 1:
        return (f"{d}:w={w.lower()}", f"{d}:shape={_shape(w)}", f"{d}:title={w.istitle()}", f"{d}:upper={w.isupper()}")
    return (f"{d}:w={w.lower()}",)


def _bucket(n: int, edges=(0, 1, 2, 3, 5, 8, 12, 20, 40)) -> str:
    return str(edges[max(0, bisect_right(edges, n) - 1)])


def token_features(
    text: str, tokens: list[tuple[int, int]], rule_spans: list[list], taxonomy: Taxonomy
) -> list[list[str]]:
    """One feature list per token (CRFsuite attribute strings)."""
    sections = split_sections(text)
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    line_info: dict[int, dict] = {}
    # the rules' reading of the layout and the taxonomy's skills, as B-/I- marks over the tokens
    rule = bio_tags(tokens, rule_spans)
    skill = bio_tags(tokens, [(h.start, h.end, h.kind) for h in taxonomy.find(text)])

    words = [text[s:e] for s, e in tokens]
    line_of = [bisect_right(line_starts, start) - 1 for start, _ in tokens]
    feats_all = []
    for i, (start, end) in enumerate(tokens):
        w = words[i]
        li = line_of[i]
        info = line_info.get(li)
        if info is None:
            ls = line_starts[li]
            le = text.find("\n", ls)
            le = len(text) if le < 0 else le
            line = text[ls:le]
            stripped = line.strip()
            prev_blank = li == 0 or not text[line_starts[li - 1] : ls].strip()
            info = line_info[li] = {
                "start": ls,
                "line": line,
                "feats": [
                    f"line.n={_bucket(li)}",
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
                ],
                "first_token": i,
            }
        pos = i - info["first_token"]
        f = ["bias", *_word_features(w), f"pos={min(pos, 4)}", f"rule={rule[i]}", f"skill={skill[i]}", *info["feats"]]
        if pos == 0:
            f.append("line.first")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(tokens):
                f += _neighbour_features(words[j], d)
                if abs(d) == 1:
                    f += (f"{d}:sameline={line_of[j] == li}", f"{d}:rule={rule[j]}")
            else:
                f.append(f"{d}:none")
        feats_all.append(f)
    return feats_all


def bio_tags(tokens: list[tuple[int, int]], spans: list[list]) -> list[str]:
    """BIO tags for tokens from character spans (a token is inside a span when it overlaps it)."""
    tags = ["O"] * len(tokens)
    ends = [e for _, e in tokens]
    for start, end, label, *_ in sorted(spans):
        i = bisect_right(ends, start)  # the first token ending after the span starts
        first = True
        while i < len(tokens) and tokens[i][0] < end:
            tags[i] = ("B-" if first else "I-") + label
            first = False
            i += 1
    return tags


def spans_from_tags(tokens: list[tuple[int, int]], tags: list[str], marginals: list[float] | None = None) -> list[list]:
    """Well-formed [start, end, label, score] spans: a span opens at B-X, or at an I-X not continuing an X."""
    spans, current = [], None
    for i, tag in enumerate(tags):
        label = tag[2:] if tag != "O" else None
        continues = current is not None and tag == f"I-{current[2]}"
        if continues:
            current[1] = tokens[i][1]
            current[4].append(marginals[i] if marginals else 1.0)
            continue
        if current is not None:
            spans.append(current)
            current = None
        if label:
            current = [tokens[i][0], tokens[i][1], label, 0.0, [marginals[i] if marginals else 1.0]]
    if current is not None:
        spans.append(current)
    return [[s, e, lab, round(min(scores), 4)] for s, e, lab, _, scores in spans]


def sequence(text: str, taxonomy: Taxonomy, rule_spans: list[list] | None = None):
    """(tokens, features) for a text; the rules' spans are computed here unless given."""
    if rule_spans is None:
        from resumes.pipeline.entities import default_entities

        rule_spans = default_entities(text, taxonomy)
    tokens = tokenize(text)
    return tokens, token_features(text, tokens, rule_spans, taxonomy)


def train(
    examples: list[dict],
    path,
    taxonomy: Taxonomy,
    *,
    c1: float = 0.05,
    c2: float = 0.05,
    max_iterations: int = 150,
    prepared: list | None = None,
) -> None:
    """Fit a CRF on `{"input", "target"}` examples and write it to `path` (CRFsuite's own file)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for n, example in enumerate(examples):
        tokens, feats = prepared[n] if prepared else sequence(example["input"], taxonomy)
        trainer.append(feats, bio_tags(tokens, example["target"]))
    # all transitions are kept, so O -> I-X is learned as unlikely; decoding still closes any that remain
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": True})
    trainer.train(str(path))


class EntityTagger:
    """A trained CRF file, ready to tag texts with well-formed spans."""

    def __init__(self, path):
        import pycrfsuite

        self.path = str(path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(self.path)

    def spans(self, text: str, taxonomy: Taxonomy, prepared=None) -> list[list]:
        tokens, feats = prepared or sequence(text, taxonomy)
        if not tokens:
            return []
        tags = self.tagger.tag(feats)
        marginals = [self.tagger.marginal(t, i) if t != "O" else 1.0 for i, t in enumerate(tags)]  # only spans need one
        return spans_from_tags(tokens, tags, marginals)


# The layout rules are precise for these (held-out dotin: e-mail P 1.00, name P 0.91); they fill what the CRF missed.
FILLED_FROM_RULES = ("Email Address", "Name")


def filled_from_rules(spans: list[list], rule_spans: list[list]) -> list[list]:
    """The CRF's spans, plus a rule's e-mail or name span where the CRF has none of that label and nothing overlaps."""
    have = {s[2] for s in spans}
    extra = [
        r
        for r in rule_spans
        if r[2] in FILLED_FROM_RULES and r[2] not in have and not any(s[0] < r[1] and r[0] < s[1] for s in spans)
    ]
    return sorted([*spans, *extra], key=lambda s: (s[0], s[1]))
