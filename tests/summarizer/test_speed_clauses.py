"""A long contract is read fast without reading it differently: the word gates skip only patterns that could not match,
and a trained averaged model reads only the passages some pattern fires on."""

import re
import string

import pytest

from summarizer.pipeline import analyse as A
from summarizer.pipeline import clauses as C
from tests.summarizer.test_contract_review import NEGATIONS

# Clauses written for this test, each with words a gate must let through (or must not need).
CLAUSES = [
    'This Supply Agreement is made and entered into as of June 8, 2010 by and between Acme Inc. ("Acme") and Beta LLC.',
    "This Agreement shall be governed by and construed in accordance with the laws of the State of Delaware.",
    "Licensee shall pay Licensor a royalty of five percent (5%) of Net Sales of each Product.",
    "Neither party may assign this Agreement without the prior written consent of the other party.",
    "Either party may terminate this Agreement for convenience upon ninety (90) days prior written notice.",
    "IN NO EVENT SHALL EITHER PARTY'S AGGREGATE LIABILITY EXCEED THE FEES PAID IN THE TWELVE MONTHS BEFORE THE CLAIM.",
    "The Distributor is appointed as the non-exclusive distributor of the Products in the Territory.",
    "Customer shall purchase a minimum of 10,000 units in each Contract Year.",
    "This Agreement shall automatically renew for successive one-year terms unless either party gives notice of "
    "non-renewal at least sixty (60) days prior to the end of the then-current term.",
    "Supplier shall maintain commercial general liability insurance of not less than $1,000,000 per occurrence.",
    "The headings in this Agreement are for convenience only.",
    "Company hereby assigns to Client all right, title and interest in the Deliverables, works made for hire.",
    "During the term and for one year after, Consultant shall not solicit or hire any employee of the Company.",
    "Nothing in this Agreement shall prevent either party from developing or marketing competing products.",
    "No third party shall have any rights or benefits under this Agreement.",
    # Mixed case and a capital I with a dot: every gate stays open where case folding could hide a word.
    "THE LİCENSE GRANTED HEREIN IS IRREVOCABLE AND PERPETUAL.",
    "The parties shall cooperate in good faith.",
    "B E T W E E N:",
]


def test_every_category_has_a_gate_and_every_denial_too():
    assert set(C.GATES) == set(C.LABELS)
    assert set(C.DENIAL_GATES) == set(C.DENIALS) | set(C.QUALIFIERS)
    assert all(w == w.lower() and w for words in (*C.GATES.values(), *C.DENIAL_GATES.values()) for w in words)


def test_characters_that_fold_to_an_ascii_letter_keep_every_gate_open():
    folding = [
        chr(cp)
        for cp in range(0x80, 0x10000)
        if not 0xD800 <= cp <= 0xDFFF
        and any(re.fullmatch(letter, chr(cp), re.IGNORECASE) for letter in string.ascii_lowercase)
    ]
    assert folding and all(C.gate_words(f"x {ch} y") is None for ch in folding)
    assert C.gate_words("plain ascii text") is not None


@pytest.fixture
def ungated(monkeypatch):
    """The patterns read every passage for every category, as before the gates."""

    def read(fn, *args, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(C, "gate_words", lambda text: None)
            return fn(*args, **kwargs)

    return read


@pytest.mark.parametrize("text", CLAUSES + [n["text"] for n in NEGATIONS], ids=lambda t: t[:40])
def test_gated_patterns_read_a_clause_as_every_pattern_would(text, ungated):
    assert C.rule_scores(text) == ungated(C.rule_scores, text)
    assert [C.denies(label, text) for label in C.LABELS] == ungated(
        lambda: [C.denies(label, text) for label in C.LABELS]
    )


def test_the_words_gate_skips_categories_a_passage_cannot_match():
    present = C.gate_words("The parties shall cooperate in good faith.")
    assert not any(
        C._open(C.GATES, label, present) for label in ("Governing Law", "Exclusivity", "Insurance", "Audit Rights")
    )
    assert C.rule_scores("The parties shall cooperate in good faith.") == {}


def test_a_trained_averaged_model_reads_only_passages_a_pattern_fires_on_and_answers_the_same():
    read = []

    def sure(texts):  # a stand-in for a trained encoder version, all but certain of every category everywhere
        read.extend(texts)
        return [{"scores": {label: 0.99 for label in C.LABELS}} for _ in texts]

    fused = A.fused_clauses(sure)(CLAUSES)
    fired = [t for t in CLAUSES if C.rule_scores(t)]
    assert read == fired and "The parties shall cooperate in good faith." not in read
    for text, prediction in zip(CLAUSES, fused):
        rules = C.rule_scores(text)
        yes = {label for label, v in prediction["scores"].items() if v >= A.CLAUSE_FUSED_THRESHOLD}
        # "yes" needs the category's own pattern, and a denied category never shows, as when the model read everything
        assert yes == {label for label in rules if not C.denies(label, text)}


def test_scores_of_every_passage_are_blended_in_order():
    scores = [{"scores": {"Governing Law": 0.9 if "governed" in t else 0.0}} for t in CLAUSES]
    fused = A.blended_with_patterns(CLAUSES, dict(enumerate(scores)))
    law = [p["scores"]["Governing Law"] for p in fused]
    assert law[1] == pytest.approx(0.5 * 0.9 + 0.5 * C.rule_scores(CLAUSES[1])["Governing Law"])
    assert max(law[:1] + law[2:]) == 0.0
