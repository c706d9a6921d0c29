"""Contract key terms: the 41 CUAD categories, how a passage is cut, and the rule-based default before training.

Category names are CUAD's (they must match its data); the descriptions and patterns are our own wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.pipeline.sentences import Sentence

# name: (answer shape, short description in our words, patterns that suggest the category)
CATEGORIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Document Name": ("text", "the title of the agreement", (r"^(?:.{0,300}?\s)?[A-Z][A-Z \-&,]{4,}\b(?:AGREEMENT|CONTRACT|LICENSE|LICENCE|LEASE)\b", r"^\s*(?:[A-Z][a-z]+[ -]){1,8}(?:Agreement|Contract|License|Licence|Lease)\s*$")),
    "Parties": ("parties", "who enters into the agreement", (
        r"\bby and (?:between|among)\b", r"\bentered into\b.{0,200}\b(?:between|among)\b",
        r"\b(?:this|the)\b[\w ,\-]{0,60}\b(?:agreement|contract)\b.{0,120}\b(?:between|among)\s+[A-Z]",
        r"\bbetween\b.{0,120}\band\b.{0,120}\((?:the )?[\"\u201c]",
        r"\bbetween\s+[A-Z][\w.,&\- ]{2,80}\((?:the )?[\"\u201c]",
        r"^\s*(?:BY AND |By and |by and )?(?:BETWEEN|Between|between|AMONG|Among|among|B E T W E E N)\s*:?\s*$")),
    "Agreement Date": ("date", "the date the agreement is made", (r"\b(?:dated|made|entered into)\b.{0,60}\b(?:as of|on|this)\b", r"\bdated as of\b")),
    "Effective Date": ("date", "when the agreement takes effect", (r"\b(?:agreement|contract|amendment)\b.{0,40}\b(?:shall be|is|becomes?|will be|shall become) effective\b", r"\beffective (?:as of|on)\b", r"\b(?:the|this) effective date\b.{0,40}\b(?:is|shall be|means|will be)\b", r"\b(?:entered into|made)\b.{0,40}\bas of\b")),
    "Expiration Date": ("date", "when the initial term ends", (r"\binitial term\b", r"\bterm of this agreement\b.{0,120}\b(?:shall|will)\b", r"\bshall (?:expire|terminate) on\b", r"\bcontinue (?:in (?:full )?force|in effect)\b.{0,80}\buntil\b")),
    "Renewal Term": ("duration", "how the term renews after it ends", (r"\b(?:automatically|shall) (?:be )?renew", r"\brenewal term\b", r"\bsuccessive\b.{0,40}\b(?:year|month|period|term)s?\b")),
    "Notice Period to Terminate Renewal": ("notice", "notice needed to stop a renewal", (r"\bnotice of (?:its )?(?:intent(?:ion)? )?(?:not to renew|non-?renewal)\b", r"\b(?:at least|no less than|not less than|no later than)\b.{0,40}\b(?:days?|weeks?|months?)\b.{0,80}\b(?:prior to|before)\b.{0,60}\b(?:expiration|expiry|end of|renewal|anniversary)\b", r"\bunless\b.{0,80}\bnotice\b.{0,120}\b(?:days?|weeks?|months?)\b.{0,40}\b(?:prior to|before)\b")),
    "Governing Law": ("jurisdiction", "which law governs the agreement", (r"\bgoverned by\b.{0,80}\blaws?\b", r"\bgoverning law\b", r"\bconstrued in accordance with\b.{0,60}\blaws?\b")),
    "Most Favored Nation": ("yes_no", "a promise of terms no worse than any other customer gets", (r"\bmost favou?red\b", r"\bno less favou?rable\b", r"\bmore favou?rable (?:terms|prices?|pricing)\b")),
    "Non-Compete": ("yes_no", "a party may not compete or work with competitors", (r"\bnot (?:to )?(?:directly or indirectly )?compete\b", r"\bnon-?compet", r"\bshall not\b.{0,80}\b(?:engage in|carry on)\b.{0,60}\bbusiness\b.{0,60}\bcompet")),
    "Exclusivity": ("yes_no", "exclusive dealing or exclusive rights", (r"\bexclusive\b(?:,? [\w-]+){0,4},? (?:rights?|distributor|distributorship|supplier|provider|basis|licen[cs]e|licensee|agent|reseller|territory)\b", r"\b(?:purchase|buy|sell|distribute|obtain|source|supply|market|promote)\w*\b.{0,40}\bexclusively\b|\bexclusively\b.{0,20}\b(?:from|to|through|for|with)\b(?!.{0,10}\bdiscretion)", r"\bsole and exclusive (?:right|distributor|supplier|provider|licen)")),
    "No-Solicit of Customers": ("yes_no", "a party may not solicit the other's customers", (r"\bsolicit\b.{0,80}\bcustomers?\b", r"\bcustomers?\b.{0,80}\bsolicit")),
    "Competitive Restriction Exception": ("yes_no", "carve-outs from the competition limits", (r"\bnotwithstanding\b.{0,120}\b(?:compet|exclusiv)", r"\bshall not (?:prevent|restrict|prohibit)\b.{0,120}\b(?:compet|develop|market)")),
    "No-Solicit of Employees": ("yes_no", "a party may not hire or solicit the other's staff", (r"\b(?:solicit|hire|employ)\b.{0,80}\b(?:employees?|personnel|staff)\b",)),
    "Non-Disparagement": ("yes_no", "a party may not speak ill of the other", (r"\bdisparag", r"\bnegative (?:statements?|comments?)\b")),
    "Termination for Convenience": ("yes_no", "ending the agreement without cause", (r"\bterminate\b.{0,100}\b(?:for (?:any|no) reason|without cause|for convenience|at any time)\b", r"\b(?:for convenience|without cause)\b.{0,80}\bterminat")),
    "Rofr/Rofo/Rofn": ("yes_no", "first refusal, first offer or first negotiation rights", (r"\bright of first (?:refusal|offer|negotiation)\b", r"\bfirst right to\b")),
    "Change of Control": ("yes_no", "what happens when a party changes owner", (r"\bchange (?:of|in) control\b", r"\b(?:merger|acquisition|consolidation)\b.{0,80}\b(?:terminat|consent|assign)")),
    "Anti-Assignment": ("yes_no", "assignment needs consent", (r"\b(?:not|no)\b.{0,40}\bassign(?:able)?\b.{0,120}\b(?:consent|approval)\b", r"\bassign(?:ed|ment|able)?\b.{0,80}\bwithout\b.{0,40}\b(?:prior )?(?:written )?consent\b")),
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

# Words (any case) without which no pattern of a category can match: a passage holding none of them skips that
# category's patterns. One lower-cased substring scan per passage replaces most of ~100 regex searches, the bulk of
# a long contract's analysis (tests/summarizer/test_speed_clauses.py holds every pattern to its words).
GATES: dict[str, tuple[str, ...]] = {
    "Document Name": ("agreement", "contract", "licen", "lease"),
    "Parties": ("between", "among", "b e t w e e n"),
    "Agreement Date": ("dated", "made", "entered into"),
    "Effective Date": ("effective", "as of"),
    "Expiration Date": (
        "initial term", "term of this agreement", "shall expire on", "shall terminate on", "continue in"),
    "Renewal Term": ("renew", "successive"),
    "Notice Period to Terminate Renewal": ("notice of", "at least", "less than", "no later than", "unless"),
    "Governing Law": ("governed by", "governing law", "construed in accordance with"),
    "Most Favored Nation": ("favo",),
    "Non-Compete": ("compet",),
    "Exclusivity": ("exclusive",),
    "No-Solicit of Customers": ("solicit",),
    "Competitive Restriction Exception": (
        "notwithstanding", "shall not prevent", "shall not restrict", "shall not prohibit"),
    "No-Solicit of Employees": ("employee", "personnel", "staff"),
    "Non-Disparagement": ("disparag", "negative"),
    "Termination for Convenience": ("terminat",),
    "Rofr/Rofo/Rofn": ("right of first", "first right to"),
    "Change of Control": ("change of control", "change in control", "merger", "acquisition", "consolidation"),
    "Anti-Assignment": ("assign",),
    "Revenue/Profit Sharing": ("royalt", "percent", "%", "revenue shar", "profit shar"),
    "Price Restrictions": ("price",),
    "Minimum Commitment": ("minimum", "units"),
    "Volume Restriction": ("exceed", "excess", "maximum"),
    "IP Ownership Assignment": ("hereby assign", "property of", "made for hire"),
    "Joint IP Ownership": ("joint",),
    "License Grant": ("grant",),
    "Non-Transferable License": ("transferable", "sublicensable", "may not transfer", "may not sublicense"),
    "Affiliate License-Licensor": ("affiliate",),
    "Affiliate License-Licensee": ("affiliate",),
    "Unlimited/All-You-Can-Eat-License": ("unlimited", "enterprise"),
    "Irrevocable or Perpetual License": ("licen",),
    "Source Code Escrow": ("escrow",),
    "Post-Termination Services": ("termination", "expiration", "transition"),
    "Audit Rights": ("audit", "inspect"),
    "Uncapped Liability": ("not apply", "unlimited liability"),
    "Cap on Liability": ("liability", "in no event"),
    "Liquidated Damages": ("liquidated damages", "termination fee", "early termination"),
    "Warranty Duration": ("warrant",),
    "Insurance": ("insur",),
    "Covenant Not to Sue": ("covenant", "contest", "challenge"),
    "Third Party Beneficiary": ("beneficiar", "no third", "no other"),
}
# The same for the denials and qualifiers of a category: without one of these words a passage cannot deny it.
DENIAL_GATES: dict[str, tuple[str, ...]] = {
    "Exclusivity": ("exclusiv", "free to"),
    "Revenue/Profit Sharing": ("royalt", "without"),
    "Minimum Commitment": ("minimum",),
    "Irrevocable or Perpetual License": ("perpetual", "irrevocable"),
    "Termination for Convenience": ("terminat",),
    "Anti-Assignment": ("assign",),
    "Insurance": ("insur",),
    "Non-Compete": ("compet",),
    "No-Solicit of Customers": ("solicit",),
    "No-Solicit of Employees": ("solicit", "hir"),
    "Most Favored Nation": ("favo",),
    "Cap on Liability": ("liab",),
    "License Grant": ("licen",),
    "Renewal Term": ("renew",),
    "Third Party Beneficiary": ("third", "other"),
    "Liquidated Damages": (
        "without", "no termination fee", "no early termination", "no liquidated damages", "no penalty"),
    "Source Code Escrow": ("escrow",),
    "Audit Rights": ("audit",),
    "IP Ownership Assignment": ("nothing", "not assign", "not transfer"),
    "Joint IP Ownership": ("joint",),
    "Non-Disparagement": ("nothing",),
    "Covenant Not to Sue": ("nothing",),
    "Price Restrictions": ("price",),
}
# Characters that ignoring case matches to an ASCII letter although their lower case is not it (re's folding): a
# passage holding one is read by every pattern, so the word scan never hides a match.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_GATE_WORDS = tuple(sorted({w for table in (GATES, DENIAL_GATES) for words in table.values() for w in words}))


def gate_words(text: str) -> frozenset[str] | None:
    """The gate words present in a passage (any case), or None when every gate must stay open."""
    if not text.isascii() and _FOLDS_TO_ASCII.search(text):
        return None
    low = text.lower()
    return frozenset(w for w in _GATE_WORDS if w in low)


def _open(table: dict[str, tuple[str, ...]], label: str, present: frozenset[str] | None) -> bool:
    return present is None or label not in table or any(w in present for w in table[label])

# Qualifiers that name a category only to deny it: removed before the patterns read a passage, so
# "non-exclusive" never reads as exclusive and "royalty-free" never as revenue sharing.
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "Exclusivity": (r"\bnon[- ]?exclusive(?:ly)?\b", r"\bnot (?:be )?(?:an? )?exclusive(?:ly)?\b", r"\bno exclusiv\w*"),
    "Revenue/Profit Sharing": (r"\broyalty[- ]free\b", r"\bfree of (?:any )?royalt\w*", r"\bwithout (?:any |the payment of )?(?:royalt\w*|fees?)\b", r"\bno royalt\w*"),
    "Minimum Commitment": (r"\bno minimum\b[\w -]*", r"\bwithout (?:any )?minimum\b[\w -]*"),
    "Irrevocable or Perpetual License": (r"\bnon-?perpetual\b", r"\bnot (?:be )?(?:perpetual|irrevocable)\b"),
}
# Statements that deny a category outright: the passage never yields it, whatever else matches.
DENIALS: dict[str, tuple[str, ...]] = {
    "Exclusivity": (r"\bnothing\b.{0,120}\b(?:exclusive|exclusivity)\b", r"\bfree to (?:appoint|sell|purchase|engage|deal)\b"),
    "Termination for Convenience": (
        r"\b(?:neither party|no party|(?:\w+ )?(?:shall|may) not|cannot|has no right to|have no right to)\b.{0,60}\bterminat\w*\b.{0,80}\b(?:for convenience|without cause|for any reason|at any time)\b",
        r"\bno (?:right|option) to terminate\b.{0,60}\b(?:for convenience|without cause)\b",
        r"\bterminat\w*\b.{0,40}\bonly (?:for|upon|in the event of) (?:cause|a (?:material )?breach)\b"),
    "Anti-Assignment": (r"\b(?:is|are|shall be|will be) free to assign\b", r"\bmay (?:freely )?assign\b.{0,160}\bwithout (?:the )?(?:need for |obtaining |requiring )?(?:any |the )?(?:other party'?s? |prior |written )*(?:consent|approval)\b",
                        r"\bfreely assignable\b", r"\bno consent\b.{0,60}\b(?:required|needed|necessary)\b.{0,60}\bassign"),
    "Insurance": (r"\b(?:shall|will) not be (?:required|obligated) to (?:obtain|maintain|carry|procure|purchase)\b.{0,40}\binsurance\b",
                  r"\bno (?:obligation|requirement) to (?:obtain|maintain|carry)\b.{0,40}\binsurance\b", r"\bnot (?:be )?insured\b"),
    "Non-Compete": (r"\bnothing\b.{0,160}\b(?:prevent|restrict|prohibit|limit|preclude)\w*\b.{0,120}\bcompet", r"\bfree to compete\b",
                    r"\b(?:shall|will) not be (?:restricted|prohibited|prevented) from\b.{0,80}\bcompet"),
    "No-Solicit of Customers": (r"\bnothing\b.{0,160}\b(?:prevent|restrict|prohibit)\w*\b.{0,120}\bsolicit", r"\bfree to solicit\b"),
    "No-Solicit of Employees": (r"\bnothing\b.{0,160}\b(?:prevent|restrict|prohibit)\w*\b.{0,120}\b(?:solicit|hir)", r"\bgeneral solicitation\b.{0,80}\bnot\b.{0,30}\b(?:breach|violat)"),
    "Minimum Commitment": (r"\b(?:shall|will) not be (?:required|obligated) to (?:pay|purchase|order|buy|sell)\b.{0,40}\bminimum\b",
                           r"\bno (?:obligation|requirement) to (?:pay|purchase|order|buy)\b.{0,40}\bminimum\b"),
    "Most Favored Nation": (r"\b(?:shall|will) not be (?:required|obligated)\b.{0,80}\bmost favou?red\b", r"\bno most favou?red\b"),
    "Cap on Liability": (r"\b(?:liability|liable)\b.{0,60}\b(?:shall|will) not be (?:limited|capped)\b", r"\bno (?:limit|limitation|cap) (?:on|of) (?:its |the )?liability\b", r"\bunlimited liability\b"),
    "License Grant": (r"\b(?:no|nothing\b.{0,80}\b(?:grants?|construed as granting|confers?)\b.{0,40}\b(?:any )?)(?:right or )?licen[cs]e\b.{0,60}\b(?:is|are|shall be)?\s*(?:granted|implied)?",
                      r"\bno licen[cs]es?\b.{0,40}\b(?:granted|implied)\b"),
    "Renewal Term": (r"\b(?:shall|will) not (?:automatically )?(?:be )?renew", r"\bno (?:automatic )?renewal\b", r"\bnot (?:be )?(?:automatically )?renewed\b"),
    "Third Party Beneficiary": (r"\bno (?:third|other)[- ](?:party|person)\b", r"\bnot\b.{0,60}\b(?:third[- ]party beneficiar|confer\w*\b.{0,60}\b(?:third|other) (?:part|person))",
                                r"\bnothing\b.{0,160}\b(?:third[- ]party|other than the parties|any person other)"),
    "Liquidated Damages": (r"\bwithout (?:any )?(?:penalty|termination fee|liability)\b", r"\bno (?:termination fee|early termination (?:fee|charge)|liquidated damages|penalty)\b"),
    "Source Code Escrow": (r"\b(?:no obligation|not be (?:required|obligated)) to\b.{0,60}\bescrow\b",),
    "Audit Rights": (r"\bno (?:right to )?audit\b", r"\b(?:shall|will) not (?:have the right to )?audit\b"),
    "IP Ownership Assignment": (r"\bnothing\b.{0,120}\b(?:assign|transfer)\w*\b.{0,80}\b(?:ownership|title|rights?)\b", r"\b(?:does|shall) not (?:assign|transfer)\b.{0,60}\b(?:ownership|title|intellectual property)\b"),
    "Joint IP Ownership": (r"\bnot (?:be )?jointly owned\b", r"\bno joint ownership\b"),
    "Non-Disparagement": (r"\bnothing\b.{0,120}\b(?:prevent|restrict|prohibit)\w*\b.{0,80}\b(?:truthful|statement)",),
    "Covenant Not to Sue": (r"\bnothing\b.{0,120}\b(?:prevent|restrict|prohibit|waive)\w*\b.{0,80}\b(?:challeng|contest|su(?:e|ing))",),
    "Price Restrictions": (r"\bmay (?:change|increase|adjust) (?:its |the )?prices?\b.{0,40}\b(?:at any time|in its (?:sole )?discretion)",),
}
# A denial that does not hold when the passage also restricts: "neither party may assign ..., except that either may assign
# to an affiliate without consent" still needs consent.
DENIAL_UNLESS = {"Anti-Assignment": r"\b(?:not|no|neither|nor)\b.{0,60}\bassign"}
_DENIAL_UNLESS = {name: re.compile(p, re.IGNORECASE | re.DOTALL) for name, p in DENIAL_UNLESS.items()}
_QUALIFIERS = {name: tuple(re.compile(p, re.IGNORECASE) for p in pats) for name, pats in QUALIFIERS.items()}
_DENIALS = {name: tuple(re.compile(p, re.IGNORECASE | re.DOTALL) for p in pats) for name, pats in DENIALS.items()}

# Passages that never carry an operative term: they name a topic without binding anyone.
_DEFINITION = re.compile(r"^\s*(?:\(?[0-9a-z]{1,4}[.)]\s*)*(?:[0-9.]+\s+)?[\"\u201c][^\"\u201d]{1,80}[\"\u201d]\s*(?:,|\s)\s*(?:shall\s+)?(?:means?|has the meaning|shall have the meaning|have the meaning|refers? to|is defined)", re.IGNORECASE)
_RECITAL = re.compile(r"^\s*(?:WHEREAS|RECITALS?\b|NOW,? THEREFORE|W I T N E S S E T H|WITNESSETH|BACKGROUND\b)", re.IGNORECASE)
_SIGNATURE = re.compile(r"^\s*(?:IN WITNESS WHEREOF|By:|Name:|Title:|Date:|Signature|Its:|/s/)", re.IGNORECASE)
_TOC = re.compile(r"\.{5,}|(?:\b(?:ARTICLE|SECTION)\s+[0-9IVX]+\b.{0,80}){3,}", re.DOTALL)
_SURVIVAL = re.compile(r"\bsurviv\w*\b", re.IGNORECASE)
_LETTERHEAD = re.compile(r"\b(?:tel(?:ephone)?|fax|phone|e-?mail|www\.|https?://|suite \d+|p\.?o\.? box|exhibit\s+\d+(?:\.\d+)?|confidential treatment|\[\*+\])", re.IGNORECASE)
# A preamble names the parties, often with their addresses: it is not letterhead even without a binding verb.
_PREAMBLE = re.compile(
    r"\bby and (?:between|among)\b|\b(?:entered into|made|dated|effective)\b.{0,200}\b(?:between|among)\b",
                       re.IGNORECASE | re.DOTALL)
_OPERATIVE = re.compile(r"\b(?:shall|will|may|must|agrees?|hereby|grants?|warrants?|is entitled|are entitled|covenants?)\b", re.IGNORECASE)
# Categories read from the opening (title, parties, dates): they come from the preamble, never from a definition.
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


def without_qualifiers(label: str, text: str) -> str:
    """The passage with the qualifiers that deny `label` blanked out ("non-exclusive" -> "")."""
    for pattern in _QUALIFIERS.get(label, ()):
        text = pattern.sub(" ", text)
    return text


def denies(label: str, text: str, *, present: frozenset[str] | None = None) -> bool:
    """True when the passage names the category only to deny or qualify it away: it must never yield it.

    `present` is the passage's `gate_words` where the caller already has them (one scan for all categories)."""
    if label not in DENIAL_GATES:
        return False
    if not _open(DENIAL_GATES, label, present if present is not None else gate_words(text)):
        return False
    if any(p.search(text) for p in _DENIALS.get(label, ())):
        return not (label in _DENIAL_UNLESS and _DENIAL_UNLESS[label].search(text))
    if label in _QUALIFIERS and any(p.search(text) for p in _QUALIFIERS[label]):
        return not any(p.search(without_qualifiers(label, text)) for p in _COMPILED[label])
    return False


