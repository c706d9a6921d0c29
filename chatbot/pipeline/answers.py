"""Answers composed from retrieved passages only: candidate replies, each with the passages it used."""
import re
from dataclasses import dataclass, field

from chatbot.pipeline.text import coverage, terms

CONFIDENCE_THRESHOLD = 0.5
# A passage whose meaning stands this far above the average passage counts as confident even in other words
# (0..1: its cosine lift over the query's mean similarity); chosen by bench/chatbot.py on a tuning slice.
DENSE_LIFT_THRESHOLD = 0.5
MAX_REPLY_CHARS = 700
DISCLAIMER = ("This is general health information, not a diagnosis or medical advice for you; "
              "please check with a doctor or pharmacist about your own situation.")
DONT_KNOW = ("I don't know: I could not find this in my knowledge base, and I will not guess about your health. "
             "Would you like me to pass your question to a person? Just say \"talk to a person\".")

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
_FOLLOW_UP = re.compile(r"\b(?:it|its|it's|this|that|these|those|they|them|their)\b", re.IGNORECASE)


@dataclass
class Passage:
    title: str
    url: str
    source: str
    source_id: str
    text: str
    confidence: float
    dense_lift: float | None = None

    @property
    def confident(self) -> bool:
        """The passage carries most of the question's words, or means much the same in other words."""
        return self.confidence >= CONFIDENCE_THRESHOLD or (self.dense_lift or 0.0) >= DENSE_LIFT_THRESHOLD

    def citation(self) -> dict:
        return {"title": self.title, "url": self.url, "source": self.source, "source_id": self.source_id, "passage": self.text}


@dataclass
class Candidate:
    text: str
    passages: list[Passage] = field(default_factory=list)


def passages_from(documents, query: str) -> list[Passage]:
    """One passage per article, best first, each with its share of the question's words and its dense lift."""
    wanted = terms(query)
    seen, out = set(), []
    for doc in documents:
        m = doc.metadata
        if m["source_id"] in seen:
            continue
        seen.add(m["source_id"])
        out.append(Passage(m["title"], m["url"], m["source"], m["source_id"], doc.page_content,
                           coverage(wanted, f"{m['title']} {doc.page_content}"), m.get("dense_lift")))
    return out


def _excerpt(passage: Passage, query: str, limit: int = MAX_REPLY_CHARS) -> str:
    """The passage's sentences that carry the question's words, in their own order, within the limit."""
    sentences = [s.strip() for s in _SENTENCE.split(passage.text) if s.strip()]
    wanted = set(terms(query))
    scored = sorted(range(len(sentences)), key=lambda i: (-len(wanted & set(terms(sentences[i]))), i))
    chosen, size = [], 0
    for i in scored:
        if size + len(sentences[i]) > limit and chosen:
            continue
        chosen.append(i)
        size += len(sentences[i]) + 1
        if size >= limit * 0.6:
            break
    return " ".join(sentences[i] for i in sorted(chosen))


def dont_know_about(focus: str, has_articles: bool) -> str:
    """The honest answer when the knowledge base names the focus but holds nothing that answers the question."""
    if has_articles:
        return (f"I don't know: my articles about {focus} do not answer this question, and I will not guess about your health. "
                "Would you like me to pass your question to a person? Just say \"talk to a person\".")
    return (f"I don't know: I have no article about {focus}, and I will not answer from an article about something else. "
            "Would you like me to pass your question to a person? Just say \"talk to a person\".")


def candidates_for(query: str, passages: list[Passage], *, focused: bool = False) -> list[Candidate]:
    """Up to two candidate replies from the passages above the threshold: the best article, and the next.
    `focused`: the passages are already about the question's focus, so their focus words count as covered."""
    usable = [p for p in passages if p.confident]
    out = []
    for passage in usable[:2]:
        out.append(Candidate(f"According to \"{passage.title}\" ({passage.source}): {_excerpt(passage, query)}", [passage]))
    return out


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP.search(question)) and len(terms(question)) <= 6


def rewrite(question: str, topic: str) -> str:
    """A follow-up ("what are its side effects?") made whole with the topic of the last answer."""
    if topic and is_follow_up(question):
        return f"{question.rstrip(' ?')} ({topic})?"
    return question
