"""What a question is about (its focus: a drug or a condition) and what it asks (its question type), read from
consumer wording, misspellings included. The focus guard rests on this: an article is used for an answer only
when its focus is the one the patient named."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from chatbot.pipeline.text import fold

# Brand and everyday names people use for a medicine, mapped to the name articles use.
ALIASES = {
    "tylenol": "acetaminophen", "panadol": "paracetamol", "calpol": "paracetamol", "advil": "ibuprofen", "motrin": "ibuprofen",
    "nurofen": "ibuprofen", "aleve": "naproxen", "naprosyn": "naproxen", "synthroid": "levothyroxine", "coumadin": "warfarin",
    "glucophage": "metformin", "zoloft": "sertraline", "prozac": "fluoxetine", "lipitor": "atorvastatin", "zocor": "simvastatin",
    "xanax": "alprazolam", "valium": "diazepam", "ativan": "lorazepam", "eliquis": "apixaban", "xarelto": "rivaroxaban",
    "augmentin": "amoxicillin", "amoxil": "amoxicillin", "prinivil": "lisinopril", "zestril": "lisinopril", "lasix": "furosemide",
    "viagra": "sildenafil", "cialis": "tadalafil", "flagyl": "metronidazole", "ultram": "tramadol", "plavix": "clopidogrel",
    "exelon": "rivastigmine", "aricept": "donepezil", "norvasc": "amlodipine", "cozaar": "losartan", "lithobid": "lithium",
    "acetaminophen": "paracetamol", "paracetamol": "acetaminophen", "hypertension": "high blood pressure", "influenza": "flu",
    "high blood pressure": "hypertension", "flu": "influenza", "fatigue": "tiredness", "tired": "tiredness", "headaches": "headache",
    "melanoma": "skin cancer", "insomnia": "sleep",
}

QUESTION_TYPES: list[tuple[str, str]] = [
    # MedQuAD's kinds of question about a condition first: their words ("how many people", "caused by a gene") would
    # otherwise be read as a dose or a cause.
    ("inheritance", r"\b(?:inherit\w*|hereditary|runs? in (?:the |my |our )?famil\w*|pass(?:ed)? (?:\w+ )?(?:on|down)"
                    r"|get it from (?:me|my|their|his|her))\b"),
    ("genetic changes", r"\b(?:genes?|genetic (?:change|cause|mutation)s?|mutations?|chromosomes?)\b"),
    ("research", r"\b(?:research\w*|clinical trials?|trials?|new (?:studies|study|treatments?))\b"),
    ("frequency", r"\bhow (?:common|rare|many people)\b|\bprevalen\w*"),
    ("susceptibility", r"\bwho (?:gets|is at risk|can get)\b|\b(?:at risk|risk factors?|likely to get)\b"),
    ("stages", r"\bstages?\b|\bhow does \w+(?: \w+)? progress\b"),
    ("interaction", r"\b(?:interact\w*|together with|at the same time as|mix\w*|combine\w*|with alcohol|alcohol|drink(?:ing)?|while (?:taking|on)|along with)\b"),
    ("side effects", r"\bside[- ]?effects?\b|\badverse\b|\breactions?\b|\bcause[sd]?\b[^?]{0,30}\b(?:weight|hair|rash|pain|sleep|tired)|\bmake (?:me|you) (?:feel|sleepy|tired)"),
    ("dosage", r"\b(?:dose|doses|dosage|how much|how many|mg|milligrams?|maximum|max)\b"),
    ("usage", r"\bhow (?:do|should) (?:i|you) (?:take|use|apply)\b|\bwhen (?:should|do) (?:i|you) take\b|\bwith food\b|\bbefore or after\b|\bat night\b"),
    ("indication", r"\bwhat (?:is|are) \w+ (?:used )?for\b|\bused for\b|\bwhat does \w+ do\b|\bhelp (?:with|for)\b|\btreat\b(?!ment)"),
    ("contraindication", r"\b(?:safe|ok|okay|allowed|can i take|should i take)\b[^?]{0,40}\b(?:pregnan\w*|breastfeed\w*|if i have|with my)\b"),
    ("storage", r"\bstor(?:e|age|ing)\b|\bfridge\b|\bexpir\w*\b"),
    ("symptoms", r"\b(?:symptoms?|signs?|how (?:can|do) (?:i|you) (?:tell|know)|what does \w+ (?:look|feel) like)\b"),
    ("causes", r"\b(?:cause[sd]?|why (?:do|does|am|is)|what makes)\b"),
    ("treatment", r"\b(?:treat\w*|cure[sd]?|get rid of|what (?:should|can) i do|remed\w*|relie\w*|manage\w*)\b"),
    ("prevention", r"\b(?:prevent\w*|avoid\w*|reduce the risk|stop (?:getting|it))\b"),
    ("diagnosis", r"\b(?:diagnos\w*|test(?:s|ed|ing)? for|check for)\b"),
    ("outlook", r"\b(?:outlook|prognosis|how long does|recover\w*|go away)\b"),
]
_QTYPES = [(name, re.compile(p, re.IGNORECASE)) for name, p in QUESTION_TYPES]
# What MedQuAD and MedicationQA call each type, folded into the names above.
QTYPE_SYNONYMS = {
    "information": "information", "information (medicine)": "information", "action": "indication", "indication": "indication",
    "usage": "usage", "side effects": "side effects", "side effect": "side effects", "interaction": "interaction",
    "dosage": "dosage", "dose": "dosage", "storage and disposal": "storage", "storage": "storage", "contraindication": "contraindication",
    "symptoms": "symptoms", "causes": "causes", "treatment": "treatment", "prevention": "prevention", "exams and tests": "diagnosis",
    "diagnosis": "diagnosis", "outlook": "outlook", "complications": "outlook", "susceptibility": "susceptibility",
    "frequency": "frequency",
    "inheritance": "inheritance", "genetic changes": "genetic changes", "research": "research", "stages": "stages",
}
FUZZY_MIN = 85  # rapidfuzz ratio: "rivatigmine" -> "rivastigmine" is 96, "metformin" -> "metoprolol" is 63
# A name of several words is matched misspelt only when the wording has a word no known name uses, and closer:
# "type 1 diabetes" and "type 2 diabetes" (ratio 93) are both known words, so they never stand in for each other.
FUZZY_MIN_PHRASE = 90
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def question_type(text: str) -> str:
    """The first question type whose wording the text uses; 'information' when none."""
    for name, pattern in _QTYPES:
        if pattern.search(text):
            return name
    return "information"


def normalise_qtype(qtype: str) -> str:
    q = (qtype or "").strip().lower()
    return QTYPE_SYNONYMS.get(q, q or "information")


def _key(text: str) -> str:
    return " ".join(fold(w) for w in _WORD.findall(text.lower().replace("’", "'")))


def focus_names(focus: str) -> list[str]:
    """The names an article's focus goes by: "Paracetamol (acetaminophen)" -> paracetamol, acetaminophen."""
    names = [focus.split("(")[0]] + re.findall(r"\(([^)]+)\)", focus)
    out = []
    for name in names:
        key = _key(name)
        if key:
            out.append(key)
            for suffix in (" disease", " syndrome", " disorder", " infection"):
                if key.endswith(suffix) and len(key) > len(suffix) + 3:
                    out.append(key[: -len(suffix)])
    return list(dict.fromkeys(out))


