"""Contract key terms: the 41 CUAD categories, how a passage is cut, and the rule-based default before training.

Category names are CUAD's (they must match its data); the descriptions and patterns are our own wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.pipeline.sentences import Sentence

# name: (answer shape, short description in our words, patterns that suggest the category)
CATEGORIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Document Name": ("text", "the title of the agreement", (r"^\s*[A-Z][A-Z \-&,]{6,}AGREEMENT\b", r"^\s*[A-Z][A-Z \-&,]{4,}(?:CONTRACT|LICENSE|LEASE)\b")),
    "Parties": ("parties", "who enters into the agreement", (r"\bby and between\b", r"\bentered into\b.{0,200}\bbetween\b", r"\bbetween\b.{0,120}\band\b.{0,120}\((?:the )?[\"\u201c]")),
    "Agreement Date": ("date", "the date the agreement is made", (r"\b(?:dated|made|entered into)\b.{0,60}\b(?:as of|on|this)\b", r"\bdated as of\b")),
    "Effective Date": ("date", "when the agreement takes effect", (r"\beffective date\b", r"\beffective as of\b", r"\bshall become effective\b", r"\b(?:entered into|made)\b.{0,40}\bas of\b")),
    "Expiration Date": ("date", "when the initial term ends", (r"\binitial term\b", r"\bterm of this agreement\b.{0,120}\b(?:shall|will)\b", r"\bshall (?:expire|terminate) on\b", r"\bcontinue (?:in (?:full )?force|in effect)\b.{0,80}\buntil\b")),
    "Renewal Term": ("duration", "how the term renews after it ends", (r"\b(?:automatically|shall) (?:be )?renew", r"\brenewal term\b", r"\bsuccessive\b.{0,40}\b(?:year|month|period|term)s?\b")),
    "Notice Period to Terminate Renewal": ("notice", "notice needed to stop a renewal", (r"\bnotice of (?:its )?(?:intent(?:ion)? )?(?:not to renew|non-?renewal)\b", r"\b(?:at least|no less than|not less than)\b.{0,40}\bdays?\b.{0,80}\b(?:prior to|before)\b.{0,60}\b(?:expiration|end of the|renewal)\b")),
    "Governing Law": ("jurisdiction", "which law governs the agreement", (r"\bgoverned by\b.{0,80}\blaws?\b", r"\bgoverning law\b", r"\bconstrued in accordance with\b.{0,60}\blaws?\b")),
    "Most Favored Nation": ("yes_no", "a promise of terms no worse than any other customer gets", (r"\bmost favou?red\b", r"\bno less favou?rable\b", r"\bmore favou?rable (?:terms|prices?|pricing)\b")),
    "Non-Compete": ("yes_no", "a party may not compete or work with competitors", (r"\bnot (?:to )?(?:directly or indirectly )?compete\b", r"\bnon-?compet", r"\bshall not\b.{0,80}\b(?:engage in|carry on)\b.{0,60}\bbusiness\b.{0,60}\bcompet")),
    "Exclusivity": ("yes_no", "exclusive dealing or exclusive rights", (r"\bexclusive (?:right|distributor|supplier|provider|basis|license|licensee|agent)\b", r"\bexclusively\b", r"\bsole and exclusive\b")),
    "No-Solicit of Customers": ("yes_no", "a party may not solicit the other's customers", (r"\bsolicit\b.{0,80}\bcustomers?\b", r"\bcustomers?\b.{0,80}\bsolicit")),
    "Competitive Restriction Exception": ("yes_no", "carve-outs from the competition limits", (r"\bnotwithstanding\b.{0,120}\b(?:compet|exclusiv)", r"\bshall not (?:prevent|restrict|prohibit)\b.{0,120}\b(?:compet|develop|market)")),
    "No-Solicit of Employees": ("yes_no", "a party may not hire or solicit the other's staff", (r"\b(?:solicit|hire|employ)\b.{0,80}\b(?:employees?|personnel|staff)\b",)),
    "Non-Disparagement": ("yes_no", "a party may not speak ill of the other", (r"\bdisparag", r"\bnegative (?:statements?|comments?)\b")),
    "Termination for Convenience": ("yes_no", "ending the agreement without cause", (r"\bterminate\b.{0,100}\b(?:for (?:any|no) reason|without cause|for convenience|at any time)\b", r"\b(?:for convenience|without cause)\b.{0,80}\bterminat")),
    "Rofr/Rofo/Rofn": ("yes_no", "first refusal, first offer or first negotiation rights", (r"\bright of first (?:refusal|offer|negotiation)\b", r"\bfirst right to\b")),
    "Change of Control": ("yes_no", "what happens when a party changes owner", (r"\bchange (?:of|in) control\b", r"\b(?:merger|acquisition|consolidation)\b.{0,80}\b(?:terminat|consent|assign)")),
    "Anti-Assignment": ("yes_no", "assignment needs consent", (r"\b(?:not|no)\b.{0,40}\bassign\b.{0,120}\b(?:consent|approval)\b", r"\bassign(?:ed|ment)?\b.{0,80}\bwithout\b.{0,40}\b(?:prior )?(?:written )?consent\b")),
    "Revenue/Profit Sharing": ("yes_no", "sharing revenue, profit or royalties", (r"\broyalt(?:y|ies)\b", r"\b(?:percent|%)\b.{0,60}\b(?:revenues?|profits?|net sales|gross)\b", r"\brevenue shar", r"\bprofit shar")),
    "Price Restrictions": ("yes_no", "limits on changing prices", (r"\bprices?\b.{0,60}\b(?:shall not|may not)\b.{0,40}\b(?:increase|exceed|change)", r"\b(?:increase|change)\b.{0,40}\bprices?\b.{0,60}\b(?:not more than|no more than|once)\b")),
    "Minimum Commitment": ("yes_no", "a minimum amount to buy or sell", (r"\bminimum (?:purchase|order|quantity|commitment|annual|volume|amount|royalt)", r"\bat least\b.{0,40}\bunits\b")),
    "Volume Restriction": ("yes_no", "limits or fees above a usage volume", (r"\b(?:exceed|in excess of)\b.{0,60}\b(?:volume|units|users|usage|quantity)\b", r"\bmaximum (?:number|quantity|volume)\b")),
    "IP Ownership Assignment": ("yes_no", "intellectual property created passes to the other party", (r"\bhereby assigns?\b", r"\b(?:shall|will) (?:be|become) the (?:sole and )?(?:exclusive )?property of\b", r"\bwork(?:s)? made for hire\b")),
    "Joint IP Ownership": ("yes_no", "intellectual property owned together", (r"\bjointly own", r"\bjoint(?:ly)? (?:owned|ownership)\b")),
    "License Grant": ("yes_no", "a licence granted to the other party", (r"\bhereby grants?\b.{0,120}\blicen[cs]e\b", r"\bgrants?\b.{0,80}\b(?:non-?exclusive|exclusive|limited)\b.{0,40}\blicen[cs]e\b")),
    "Non-Transferable License": ("yes_no", "a licence that may not be transferred", (r"\bnon-?transferable\b", r"\bnon-?sublicensable\b", r"\bmay not (?:transfer|sublicense)\b")),
    "Affiliate License-Licensor": ("yes_no", "a licence that also covers the licensor's affiliates' rights", (r"\blicensor\b.{0,40}\baffiliates?\b.{0,80}\bgrants?\b", r"\b(?:on behalf of|and) its affiliates\b.{0,60}\bhereby grants?\b")),
    "Affiliate License-Licensee": ("yes_no", "a licence that extends to the licensee's affiliates", (r"\blicen[cs]e\b.{0,80}\b(?:licensee|customer|company) and its affiliates\b", r"\bgrants?\b.{0,100}\bto\b.{0,40}\band its affiliates\b")),
    "Unlimited/All-You-Can-Eat-License": ("yes_no", "a licence without limits on use", (r"\bunlimited (?:number|use|copies|users|right)\b", r"\benterprise[- ]wide\b")),
    "Irrevocable or Perpetual License": ("yes_no", "a licence that cannot be withdrawn or never ends", (r"\birrevocable\b.{0,80}\blicen[cs]e\b", r"\bperpetual\b.{0,80}\blicen[cs]e\b", r"\blicen[cs]e\b.{0,80}\b(?:irrevocable|perpetual)\b")),
    "Source Code Escrow": ("yes_no", "source code held by a third party", (r"\bescrow\b",)),
    "Post-Termination Services": ("yes_no", "duties that continue after the end", (r"\b(?:after|following|upon)\b.{0,30}\b(?:termination|expiration)\b.{0,120}\b(?:shall continue|continue to|transition|wind[- ]down|sell[- ]off)\b", r"\btransition (?:services|period|assistance)\b")),
    "Audit Rights": ("yes_no", "a right to inspect books or records", (r"\baudit\b", r"\binspect\b.{0,60}\b(?:books|records|facilities)\b")),
    "Uncapped Liability": ("yes_no", "liability that has no limit", (r"\b(?:shall not apply|does not apply|will not apply)\b.{0,120}\b(?:breach|indemnif|gross negligence|willful|confidential)", r"\bunlimited liability\b", r"\bexclusions?\b.{0,40}\blimitations?\b.{0,80}\bnot apply\b")),
    "Cap on Liability": ("yes_no", "a ceiling on what a party pays for damages", (r"\b(?:aggregate|total|maximum|entire) liability\b", r"\bliability\b.{0,120}\b(?:shall not exceed|not to exceed|limited to|in no event exceed)\b", r"\bin no event\b.{0,80}\bliable\b")),
    "Liquidated Damages": ("yes_no", "a set sum due for a breach or early exit", (r"\bliquidated damages\b", r"\btermination fee\b", r"\bearly termination (?:fee|charge|payment)\b")),
    "Warranty Duration": ("duration", "how long a warranty lasts", (r"\bwarrant(?:y|s|ies)\b.{0,120}\b(?:for a period of|days|months|years)\b",)),
    "Insurance": ("yes_no", "insurance a party must keep", (r"\binsurance\b", r"\binsured\b")),
    "Covenant Not to Sue": ("yes_no", "a promise not to sue or challenge the other's rights", (r"\bcovenants? not to sue\b", r"\bnot (?:to )?(?:contest|challenge)\b.{0,80}\b(?:validity|ownership)\b")),
    "Third Party Beneficiary": ("yes_no", "someone outside the agreement who benefits from it", (r"\bthird[- ]party beneficiar", r"\bno (?:third|other) (?:party|person)\b.{0,80}\b(?:rights?|benefit)\b")),
}
LABELS = tuple(CATEGORIES)
_COMPILED = {name: tuple(re.compile(p, re.IGNORECASE | re.DOTALL) if not p.startswith("^") else re.compile(p, re.DOTALL) for p in pats) for name, (_, _, pats) in CATEGORIES.items()}
# Categories that read the document's opening, where titles, parties and dates live.
OPENING_ONLY = {"Document Name", "Parties", "Agreement Date"}
OPENING_CHARS = 3000
PASSAGE_MAX_CHARS = 600


def canonical_category(name: str) -> str | None:
    """CUAD's spelling of a category, from any casing ('Ip Ownership Assignment' -> 'IP Ownership Assignment')."""
    folded = " ".join(name.replace("- Answer", "-Answer").split()).lower()
    for label in LABELS:
        if label.lower() == folded:
            return label
    return None


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str


def passages(sentences: list[Sentence]) -> list[Passage]:
    """The units key terms are predicted on: one sentence each, long ones cut to a readable length."""
    out = []
    for s in sentences:
        text = s.text if len(s.text) <= PASSAGE_MAX_CHARS else s.text[:PASSAGE_MAX_CHARS]
        out.append(Passage(s.start, s.end, text))
    return out


def rule_scores(text: str, *, at: int | None = None) -> dict[str, float]:
    """Pattern confidence per category for one passage; `at` is its offset, to keep opening-only categories early."""
    scores = {}
    for name, patterns in _COMPILED.items():
        if at is not None and name in OPENING_ONLY and at > OPENING_CHARS:
            continue
        hits = sum(1 for p in patterns if p.search(text))
        if hits:
            scores[name] = min(0.55 + 0.15 * hits, 0.9)
    return scores


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end
