"""The answers a lawyer reads first, each normalised and citing the clause it comes from.

Read from the key terms already chosen (the operative passage per category) and, where a question has no
CUAD category of its own (initial term, who may terminate for convenience, whether assignment needs consent),
from the operative sentences themselves. Denials are answers too: "neither party may terminate for convenience"
answers "No", cited, where the key-terms table shows nothing.
"""
from __future__ import annotations

import re

from summarizer.pipeline import clauses as C
from summarizer.pipeline import normalisers as N

# (key, question) in the order a lawyer reads them
QUESTIONS = (
    ("parties", "Parties"), ("title", "Title"), ("agreement_date", "Agreement date"), ("effective_date", "Effective date"),
    ("expiration_date", "Expiration date"), ("initial_term", "Initial term"), ("renewal_term", "Renewal term"),
    ("notice_period", "Notice to stop renewal"), ("governing_law", "Governing law"), ("liability_cap", "Cap on liability"),
    ("termination_for_convenience", "Termination for convenience"), ("assignment", "Assignment"),
)
# The question each category answers first (a person's answer for the category answers it as given).
PRIMARY = {"Parties": "parties", "Document Name": "title", "Agreement Date": "agreement_date", "Effective Date": "effective_date",
           "Expiration Date": "expiration_date", "Renewal Term": "renewal_term", "Notice Period to Terminate Renewal": "notice_period",
           "Governing Law": "governing_law", "Cap on Liability": "liability_cap", "Termination for Convenience": "termination_for_convenience",
           "Anti-Assignment": "assignment"}
_ROLE = re.compile(r"\(\s*(?:each\s+)?(?:together with its affiliates,?\s*)?(?:hereinafter|herein|referred to)?[^()\"\u201c]{0,40}?"
                   r"(?:as\s+)?(?:the\s+)?[\"\u201c\u201f']+(?P<role>[A-Z][\w .&\-]{1,40}?)[\"\u201d']+")
_ENTITY_END = r"(?:Inc|Corp|Corporation|Ltd|Limited|LLC|L\.L\.C|LLP|L\.P|LP|PLC|plc|Co|Company|GmbH|AG|S\.A|N\.V|B\.V|AB|SA|SpA|Pty|Trust|Bank|N\.A)\.?"
_INITIAL_TERM = re.compile(r"\b(?:initial term|term of this agreement|this agreement)\b.{0,160}?\b(?:for|of)\s+(?:an? )?(?:initial )?(?:period|term)?\s*(?:of\s+)?", re.IGNORECASE | re.DOTALL)
_MONEY = re.compile(r"(?:US\s?)?[$\u20ac\u00a3]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|thousand|billion))?|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|USD|EUR|GBP)\b", re.IGNORECASE)
_CAP_FORMULA = re.compile(r"\b(?:shall not exceed|not to exceed|exceed|limited to|in excess of|greater of|lesser of)\b\s*(?P<formula>[^.;]{3,200})", re.IGNORECASE)
_PARTY = r"(?:either party|each party|any party|(?:the )?[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){0,3})"
_TFC = re.compile(r"\b(?P<who>" + _PARTY + r"(?:\s+(?:or|and/or|and)\s+" + _PARTY + r")?)\s+(?:shall have the right to|may|has the right to|can|will have the right to)\s+"
                  r"(?:at any time\s+)?terminat\w*\b(?P<rest>.{0,220})", re.DOTALL)
_CONVENIENCE = re.compile(r"\b(?:for convenience|without cause|for any reason|for no reason|at any time|in its sole discretion)\b", re.IGNORECASE)
_ASSIGN_FREE = re.compile(r"\bmay (?:freely )?assign\b.{0,160}\bwithout\b.{0,40}\b(?:consent|approval)\b|\bfreely assignable\b|\bfree to assign\b", re.IGNORECASE | re.DOTALL)
_FREE_WHO = re.compile(r"\b(?P<who>" + _PARTY + r")\s+(?:is free to|may freely|may|shall be free to)\s+assign\b")


