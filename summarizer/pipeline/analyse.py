"""One document through the whole pipeline: type, structure, key terms, risks, summary, each with offsets.

Pure: it takes the text, its pages and the model kinds (with the versions to use) and returns plain data;
the services store it and record what people see.
"""
from __future__ import annotations

import bisect
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from summarizer.pipeline import clauses as C
from summarizer.pipeline import normalisers, risks, sentences, structure, summary
from summarizer.pipeline.answers import lawyer_answers

PASSAGE_BATCH = 256
CLAUSE_THRESHOLD = 0.5
# A trained clause model verifies and extends the patterns: half its score, half theirs (bench/summarizer.py measures it).
# "yes" needs both to lean the same way (a sure pattern and a model above 0.3, or an unsure pattern and a model
# above 0.55); an uninformed model (0.5 everywhere) adds nothing the patterns did not already say.
CLAUSE_MODEL_WEIGHT, CLAUSE_FUSED_THRESHOLD = 0.5, 0.5
DENIAL_CHECK_ABOVE = 0.1  # below this a blended score is never shown, not even as "possible"
DEFAULT_SENTENCES = {"contract": 5, "paper": 6, "other": 5}
SALIENCE_INPUT_CAP = 600  # sentences kept in the recorded salience input: what a correction can pick from


@dataclass
class Models:
    """How to call each kind: `predict(inputs)` callables, and the version names used (for the record)."""

    salience: Callable
    clauses: Callable
    doctype: Callable
    versions: dict = field(default_factory=dict)
    abstract: Callable | None = None  # the optional abstractive tier: text -> {"text"}
    salience_trained: bool = False
    clauses_trained: bool = False  # then `clauses` is the kind's served predictor (model and patterns blended)


def fused_clauses(predict):
    """A trained clause model's scores blended with the pattern scores, passage by passage.

    The model reads only the passages some pattern fires on: elsewhere the blend is at most half the model's score,
    under the threshold, so "yes" answers are the same, and a 50-page contract's 1,200 passages become about 100.
    """

    def fused(texts):
        rules = [C.rule_scores(text) for text in texts]
        read = [i for i, found in enumerate(rules) if found]
        predictions = predict([texts[i] for i in read]) if read else []
        return blended_with_patterns(texts, dict(zip(read, predictions)), rules=rules)

    return fused


def blended_with_patterns(texts: list[str], predictions: dict[int, dict], *, rules: list[dict] | None = None) -> list[dict]:
    """The model's scores (by passage index; a passage it did not read scores nothing) averaged with the patterns';
    a passage that denies a category never yields it, however sure the model is (read only where it could show)."""
    rules = rules if rules is not None else [C.rule_scores(text) for text in texts]
    out = []
    for i, text in enumerate(texts):
        scores = predictions.get(i, {}).get("scores", {})
        blended = {label: CLAUSE_MODEL_WEIGHT * float(scores.get(label, 0.0))
                   + (1 - CLAUSE_MODEL_WEIGHT) * rules[i].get(label, 0.0) for label in C.LABELS}
        present = C.gate_words(text)
        denied = {label for label, v in blended.items() if v > DENIAL_CHECK_ABOVE
                  and C.denies(label, text, present=present)}
        out.append({"scores": {label: 0.0 if label in denied else v for label, v in blended.items()}})
    return out


class Pages:
    def __init__(self, pages: list[dict]):
        self.pages = sorted(pages, key=lambda p: p["start"]) or [{"number": 1, "start": 0, "end": 0}]
        self.starts = [p["start"] for p in self.pages]

    def at(self, offset: int) -> int:
        return self.pages[max(bisect.bisect_right(self.starts, max(offset, 0)) - 1, 0)]["number"]


def _progress_noop(stage: str, fraction: float) -> None:
    pass


# Bands: at or above the sure threshold a category is "yes"; within POSSIBLE_MARGIN below it, only "possible".
POSSIBLE_MARGIN = 0.15
# Categories whose answer is a value: a passage whose value cannot be read is a weaker candidate than one whose can.
VALUE_SHAPES = {"date", "duration", "notice", "parties", "jurisdiction"}


# A cover page ("by and between / ACME INC. / and / BETA LLC") opens a preamble with a line of its own.
_COVER_BETWEEN = re.compile(r"\s*(?:by\s+and\s+)?(?:between|among|b\s?e\s?t\s?w\s?e\s?e\s?n)\s*:?\s*", re.IGNORECASE)
# How far past a table of contents or a cover page the preamble is looked for, when the opening holds none.
LATE_PREAMBLE_CHARS = 30000
_THIS_AGREEMENT_BETWEEN = re.compile(
    r"^.{0,120}?\b(?:this|the)\b[^.]{0,150}\b(?:agreement|contract)\b.{0,300}\b(?:between|among)\b", re.IGNORECASE | re.DOTALL)