@dataclass
class FocusVocabulary:
    """Every focus name the knowledge base knows, mapped to its canonical focus keys."""

    names: dict[str, set[str]]

    @classmethod
    def from_foci(cls, foci) -> "FocusVocabulary":
        names: dict[str, set[str]] = {}
        for focus in foci:
            names_of = focus_names(focus)
            if not names_of:
                continue
            for name in names_of:
                names.setdefault(name, set()).add(names_of[0])
        return cls(names)

    def __post_init__(self):
        self._single = sorted(n for n in self.names if " " not in n and len(n) >= 5)
        self._longest = max((len(n.split()) for n in self.names), default=1)
        self._words = {w for n in self.names for w in n.split()}
        self._by_size: dict[int, list[str]] = {}
        for n in self.names:
            self._by_size.setdefault(len(n.split()), []).append(n)

    def recognise(self, text: str) -> set[str]:
        """The canonical focus keys the text names, exactly, through an alias, or misspelt (one long word)."""
        words = _key(text).split()
        found: set[str] = set()
        covered: set[int] = set()
        for size in range(min(self._longest, 6), 0, -1):
            for i in range(len(words) - size + 1):
                if covered & set(range(i, i + size)):
                    continue
                gram = " ".join(words[i : i + size])
                matched = False
                for candidate in (gram, _key(ALIASES.get(gram, ""))):
                    if candidate and candidate in self.names:
                        found |= self.names[candidate]
                        covered |= set(range(i, i + size))
                        matched = True
                if not matched and size > 1 and any(len(w) >= 5 and w not in self._words for w in words[i : i + size]):
                    same_size = self._by_size.get(size, ())
                    best = process.extractOne(gram, same_size, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_PHRASE)
                    if best:  # a long name with a typo wins over the shorter name spelt right inside it
                        found |= self.names[best[0]]
                        covered |= set(range(i, i + size))
        for i, word in enumerate(words):
            if i in covered or len(word) < 6 or not self._single:
                continue
            best = process.extractOne(word, self._single, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
            if best:
                found |= self.names[best[0]]
        return found