def _cite(term_or_sentence, answer, *, page_at, by="model") -> dict:
    t = term_or_sentence
    return {"answer": answer, "text": t["text"] if isinstance(t, dict) else t.text, "start": t["start"] if isinstance(t, dict) else t.start,
            "end": t["end"] if isinstance(t, dict) else t.end,
            "page": t.get("page") if isinstance(t, dict) and t.get("page") else page_at(t["start"] if isinstance(t, dict) else t.start),
            "status": (t.get("status") if isinstance(t, dict) else None) or "yes"}


def parties_with_roles(text: str) -> list[dict]:
    """Each party of a preamble with the role it is given: 'between Acme Inc. ("Supplier") and ...'."""
    out = []
    names = N.parties(text) or []
    opening = re.search(r"\b(?:between|among)\b", text, re.IGNORECASE)  # a heading may repeat a name before it
    after = opening.start() if opening else 0

    def find(name, start=after):  # names are kept with single spaces; filed text often has runs of them
        m = re.compile(r"\s+".join(map(re.escape, name.split()))).search(text, start)
        return (m.start(), m.end()) if m else (-1, -1)

    for name in names:
        at, end = find(name)
        role = None
        if at >= 0:
            m = _ROLE.search(text, end, end + 200)
            nxt = min((find(o, end)[0] for o in names if o != name and find(o, end)[0] > 0), default=-1)
            if m and (nxt < 0 or m.start() < nxt):
                role = " ".join(m.group("role").split())
        out.append({"name": name, "role": role})
    return out


def initial_term(text: str) -> str | None:
    """The initial term's length: 'an initial term of three (3) years' -> '3 years'."""
    m = _INITIAL_TERM.search(text)
    if m:
        found = N.duration(text[m.end() : m.end() + 60])
        if found and found != "perpetual":
            return found
    return None


def liability_cap(text: str) -> str | None:
    """An amount ('$1,000,000') or the formula the cap follows ('the fees paid in the twelve (12) months preceding the claim')."""
    m = _CAP_FORMULA.search(text)
    if m:
        formula = " ".join(m.group("formula").split()).rstrip(" ,")
        money = _MONEY.search(formula)
        return formula[:160] if not money or len(formula) < 60 else money.group(0)
    money = _MONEY.search(text)
    return money.group(0) if money else None


def termination_for_convenience(text: str) -> str | None:
    """Who may terminate without cause, and with what notice: 'Acme, on 10 days notice'."""
    if C.denies("Termination for Convenience", text):
        return "No: " + ("neither party may" if re.search(r"\bneither party\b", text, re.IGNORECASE) else "not without cause")
    for m in _TFC.finditer(text):
        if not _CONVENIENCE.search(m.group("rest")):
            continue
        who = m.group("who")
        who = who[0].upper() + who[1:]
        notice = N.duration(m.group("rest"), near=r"\bnotice\b|\bprior\b")
        return f"{who}, on {notice} notice" if notice and notice != "perpetual" else who
    return None


def assignment(text: str) -> str | None:
    if C.denies("Anti-Assignment", text) or (_ASSIGN_FREE.search(text) and not re.search(r"\b(?:not|no|neither|nor)\b.{0,60}\bassign", text, re.IGNORECASE | re.DOTALL)):
        return "No consent needed"
    if any(p.search(text) for p in C._COMPILED["Anti-Assignment"]):
        return "Consent needed"
    return None


_NOTICE_CUE = re.compile(r"\b(?:at least|no less than|not less than|no later than|minimum of)\s+(?P<span>.{1,40}?)\s+(?:prior|before|in advance)\b", re.IGNORECASE | re.DOTALL)


def renewal_notice(text: str) -> str | None:
    """The notice a renewal clause asks for to stop it ("at least one month prior" -> "1 month"), or None."""
    m = _NOTICE_CUE.search(text)
    return N.duration(m.group("span")) if m else None