def late_preamble(passages: list[C.Passage]) -> int | None:
    """Where the preamble starts when a table of contents or a cover page pushed it past the opening: the first passage
    that reads as one ('This Agreement is entered into ... between'), only when the opening holds no such clause."""
    for i, p in enumerate(passages):
        if p.start > LATE_PREAMBLE_CHARS:
            break
        if C._PREAMBLE.search(p.text) and not C.heading_like(p.text) and C.boilerplate(p.text) in (None, "survival"):
            if p.start <= C.OPENING_CHARS:
                return None
            # past the opening only a preamble that names this agreement and its parties, not a clause that cites one
            if _THIS_AGREEMENT_BETWEEN.search(p.text) and normalisers.parties(preamble_run(passages, i).text):
                return p.start
    return None


def _operative_for(label: str, passage: C.Passage, kind: str | None, heading: bool, late: int | None = None) -> bool:
    """Whether this passage may be shown for `label`: titles from headings, everything else from clauses that bind."""
    if label == "Document Name":
        return passage.start <= C.OPENING_CHARS and kind is None
    if label in C.OPENING_ONLY:
        if kind == "survival" and C._PREAMBLE.search(passage.text):
            kind = None  # "... or its surviving entity" in a preamble names a party, it lists no surviving clauses
        cover = heading and passage.start <= C.OPENING_CHARS and _COVER_BETWEEN.fullmatch(passage.text)
        if label == "Parties" and cover:
            return True  # the cover's "between" line: the names follow it (preamble_run)
        opening = passage.start <= C.OPENING_CHARS or passage.start == late
        # another document's date ('"Lease" means the lease dated as of ...') is not this agreement's
        allowed = (None,) if label == "Agreement Date" else (None, "definition")
        return opening and kind in allowed and not heading
    if label == "Post-Termination Services" and kind == "survival":
        return True
    if kind == "definition" and C.CATEGORIES[label][0] == "date" and normalisers.iso_date(passage.text):
        return True  # '"Effective Date" means March 1, 2021' answers the question
    return kind is None and not heading


# How far a preamble the splitter cut may run on ("between Acme ("Acme"), and" / "Beta Corp 12 Main St").
PREAMBLE_PASSAGES = 10
_DANGLING = re.compile(r"(?:\b(?:and|or|between|among)|[,;:])\s*$", re.IGNORECASE)
_CONTINUES = re.compile(r"^\s*(?:[a-z(]|(?i:and|or)\b|Party [A-Z]\b|Address\b)")


def preamble_run(passages: list[C.Passage], i: int) -> C.Passage:
    """The preamble starting at passage i, joined with what the splitter cut from it: a passage ending on "and" or a
    comma, or followed by one that starts in lower case ("with an office at ...", "and"), continues into the next."""
    run = [passages[i]]
    while (len(run) < PREAMBLE_PASSAGES and i + len(run) < len(passages)
           and (_DANGLING.search(run[-1].text) or _CONTINUES.match(passages[i + len(run)].text))):
        run.append(passages[i + len(run)])
    if len(run) == 1:
        return passages[i]
    return C.Passage(run[0].start, run[-1].end, "\n".join(p.text for p in run))


