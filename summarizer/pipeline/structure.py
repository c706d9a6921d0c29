"""Headings and numbered sections, and the rule that tells a contract from a paper before any training."""
from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.pipeline.sentences import Sentence

CONTRACT, PAPER, OTHER = "contract", "paper", "other"
DOC_TYPES = (CONTRACT, PAPER, OTHER)

_HEADING = re.compile(
    r"^(?P<number>ARTICLE\s+[IVXLC0-9]+|Article\s+[IVXLC0-9]+|SECTION\s+[0-9]+(?:\.[0-9]+)*|Section\s+[0-9]+(?:\.[0-9]+)*"
    r"|[0-9]{1,2}(?:\.[0-9]{1,2})*\.?(?:\([a-z0-9]{1,4}\))*|[IVX]{1,5}\.)\s*[.:\-\u2014]?\s*(?P<title>[^\n]{0,90})$"
)
_PAPER_SECTIONS = re.compile(r"^(?:[0-9]{1,2}\.?\s+)?(abstract|introduction|related work|background|method(?:s|ology)?|approach|"
                             r"experiments?|evaluation|results|discussion|conclusions?|limitations|references)\b", re.IGNORECASE)
_CONTRACT_WORDS = re.compile(r"\b(?:agreement|hereby|herein|hereto|party|parties|shall|indemnif|governing law|whereas|licensee|licensor|termination)\b", re.IGNORECASE)
_PAPER_WORDS = re.compile(r"\b(?:we propose|we present|this paper|our (?:method|model|approach|results)|experiments?|dataset|baseline|"
                          r"et al\.|state[- ]of[- ]the[- ]art|abstract|arxiv|figure \d|table \d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    number: str
    title: str
    start: int
    end: int
    level: int


def headings(sentences: list[Sentence]) -> list[Heading]:
    """Section headings among the sentences: '1.', '2.3(a)', 'ARTICLE IV', 'Section 5', or a paper's named sections."""
    out = []
    for s in sentences:
        text = s.text
        if len(text) > 100:
            continue
        m = _HEADING.match(text)
        if m and (m.group("title") == "" or len(m.group("title").split()) <= 10):
            number = m.group("number").strip()
            title = m.group("title").strip().rstrip(".")
            level = 1 if re.match(r"(?i)article|[IVX]+\.$", number) else number.rstrip(".").count(".") + number.count("(") + 1
            out.append(Heading(number, title, s.start, s.end, level))
            continue
        p = _PAPER_SECTIONS.match(text)
        if p and len(text.split()) <= 6:
            out.append(Heading("", text.strip(), s.start, s.end, 1))
    return out


def section_name(heads: list[Heading], offset: int) -> str:
    """The title of the section holding `offset` (empty before the first heading)."""
    name = ""
    for h in heads:
        if h.start > offset:
            break
        name = h.title or h.number
    return name.lower()


def doctype_scores(text: str) -> dict[str, float]:
    """Rule-based document type: how contract-like and paper-like the opening pages read."""
    head = text[:20000]
    words = max(len(head.split()), 1)
    contract = len(_CONTRACT_WORDS.findall(head)) / words * 100
    paper = len(_PAPER_WORDS.findall(head)) / words * 100 + (3.0 if re.search(r"(?im)^\s*abstract\b", head) else 0.0)
    c, p = min(contract / 3.0, 1.0), min(paper / 1.5, 1.0)
    other = max(0.0, 1.0 - max(c, p)) if max(c, p) < 0.35 else 0.0
    total = c + p + other or 1.0
    return {CONTRACT: c / total, PAPER: p / total, OTHER: other / total}


def doctype_rule(text: str) -> tuple[str, float]:
    scores = doctype_scores(text)
    label = max(scores, key=scores.get)
    return label, scores[label]
