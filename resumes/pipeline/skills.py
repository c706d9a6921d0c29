"""Find skills in text and normalise them to the taxonomy: longest phrase first, case kept where it matters."""
from __future__ import annotations

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


class Taxonomy:
    """Normalised phrase -> (canonical name, kind); built from the starting lists plus imported skills."""

    def __init__(self, entries: list[tuple[str, str]] = (), *, hot: set[str] | None = None):
        self.entries: dict[str, tuple[str, str]] = {}
        for name, kind in [*builtin_skills(), *entries]:
            key = normalize(name)
            if key and kind in KINDS and key not in self.entries and len(key.split()) <= MAX_WORDS:
                self.entries[key] = (name.strip(), kind)
        self.hot = hot or set()

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
        tokens = _tokens(text, self.entries)
        hits, i = [], 0
        while i < len(tokens):
            for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                key = " ".join(t[2].lower() for t in window)
                entry = self.entries.get(key)
                if entry is None:
                    continue
                written = text[window[0][0] : window[-1][1]]
                if n == 1 and key in CASE_SENSITIVE and (CASE_SENSITIVE[key] is None or written != CASE_SENSITIVE[key]):
                    continue
                hits.append(SkillHit(window[0][0], window[-1][1], entry[0], entry[1], written))
                i += n
                break
            else:
                i += 1
        return hits


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