def key_terms(sents: list[sentences.Sentence], predict, page_at, *, threshold: float | None = None) -> list[dict]:
    """The best operative passage per category: "yes" at the threshold, "possible" just under it; denials never count."""
    threshold = CLAUSE_THRESHOLD if threshold is None else threshold
    floor = threshold - POSSIBLE_MARGIN
    passages = C.passages(sents)
    late = late_preamble(passages)
    best: dict[str, tuple[float, float, C.Passage]] = {}  # label: (rank, score, passage)
    for start in range(0, len(passages), PASSAGE_BATCH):
        batch = passages[start : start + PASSAGE_BATCH]
        for at, (passage, prediction) in enumerate(zip(batch, predict([p.text for p in batch])), start):
            kind, heading = C.boilerplate(passage.text), C.heading_like(passage.text)
            present = None
            for label, score in prediction.get("scores", {}).items():
                if score < floor or not _operative_for(label, passage, kind, heading, late):
                    continue
                present = C.gate_words(passage.text) if present is None else present
                if C.denies(label, passage.text, present=present):
                    continue
                shape = C.CATEGORIES[label][0]
                rank = score
                shown = preamble_run(passages, at) if label == "Parties" else passage
                if shape in VALUE_SHAPES:  # the operative clause states the value; a passage that only names the topic does not
                    rank += 0.05 if normalisers.answer_for(shape, shown.text) else -0.1
                if label == "Parties" and heading:
                    rank -= 0.05  # a cover's "between" line yields to the preamble that names the parties with roles
                if label == "Agreement Date" and C._PREAMBLE.search(shown.text):
                    rank += 0.15  # the preamble dates this agreement; an earlier clause may date another document
                if label not in best or rank > best[label][0]:
                    best[label] = (rank, float(score), shown)
    terms = []
    for label in C.LABELS:  # CUAD's order: parties and dates first, as a lawyer reads them
        if label not in best:
            continue
        _, score, passage = best[label]
        shape = C.CATEGORIES[label][0]
        answer = normalisers.answer_for(shape, passage.text)
        if label == "Document Name":
            answer = normalisers.title(passage.text)
            if not answer:
                continue
        terms.append({
            "category": label, "text": passage.text, "answer": answer, "status": "yes" if score >= threshold else "possible",
            "page": page_at(passage.start), "start": passage.start, "end": passage.end, "confidence": round(min(score, 1.0), 4),
        })
    return terms


_ABSTRACT_LABEL = re.compile(r"^\s*abstract\b[\s.:\u2014-]*$|^\s*abstract\s*[.:\u2014-]", re.IGNORECASE)
_WORDLIKE = re.compile(r"^[A-Za-z][a-z]+(?:[-'][a-z]+)*[.,;:]?$|^[A-Z]{2,}[.,;:]?$|^\d+(?:[.,]\d+)*[.,;:%)]?$")
UNREADABLE_BELOW = 0.45  # share of word-like tokens under which a page is noise (a scan's OCR garbage, a broken font)


def unreadable_pages(text: str, pages: list[dict]) -> set[int]:
    """Pages whose text is mostly not words: named to the reader, never summarised."""
    out = set()
    for p in pages:
        tokens = text[p["start"] : p["end"]].split()
        if len(tokens) >= 20 and sum(1 for t in tokens if _WORDLIKE.match(t)) / len(tokens) < UNREADABLE_BELOW:
            out.add(p["number"])
    return out


def _title_line(sents, title: str) -> int | None:
    """The sentence that is the document's title (a first line without a full stop), so a summary never repeats it."""
    for i, s in enumerate(sents[:3]):
        words = s.text.split()
        if (title and " ".join(words).lower() == " ".join(title.split()).lower()) or (words and len(words) <= 25 and not s.text.rstrip().endswith((".", "!", "?"))):
            return i
    return None


def _fallback_title(sents) -> str:
    """Without a Document Name: the first agreement heading of the opening, else its first short line that is not an
    exhibit number or letterhead, else nothing (never a run of preamble)."""
    opening = sents[:12]
    for s in opening:
        found = normalisers.title(s.text)
        if found:
            return found
    for s in opening:
        exhibit = re.match(r"^\s*(?:EXHIBIT|SCHEDULE|ANNEX|APPENDIX)\b", s.text, re.I)
        if C.heading_like(s.text) and C.boilerplate(s.text) is None and not exhibit:
            return " ".join(s.text.split())[:120]
    return ""


def _opening_end(sents, terms) -> int:
    """Where a contract's cover matter (title, letterhead) ends: at its preamble when one was found."""
    parties = next((t for t in terms if t["category"] == "Parties"), None)
    return parties["start"] if parties is not None else 0


def salience_scores(texts: list[str], predict) -> list[float]:
    """Scores for every sentence, chunk by chunk, so a long document never holds more than a chunk in the model."""
    scores: list[float] = []
    for start in range(0, len(texts), summary.CHUNK_SENTENCES):
        chunk = texts[start : start + summary.CHUNK_SENTENCES]
        scores.extend(float(s) for s in predict([{"sentences": chunk}])[0]["scores"])
    return scores


