"""Sentence splitting that survives legal and scientific text, with character offsets into the source."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a period without ending a sentence (matched case-insensitively, without the dot).
ABBREVIATIONS = frozenset(
    ["inc", "ltd", "co", "corp", "llc", "llp", "plc", "no", "nos", "sec", "secs", "art", "arts", "para", "paras", "cl", "vs", "v", "etc", "al", "fig", "figs", "eq", "eqs", "ref", "refs", "e.g", "i.e", "cf", "approx", "dept", "est", "govt", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "u.s", "u.k", "u.n", "e.u", "n.a", "s.a", "b.v", "n.v", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "vol", "vols", "pp", "p", "ch", "chap", "ed", "eds", "resp", "viz", "ibid", "op", "pty", "assn", "bros", "intl", "mfg"]
)
# A candidate boundary: end punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?](?:[\"'\u201d\u2019)\]]*)(?=\s)")
_HARD_BREAK = re.compile(r"\n[ \t]*\n")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_NUMBERING = re.compile(r"(?:^|\s)(?:\(?[0-9ivxlcdm]{1,6}[.)]|[0-9]+(?:\.[0-9]+)+\.?)$", re.IGNORECASE)
MIN_CHARS = 2


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _not_a_boundary(text: str, dot: int, nxt: int) -> bool:
    """True when the punctuation at `dot` is part of an abbreviation, a number or a clause number."""
    if text[dot] != ".":
        return False
    head = text[max(0, dot - 40) : dot]
    word = _WORD_BEFORE.search(head)
    if word:
        token = word.group(1).lower()
        if token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS:
            return True
        if len(token) == 1 and token.isalpha():  # initials: "J. Smith", "U. S."
            return True
    if _NUMBERING.search(head + "."):  # "1." "2.3." "(iv)." at the start of a clause
        line_start = head.rfind("\n")
        before = head[line_start + 1 :].strip()
        if len(before) <= 12:
            return True
    following = text[nxt : nxt + 1]
    return following.islower() or (following != "" and following in ",;:)")  # "e.g. the", "et al. (2019)"


def split(text: str, *, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of `text[start:end]` with offsets into `text`; blank lines and headings always break."""
    end = len(text) if end is None else end
    out: list[Sentence] = []
    blocks, at = [], start
    for m in _HARD_BREAK.finditer(text, start, end):
        blocks.append((at, m.start()))
        at = m.end()
    blocks.append((at, end))
    blocks = [piece for b in blocks for piece in _line_blocks(text, *b)]
    for b_start, b_end in blocks:
        cursor = b_start
        for m in _BOUNDARY.finditer(text, b_start, b_end):
            nxt = m.end()
            while nxt < b_end and text[nxt].isspace():
                nxt += 1
            if _not_a_boundary(text, m.start(), nxt):
                continue
            _emit(text, cursor, m.end(), out)
            cursor = m.end()
        _emit(text, cursor, b_end, out)
    return out


def _line_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a block at single newlines that start a numbered clause or follow a heading line."""
    out, at = [], start
    for m in re.finditer(r"\n", text[start:end]):
        nl = start + m.start()
        line = text[at:nl].strip()
        rest = text[nl + 1 : nl + 40].lstrip()
        if _is_heading_line(line) or _CLAUSE_START.match(rest):
            out.append((at, nl))
            at = nl + 1
    out.append((at, end))
    return out


_CLAUSE_START = re.compile(
    r"(?:\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?(?:\([a-z0-9]{1,4}\))*\s+[A-Z(]|\([a-z]{1,4}\)\s|ARTICLE\b|Article\s+[0-9IVXL]+\b|SECTION\s|Section\s+[0-9])"
)


def _is_heading_line(line: str) -> bool:
    """A short line with no end punctuation that is upper case or title-like: a heading, never mid-sentence."""
    if not line or len(line) > 80 or line[-1] in ".,;:":
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and (sum(c.isupper() for c in letters) / len(letters) > 0.8 or bool(_CLAUSE_START.match(line)))


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= MIN_CHARS and any(ch.isalnum() for ch in text[start:end]):
        out.append(Sentence(start, end, " ".join(text[start:end].split())))


def split_texts(text: str) -> list[str]:
    """Just the sentence texts (for baselines that must use the same splitter)."""
    return [s.text for s in split(text)]
