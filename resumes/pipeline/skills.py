"""Find skills in text and normalise them to the taxonomy: longest phrase first, case kept where it matters."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from resumes.pipeline.taxonomy import KINDS, builtin_skills

MAX_WORDS = 4
TOKEN = re.compile(r"\.?[A-Za-z0-9+#]+(?:[./-][A-Za-z0-9+#]+)*[+#]*")
# Short names that are also ordinary words or initials: they count only when written as the tool is.
CASE_SENSITIVE = {"c": "C", "r": "R", "go": "Go", "swift": "Swift", "spring": "Spring", "unity": "Unity", "access": "Access",
                  "word": "Word", "shell": "Shell", "lean": "Lean", "sales": None, "ios": "iOS", "rust": "Rust", "dns": "DNS"}


def normalize(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


@dataclass(frozen=True)
class SkillHit:
    start: int
    end: int
    name: str  # canonical taxonomy name
    kind: str
    text: str  # as written


# Single words a recruiter never accepts as a skill: verbs of duty and words that head a section.
NOT_SKILLS = {
    "identify", "support", "maintain", "manage", "develop", "design", "build", "create", "lead", "analyze", "analyse",
    "plan", "test", "coordinate", "communicate", "implement", "monitor", "report", "review", "ensure", "provide",
    "assist", "prepare", "perform", "handle", "use", "work", "help", "organise", "organize", "deliver", "improve",
    "business", "history", "experience", "education", "skills", "summary", "profile", "objective", "projects",
    "certifications", "references", "interests", "languages", "achievements", "awards", "management", "operations",
    "administration", "services", "service", "technology", "information", "development", "planning", "design",
}


class Taxonomy:
    """Normalised phrase -> (canonical name, kind); built from the starting lists plus imported skills.

    An imported one-word skill counts only when written as the taxonomy writes it ("Slack", not "slack"), and a
    lower-case imported one (an ESCO label cut to a verb) not at all: single words are where verbs and headings hide.
    """

    def __init__(self, entries: list[tuple[str, str]] = (), *, hot: set[str] | None = None):
        self.entries: dict[str, tuple[str, str]] = {}
        self.exact_case: dict[str, str] = {}
        builtin = builtin_skills()
        known = {normalize(name) for name, _ in builtin}
        for number, (name, kind) in enumerate([*builtin, *entries]):
            key = normalize(name)
            if not key or kind not in KINDS or key in self.entries or len(key.split()) > MAX_WORDS or key in NOT_SKILLS:
                continue
            imported = number >= len(builtin)
            if imported and " " not in key and key not in known:
                if name.strip().islower() or not re.search(r"[A-Za-z]", name):
                    continue
                self.exact_case[key] = name.strip()
            self.entries[key] = (name.strip(), kind)
        self.hot = hot or set()
        self.first_words = {key.split()[0] for key in self.entries}

    def __len__(self):
        return len(self.entries)

    def lookup(self, name: str) -> tuple[str, str] | None:
        return self.entries.get(normalize(name))

    def normalize_skill(self, name: str, kind: str | None = None) -> dict:
        """`{"name", "normalized", "kind"}` of a skill as written; unknown skills keep their own name."""
        found = self.lookup(name)
        if found:
            return {"name": name.strip(), "normalized": normalize(found[0]), "kind": found[1]}
        return {"name": name.strip(), "normalized": normalize(name), "kind": kind or "job"}

    def find(self, text: str) -> list[SkillHit]:
        # One parse asks for the same text's skills up to three times (rules, tagger features, profile): keep the last.
        last = getattr(self, "_last", None)
        if last is not None and last[0] is text:
            return list(last[1])
        hits = self._find(text)
        self._last = (text, tuple(hits))
        return hits

    def _find(self, text: str) -> list[SkillHit]:
        tokens = _tokens(text, self.entries)
        headings = _heading_ranges(text)
        if headings:
            starts = [h[0] for h in headings]
            tokens = [t for t in tokens if not _inside(headings, starts, t[0])]
        lowered = [t[2].lower() for t in tokens]
        hits, i = [], 0
        while i < len(tokens):
            if lowered[i] not in self.first_words:  # most words start no skill: skip the phrase lookups
                i += 1
                continue
            for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                key = " ".join(lowered[i : i + n])
                entry = self.entries.get(key)
                if entry is None:
                    continue
                written = text[window[0][0] : window[-1][1]]
                if n == 1 and key in CASE_SENSITIVE and (CASE_SENSITIVE[key] is None or written != CASE_SENSITIVE[key]):
                    continue
                if n == 1 and key in self.exact_case and written != self.exact_case[key]:
                    continue
                hits.append(SkillHit(window[0][0], window[-1][1], entry[0], entry[1], written))
                i += n
                break
            else:
                i += 1
        return hits


def _inside(ranges: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < ranges[i][1]


def _heading_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of heading lines ("SKILLS", "Work History", "TECHNICAL SKILLS:"): their words are not skills."""
    from resumes.pipeline.sections import heading_of

    out, at = [], 0
    for line in text.split("\n"):
        stripped = line.strip().rstrip(":")
        shouted = stripped.isupper() and len(stripped.split()) <= 4 and any(w.lower() in NOT_SKILLS for w in stripped.split())
        if stripped and (heading_of(line) or shouted):
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def _tokens(text: str, entries: dict) -> list[tuple[int, int, str]]:
    """Word tokens with offsets; "Python/Java" splits into two unless the whole ("PL/SQL") is a known skill."""
    out = []
    for m in TOKEN.finditer(text):
        word = m.group()
        if "/" in word and word.lower() not in entries:
            at = m.start()
            for part in word.split("/"):
                if part:
                    out.append((at, at + len(part), part))
                at += len(part) + 1
            continue
        out.append((m.start(), m.end(), word))
    return out