def analyse(text: str, pages: list[dict], models: Models, *, doc_type: str = "auto", n_sentences: int | None = None,
            title: str = "", progress=_progress_noop) -> dict:
    began = time.perf_counter()
    page_at = Pages(pages).at
    progress("splitting", 0.15)
    sents = sentences.split(text)
    heads = structure.headings(sents)
    if doc_type in (None, "", "auto"):
        prediction = models.doctype([text[:4000]])[0]
        doc_type, doctype_score = prediction["label"], prediction.get("score")
    else:
        doctype_score = None
    progress("scoring", 0.35)
    if doc_type != structure.CONTRACT:
        terms = []
    elif models.clauses_trained:
        terms = key_terms(sents, models.clauses, page_at, threshold=CLAUSE_FUSED_THRESHOLD)  # already blended by the kind
    else:
        terms = key_terms(sents, models.clauses, page_at)
    flags = risks.risk_flags(terms, sents) if doc_type == structure.CONTRACT else []
    for flag in flags:
        flag["page"] = page_at(flag["start"])
    answers = lawyer_answers(terms, sents, page_at) if doc_type == structure.CONTRACT else []
    progress("summarising", 0.65)
    unreadable = unreadable_pages(text, pages)
    k = max(1, int(n_sentences or DEFAULT_SENTENCES.get(doc_type, 5)))
    head_starts = {h.start for h in heads}
    title_line = _title_line(sents, title)
    usable = [i for i, s in enumerate(sents) if len(s.text.split()) >= 3 and s.start not in head_starts
              and page_at(s.start) not in unreadable and i != title_line and not _ABSTRACT_LABEL.match(s.text)]
    texts = [sents[i].text for i in usable]
    scores = salience_scores(texts, models.salience)
    if models.salience_trained:
        scores = summary.fuse_trained(scores)
    candidates = sorted(range(len(texts)), key=lambda i: -scores[i])[: max(60, 6 * k)]
    topics: dict[int, str] = {}
    if doc_type == structure.CONTRACT:
        # What binds, topic by topic; letterhead, recitals, definitions, signatures and contents are never chosen.
        excluded = {i for i, t in enumerate(texts) if C.boilerplate(t) is not None or sents[usable[i]].start < _opening_end(sents, terms)}
        shown_at: dict[int, set[str]] = {}
        index_of = {sents[u].start: i for i, u in enumerate(usable)}
        for t in terms:
            if t["start"] in index_of:
                shown_at.setdefault(index_of[t["start"]], set()).add(t["category"])
        picks = summary.contract_topics(texts, scores, excluded=excluded - set(index_of.get(t["start"], -1) for t in terms if t["category"] == "Parties"),
                                        key_term_at=shown_at, k=n_sentences)
        topics = {i: topic for topic, i in picks}
        chosen = [i for _, i in picks]
        candidates = sorted(set(candidates) | set(chosen))
    else:
        candidates.sort()
        cand_texts = [texts[i] for i in candidates]
        chosen = [candidates[i] for i in summary.mmr_select(cand_texts, [scores[i] for i in candidates], k=k)]
    cand_texts = [texts[i] for i in candidates]

    def cite(i: int) -> dict:
        s = sents[usable[i]]
        out = {"text": s.text, "page": page_at(s.start), "start": s.start, "end": s.end, "score": round(scores[i], 4)}
        if i in topics:
            out["topic"] = topics[i]
        return out

    doc_title = next((a["answer"] for a in answers if a["key"] == "title"), None)
    result = {
        "doc_type": doc_type, "doctype_score": doctype_score,
        "title": doc_title or title or _fallback_title(sents),
        "pages": len(pages), "summary": [cite(i) for i in chosen], "tldr": None, "structured": {},
        "key_terms": terms, "risks": flags, "answers": answers, "unreadable_pages": sorted(unreadable),
        "headings": [{"number": h.number, "title": h.title, "start": h.start, "end": h.end, "page": page_at(h.start)} for h in heads[:200]],
        "model_versions": dict(models.versions),
    }
    if models.abstract is not None and result["summary"]:
        progress("rewriting", 0.85)
        rewritten = models.abstract([s["text"] for s in result["summary"]])
        result["abstractive"] = [{"text": r["text"], "source": s} for r, s in zip(rewritten, result["summary"])]
    if doc_type == structure.PAPER and texts:
        top = max(candidates, key=lambda i: scores[i])
        result["tldr"] = cite(top)
        sections = [structure.section_name(heads, sents[usable[i]].start) for i in candidates]
        parts = summary.structured_parts(cand_texts, [scores[i] for i in candidates], sections)
        result["structured"] = {part: (cite(candidates[i]) if i is not None else None) for part, i in parts.items()}
    # What the salience output records: the candidates it chose from, and which it chose.
    kept = candidates[:SALIENCE_INPUT_CAP]
    result["salience_input"] = {"sentences": [texts[i] for i in kept], "offsets": [[sents[usable[i]].start, sents[usable[i]].end] for i in kept]}
    result["salience_selected"] = [kept.index(i) for i in chosen if i in kept]
    result["seconds"] = round(time.perf_counter() - began, 3)
    progress("done", 1.0)
    return result