# The words that date a preamble, most telling first: the day it was made, the day it takes effect, the day it is dated.
_DATE_CUES = (
    re.compile(r"\b(?:made|entered(?:\s+into)?|executed)(?:\s+and\s+(?:entered\s+into|executed|effective))?"
               r"(?:\s+(?:in\s+duplicate|as\s+of|as\s+from|on|effective|with\s+effect\s+from))*\b", re.IGNORECASE),
    re.compile(r"\beffective(?:\s+(?:as\s+of|as\s+from|on|from))+\b", re.IGNORECASE),
    re.compile(r"\bdated(?:\s+(?:as\s+of|on))?\b", re.IGNORECASE),
)
# "... Amendment to the Supply Agreement dated June 1, 2010": a date of the agreement this one refers to.
_OTHER_DOCUMENT = re.compile(r"(?:\b(?:to|under|of|amends?|amending|in|means)\s+(?:the|a|an|such)|\bthat\s+certain)\b"
                             r"(?:(?!\b(?:1[89]|20)\d\d\b)[^.;()]){0,100}$", re.IGNORECASE)  # a year ends the reference
_ABOUT_THIS_AGREEMENT = re.compile(
    r"\b(?:this|the)\b[^.]{0,80}\b(?:agreement|contract|amendment|lease|licen[cs]e)\b", re.IGNORECASE)
PREAMBLE_DATE_AFTER = 1500  # how far past the start of the parties' preamble its date is looked for


def preamble_date(text: str) -> tuple[str, int, int] | None:
    """The date a preamble gives the agreement ('made and entered into as of June 8, 2010', 'dated as of'), with where
    its cue starts and its date ends; never the date of another document it names."""
    for cue in _DATE_CUES:
        for m in cue.finditer(text):
            if _OTHER_DOCUMENT.search(text, max(0, m.start() - 140), m.start()):
                continue
            found = N.leading_date(text[m.end() : m.end() + 60])
            if found:
                return found[0], m.start(), m.end() + found[1]
    return None


def agreement_date(text: str) -> str | None:
    """The date an Agreement Date excerpt gives this agreement: its preamble's, else its first date unless every date in
    it belongs to another document ('Reference is made to that certain Agreement dated as of ...')."""
    found = preamble_date(text)
    if found:
        return found[0]
    for cue in _DATE_CUES:
        for m in cue.finditer(text):
            if N.leading_date(text[m.end() : m.end() + 60]):
                return None  # its dated cues all date another document: the preamble may still date this one
    return N.iso_date(text)


def _preamble_sentences(sents, parties: dict | None) -> list:
    """The cover and the preamble: every sentence up to the parties' preamble (and a little past it), or, with no
    preamble found, the opening sentences that speak of this agreement; recitals, definitions, contents never."""
    if parties is not None:
        window = [s for s in sents if s.start < parties["start"] + PREAMBLE_DATE_AFTER]
    else:  # the cover, up to the first sentence that speaks of this agreement
        opening = [s for s in sents if s.start <= C.OPENING_CHARS]
        first = next((i for i, s in enumerate(opening) if _ABOUT_THIS_AGREEMENT.search(s.text)), None)
        window = opening[: first + 1] if first is not None else []
    kept = []
    for s in window:
        if C.boilerplate(s.text) in ("recital", "definition", "contents", "signature"):
            if parties is not None and s.start > parties["start"]:
                break  # the preamble has ended
            continue
        kept.append(s)
    return kept


def _date_from_preamble(sents, parties: dict | None, page_at) -> dict | None:
    window = _preamble_sentences(sents, parties)
    if not window:
        return None
    joined, starts = "", []
    for s in window:
        starts.append(len(joined))
        joined += s.text + "\n"
    found = preamble_date(joined)
    if not found:
        return None
    value, at, end = found
    first = max(i for i, start in enumerate(starts) if start <= at)
    last = max(i for i, start in enumerate(starts) if start < end)
    cited = {"text": "\n".join(s.text for s in window[first : last + 1]), "start": window[first].start,
             "end": window[last].end}
    return _cite(cited, value, page_at=page_at)


