"""The pipeline without the database: sentences, structure, key terms, risks and summaries, with offsets."""
import pytest

from summarizer.ml import ClausesKind, DoctypeKind, SalienceKind
from summarizer.pipeline import analyse as A
from summarizer.pipeline import normalisers, structure
from summarizer.pipeline.clauses import LABELS
from summarizer.pipeline.oracle import greedy_oracle
from summarizer.pipeline.sentences import split
from tests.summarizer.support import CONTRACT, PAPER

DEFAULTS = A.Models(salience=SalienceKind().default_predict, clauses=ClausesKind().default_predict,
                    doctype=DoctypeKind().default_predict, versions={})


def analyse(text, **kw):
    return A.analyse(text, [{"number": 1, "start": 0, "end": len(text)}], DEFAULTS, **kw)


def test_sentences_survive_abbreviations_clause_numbers_and_citations():
    text = ("1. Definitions. Acme Inc. and Beta Corp. agree, e.g. to pay under Sec. 5 and No. 7.\n"
            "2.3(a) The U.S. courts (Smith et al., 2019) found so [12]. This is new!")
    sentences = split(text)
    assert [s.text for s in sentences] == [
        "1. Definitions.", "Acme Inc. and Beta Corp. agree, e.g. to pay under Sec. 5 and No. 7.",
        "2.3(a) The U.S. courts (Smith et al., 2019) found so [12].", "This is new!",
    ]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_headings_and_numbered_sections_are_found():
    text = "ARTICLE IV\nPayment\n\nSection 5. Fees\n\n2.3(a) Late payment bears interest.\n\nIntroduction\n\nWe study things here now."
    found = [(h.number, h.title) for h in structure.headings(split(text))]
    assert ("ARTICLE IV", "") in found and ("Section 5", "Fees") in found and ("", "Introduction") in found


def test_the_41_cuad_categories_are_named_as_cuad_names_them():
    assert len(LABELS) == 41 and "Notice Period to Terminate Renewal" in LABELS and "IP Ownership Assignment" in LABELS


def test_key_terms_of_a_contract_with_known_parties_dates_law_and_cap():
    result = analyse(CONTRACT)
    terms = {t["category"]: t for t in result["key_terms"]}
    assert result["doc_type"] == "contract"
    assert terms["Parties"]["answer"] == ["Acme Widgets Inc.", "Beta Supplies LLC"]
    assert terms["Agreement Date"]["answer"] == "2021-03-03"
    assert terms["Expiration Date"]["answer"] == "2024-03-02"
    assert terms["Governing Law"]["answer"] == "New York"
    assert terms["Notice Period to Terminate Renewal"]["answer"] == "30 days"
    cap = terms["Cap on Liability"]
    assert cap["answer"] == "yes" and CONTRACT[cap["start"]:cap["end"]].startswith("In no event shall either party's aggregate liability")
    assert cap["status"] == "possible"  # its patterns alone were right on under 3 in 4 CUAD training contracts


def test_risk_flags_cite_the_excerpt_that_raised_them():
    result = analyse(CONTRACT)
    flags = {f["flag"]: f for f in result["risks"]}
    assert set(flags) >= {"unilateral termination", "auto-renewal with short notice", "broad indemnity"}
    assert "uncapped liability" not in flags
    indemnity = flags["broad indemnity"]
    assert CONTRACT[indemnity["start"]:indemnity["end"]] == indemnity["text"]


def test_a_paper_gets_a_tldr_and_a_structured_summary_citing_its_sentences():
    result = analyse(PAPER, n_sentences=3)
    assert result["doc_type"] == "paper" and result["key_terms"] == []
    assert len(result["summary"]) == 3
    assert result["tldr"]["text"] in PAPER
    structured = result["structured"]
    assert "outperforms" in structured["results"]["text"] and "fails" in structured["limitations"]["text"]
    for s in result["summary"]:
        assert " ".join(PAPER[s["start"]:s["end"]].split()) == s["text"]


@pytest.mark.parametrize("k", [1, 2, 4])
def test_the_summary_has_the_length_the_user_chose_and_no_repeats(k):
    text = CONTRACT + "\n\nThis Agreement shall be governed by the laws of the State of New York."
    summary = analyse(text, n_sentences=k, doc_type="contract")["summary"]
    assert len(summary) == k and len({s["text"] for s in summary}) == k


def test_a_long_document_is_scored_in_chunks():
    text = "\n\n".join(f"Clause {i}. The supplier shall deliver batch {i} of widgets to the buyer on time." for i in range(1200))
    calls = []

    def salience(inputs):
        calls.append(len(inputs[0]["sentences"]))
        return SalienceKind().default_predict(inputs)

    models = A.Models(salience=salience, clauses=DEFAULTS.clauses, doctype=DEFAULTS.doctype, versions={})
    result = A.analyse(text, [{"number": 1, "start": 0, "end": len(text)}], models, doc_type="other", n_sentences=3)
    assert len(result["summary"]) == 3 and max(calls) <= 400 and len(calls) >= 3


def test_normalisers():
    assert normalisers.iso_date("dated the 3rd day of March, 2020") == "2020-03-03"
    assert normalisers.iso_date("signed 7/11/06") == "2006-07-11"
    assert normalisers.duration("for a period of ninety (90) days") == "90 days"
    assert normalisers.jurisdiction("construed under the laws of England and Wales") == "England and Wales"


def test_greedy_oracle_picks_the_sentences_closest_to_the_reference():
    sentences = ["Cats sleep a lot.", "We propose a new parser for legal text.", "The weather was nice."]
    assert greedy_oracle(sentences, "a new parser for legal text") == [1]


def test_a_trained_clause_model_verifies_and_extends_the_patterns():
    from summarizer.pipeline.clauses import LABELS

    def confident_about_insurance(texts):  # a stand-in for a trained version's scores, written out in full
        return [{"scores": {label: (0.9 if label == "Insurance" and "indemnify" in t else 0.0) for label in LABELS}} for t in texts]

    models = A.Models(salience=DEFAULTS.salience, clauses=ClausesKind().serve(confident_about_insurance), doctype=DEFAULTS.doctype,
                      clauses_trained=True)
    terms = {t["category"]: t for t in A.analyse(CONTRACT, [{"number": 1, "start": 0, "end": len(CONTRACT)}], models)["key_terms"]}
    assert "Insurance" in terms and terms["Insurance"]["text"].startswith("Beta shall indemnify")  # the model adds what patterns miss
    assert "Parties" in terms  # strong pattern evidence stands on its own
    # one weak pattern the model does not confirm is at most "possible", never a "yes"
    assert terms.get("Termination for Convenience", {}).get("status") in (None, "possible")


def test_clauses_are_judged_by_the_passage_shown_per_category_and_contract():
    from summarizer.ml import key_term_f1

    examples = [
        {"group": "a", "input": "p1", "target": ["Governing Law"]},
        {"group": "a", "input": "p2", "target": []},
        {"group": "b", "input": "p3", "target": ["Insurance"]},
    ]

    def shown(label, score):
        return {"labels": [label], "scores": {label: score}}

    # Contract a shows p2 for Governing Law (a higher score than p1): a miss and a false alarm; b finds its Insurance.
    predictions = [shown("Governing Law", 0.6), shown("Governing Law", 0.9), shown("Insurance", 0.7)]
    assert key_term_f1(examples, predictions) == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))
    predictions[1] = {"labels": [], "scores": {}}
    assert key_term_f1(examples, predictions) == 1.0
    assert key_term_f1(examples, [{"labels": [], "scores": {}}] * 3) == 0.0
