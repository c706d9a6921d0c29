"""Risk flags a careful junior would raise, each derived from a key term or the text and citing its excerpt."""
from __future__ import annotations

import re

from summarizer.pipeline.clauses import boilerplate, denies
from summarizer.pipeline.sentences import Sentence

# flag: (what it means to a reader, key-term categories that raise it, extra text condition or None)
RISKS = {
    "uncapped liability": ("Liability is not capped, or the cap does not apply to some claims.", ("Uncapped Liability",), None),
    "unilateral termination": ("A party may end the agreement without cause.", ("Termination for Convenience",), None),
    "auto-renewal with short notice": ("The term renews by itself and the notice to stop it is short.", ("Renewal Term",), "short_notice"),
    "broad indemnity": ("One party indemnifies the other broadly (any and all claims).", (), r"\bindemnif\w*\b.{0,200}\b(?:any and all|all claims|any claims?|whatsoever|howsoever)\b"),
    "exclusivity": ("The agreement binds a party to exclusive dealing.", ("Exclusivity",), None),
    "non-compete": ("A party is restricted from competing.", ("Non-Compete",), None),
    "IP assignment": ("Intellectual property passes to the other party.", ("IP Ownership Assignment",), None),
    "most-favoured pricing": ("A party must match the best terms it gives anyone else.", ("Most Favored Nation",), None),
}
SHORT_NOTICE_DAYS = 60


def _notice_days(answer) -> int | None:
    m = re.match(r"(\d+) (day|week|month|year)", str(answer or ""))
    if not m:
        return None
    return int(m.group(1)) * {"day": 1, "week": 7, "month": 30, "year": 365}[m.group(2)]


def risk_flags(key_terms: list[dict], sentences: list[Sentence]) -> list[dict]:
    """Flags `{"flag", "why", "text", "start", "end"}`, at most one per flag, citing the excerpt that raised it."""
    by_category = {t["category"]: t for t in key_terms}
    out = []
    for flag, (why, categories, condition) in RISKS.items():
        source = next((by_category[c] for c in categories if c in by_category), None)
        if condition == "short_notice":
            if source is None:
                continue
            notice = by_category.get("Notice Period to Terminate Renewal")
            if notice is None or not notice.get("answer"):  # the renewal clause itself often says it: "at least one month prior"
                from summarizer.pipeline.answers import renewal_notice

                found = renewal_notice(source["text"])
                notice = {"answer": found} if found else notice
            days = _notice_days(notice.get("answer")) if notice else None
            auto = re.search(r"\bautomatic|\bshall (?:be )?renew|\bunless\b", source["text"], re.IGNORECASE)
            if not auto or (days is not None and days > SHORT_NOTICE_DAYS):
                continue
            why = f"{why} Notice: {notice['answer']}." if notice and notice.get("answer") else why + " No notice period was found."
        elif condition:
            pattern = re.compile(condition, re.IGNORECASE | re.DOTALL)
            hit = next((s for s in sentences if pattern.search(s.text) and boilerplate(s.text) is None), None)
            if hit is None:
                continue
            source = {"text": hit.text, "start": hit.start, "end": hit.end}
        if source is None:
            continue
        # An unsure flag the contract itself contradicts ("appoints Distributor as a non-exclusive distributor") is
        # a false alarm a lawyer would catch at once: it is not raised.
        if source.get("status") == "possible" and any(denies(c, s.text) for c in categories for s in sentences):
            continue
        # A flag raised from a "possible" key term is itself only possible: the reader sees which.
        out.append({"flag": flag, "why": why, "text": source["text"], "start": source["start"], "end": source["end"],
                    "status": source.get("status", "yes")})
    return out