def lawyer_answers(terms: list[dict], sents, page_at) -> list[dict]:
    """`[{"key", "question", "answer", "text", "start", "end", "page", "status"}]` for the questions answered, in reading order."""
    by = {t["category"]: t for t in terms}
    found: dict[str, dict] = {}

    def from_term(key, category, value):
        t = by.get(category)
        if t is None:
            return
        if t.get("set_by") and t.get("answer") and PRIMARY.get(category) == key:  # a person's answer stands as they gave it
            found[key] = {**_cite(t, t["answer"], page_at=page_at), "set_by": t["set_by"]}
            return
        answer = value(t)
        if answer:
            found[key] = _cite(t, answer, page_at=page_at)
            if t.get("set_by"):
                found[key]["set_by"] = t["set_by"]

    from_term("parties", "Parties", lambda t: parties_with_roles(t["text"]) or None)
    from_term("title", "Document Name", lambda t: t.get("answer"))
    from_term("agreement_date", "Agreement Date", lambda t: agreement_date(t["text"]))
    from_term("effective_date", "Effective Date", lambda t: N.iso_date(t["text"]))
    from_term("expiration_date", "Expiration Date", lambda t: N.iso_date(t["text"]) or ("perpetual" if re.search(r"\bperpetu", t["text"], re.I) else None))
    from_term("initial_term", "Expiration Date", lambda t: initial_term(t["text"]))
    from_term("renewal_term", "Renewal Term", lambda t: N.duration(t["text"], near=r"\bsuccessive\b|\brenew\w*\b|\bterms?\b"))
    from_term("notice_period", "Notice Period to Terminate Renewal", lambda t: N.duration(t["text"], near=r"\bnotice\b|\bprior\b|\bbefore\b"))
    from_term("governing_law", "Governing Law", lambda t: N.jurisdiction(t["text"]))
    from_term("liability_cap", "Cap on Liability", lambda t: liability_cap(t["text"]))
    from_term("termination_for_convenience", "Termination for Convenience", lambda t: termination_for_convenience(t["text"]))
    from_term("assignment", "Anti-Assignment", lambda t: assignment(t["text"]))
    # Questions a denial or a plain sentence answers, where no category was shown.
    for s in sents:
        if len(found) == len(QUESTIONS):
            break
        if "termination_for_convenience" not in found and C.denies("Termination for Convenience", s.text):
            found["termination_for_convenience"] = _cite(s, termination_for_convenience(s.text), page_at=page_at)
        if re.search(r"\bassign", s.text, re.IGNORECASE) and C.boilerplate(s.text) is None and assignment(s.text) == "No consent needed":
            if "assignment" not in found:
                found["assignment"] = _cite(s, "No consent needed", page_at=page_at)
            elif found["assignment"]["answer"] == "Consent needed" and not found["assignment"].get("set_by"):
                who = _FREE_WHO.search(s.text)  # "Distributor needs consent; Tripath is free to assign"
                if who:
                    found["assignment"]["answer"] = f"Consent needed; {who.group('who')} may assign without consent"
        if "initial_term" not in found and re.search(r"\binitial term\b|\bterm of this agreement\b", s.text, re.IGNORECASE) and C.boilerplate(s.text) is None:
            answer = initial_term(s.text)
            if answer:
                found["initial_term"] = _cite(s, answer, page_at=page_at)
    if "agreement_date" not in found:  # no Agreement Date term, or one without a date: the preamble's own date
        dated = _date_from_preamble(sents, by.get("Parties"), page_at)
        if dated:
            found["agreement_date"] = dated
    renewal = by.get("Renewal Term")
    if "notice_period" not in found and renewal is not None:  # "...renews unless notice is given at least one month prior"
        notice = renewal_notice(renewal["text"])
        if notice:
            found["notice_period"] = _cite(renewal, notice, page_at=page_at)
    return [{"key": key, "question": question, **found[key]} for key, question in QUESTIONS if key in found]
