"""An unsure risk flag that the contract itself contradicts is not raised; a sure one still is."""
from summarizer.pipeline.risks import risk_flags
from summarizer.pipeline.sentences import split as split_sentences

NON_EXCLUSIVE = (
    "2.1 For the term of this Agreement, Supplier appoints Distributor as a non-exclusive distributor for the "
    "Products in the Territory. 19.3 The foregoing provisions state the entire liability of Supplier and the "
    "exclusive remedy of Distributor with respect to any alleged infringement."
)
REMEDY = NON_EXCLUSIVE.index("The foregoing")


def _term(status):
    return {"category": "Exclusivity", "answer": True, "status": status, "text": NON_EXCLUSIVE[REMEDY:],
            "start": REMEDY, "end": len(NON_EXCLUSIVE)}


def test_a_possible_exclusivity_flag_is_dropped_when_the_contract_says_non_exclusive():
    assert risk_flags([_term("possible")], split_sentences(NON_EXCLUSIVE)) == []


def test_a_possible_flag_stays_where_nothing_contradicts_it():
    text = NON_EXCLUSIVE.replace("a non-exclusive distributor", "its distributor")
    flags = risk_flags([{**_term("possible"), "text": text[text.index("The foregoing"):]}], split_sentences(text))
    assert [(f["flag"], f["status"]) for f in flags] == [("exclusivity", "possible")]


def test_a_sure_flag_is_raised_whatever_else_the_contract_says():
    flags = risk_flags([_term("yes")], split_sentences(NON_EXCLUSIVE))
    assert [(f["flag"], f["status"]) for f in flags] == [("exclusivity", "yes")]