def boilerplate(text: str) -> str | None:
    """What kind of non-operative passage this is (definition, recital, signature, contents, letterhead), or None."""
    if _DEFINITION.search(text):
        return "definition"
    if _RECITAL.search(text):
        return "recital"
    if _SIGNATURE.search(text):
        return "signature"
    if _TOC.search(text):
        return "contents"
    if _LETTERHEAD.search(text) and not _OPERATIVE.search(text) and not _PREAMBLE.search(text):
        return "letterhead"
    if _SURVIVAL.search(text):
        return "survival"  # lists clauses that outlive the agreement; it is not any of them
    return None


def heading_like(text: str) -> bool:
    """A heading or a title line: short, and no verb that binds anyone."""
    return len(text.split()) < 8 and not _OPERATIVE.search(text)


# Categories whose patterns alone were right on fewer than 3 in 4 of CUAD's training contracts (never its held-out
# ones; bench/summarizer.py reports `rule_precision_on_training_contracts`): until a trained model confirms them,
# they are shown as "possible", not "yes".
UNSURE_RULES = frozenset({
    "Affiliate License-Licensor", "Non-Compete", "No-Solicit of Customers", "Competitive Restriction Exception", "Uncapped Liability",
    "Revenue/Profit Sharing", "Volume Restriction", "Change of Control", "Exclusivity", "Price Restrictions", "Source Code Escrow",
    "Non-Disparagement", "Insurance", "Effective Date", "Affiliate License-Licensee", "Minimum Commitment", "Expiration Date",
    "Post-Termination Services", "Rofr/Rofo/Rofn", "Termination for Convenience", "Most Favored Nation", "Warranty Duration", "Audit Rights",
    "No-Solicit of Employees", "IP Ownership Assignment", "Third Party Beneficiary", "Cap on Liability", "Notice Period to Terminate Renewal",
    "Covenant Not to Sue",
})
RULE_SURE, RULE_POSSIBLE = 0.7, 0.45


def rule_scores(text: str, *, at: int | None = None) -> dict[str, float]:
    """Pattern confidence per category for one passage; `at` is its offset, to keep opening-only categories early.

    A category the passage denies ("non-exclusive", "neither party may terminate for convenience") scores nothing.
    """
    scores = {}
    present = gate_words(text)
    for name, patterns in _COMPILED.items():
        if at is not None and name in OPENING_ONLY and at > OPENING_CHARS:
            continue
        if not _open(GATES, name, present):
            continue
        read = without_qualifiers(name, text)
        hits = sum(1 for p in patterns if p.search(read))
        if hits and not denies(name, text, present=present):
            scores[name] = RULE_POSSIBLE if name in UNSURE_RULES else min(RULE_SURE + 0.1 * (hits - 1), 0.9)
    return scores


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end
