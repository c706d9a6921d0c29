"""What a lawyer reads: no category from a clause that denies it, operative excerpts, normalised cited answers, a summary of what binds."""
import json
from pathlib import Path

import pytest

from summarizer.ml import ClausesKind
from summarizer.pipeline import analyse as A
from summarizer.pipeline import answers as Ans
from summarizer.pipeline import clauses as C
from tests.summarizer.test_pipeline import DEFAULTS, analyse

NEGATIONS = json.loads((Path(__file__).resolve().parents[2] / "bench" / "data" / "summarizer" / "negations.json").read_text())


def sure_of_everything(texts):  # a stand-in for a trained version that says yes to every category, written out in full
    return [{"scores": {label: 1.0 for label in C.LABELS}} for _ in texts]


def test_the_negation_set_has_at_least_40_clauses():
    assert len(NEGATIONS) >= 40 and sum(1 for n in NEGATIONS if n["must_not"]) >= 40


@pytest.mark.parametrize("item", NEGATIONS, ids=lambda n: n["text"][:50])
def test_a_clause_never_yields_a_category_it_denies_in_the_rules_or_the_served_blend(item):
    found = set(C.rule_scores(item["text"]))
    assert not found & set(item["must_not"]), f"the rules read {found & set(item['must_not'])} into a clause that denies it"
    assert set(item["must"]) <= found
    served = ClausesKind().serve(sure_of_everything)([item["text"]])[0]
    assert not set(served["labels"]) & set(item["must_not"]), "the served blend let the model overrule a denial"


LETTERHEAD_DISTRIBUTOR = """EXHIBIT 10.8

ACME DISTRIBUTION GROUP, 100 Main Street, Suite 400, San Jose, California. Tel (408) 555-0100. Fax (408) 555-0101. Exclusive dealer programs since 1990. www.acme.example

DISTRIBUTOR AGREEMENT

This Distributor Agreement is entered into as of January 5, 2019 (the "Effective Date") by and between Acme Distribution Group, Inc., a California corporation ("Supplier"), and Northwind Traders LLC ("Distributor").

WHEREAS, Supplier wishes to appoint a distributor for its exclusive line of products.

1. Definitions. "Exclusive Products" means the products listed in Exhibit A.

2. Appointment. Supplier hereby appoints Distributor as a non-exclusive distributor of the Products in the Territory. The appointment is non-exclusive and Supplier may appoint others.

3. Term. This Agreement shall have an initial term of three (3) years from the Effective Date. Thereafter it shall automatically renew for successive one (1) year terms unless either party notifies the other at least one month prior to the end of the then-current term.

4. Price List. The prices in Exhibit B are effective from the date of each price list and may be changed by Supplier.

5. Assignment. Distributor may not assign this Agreement without the prior written consent of Supplier.

6. Limitation of Liability. Supplier's total liability under this Agreement shall not exceed $500,000.

7. Survival. Sections 5, 6 and 9 (Governing Law) shall survive any termination of this Agreement.

8. Termination. Neither party may terminate this Agreement for convenience.

9. Governing Law. This Agreement shall be governed by the laws of the State of California, without regard to its conflict of laws rules.

IN WITNESS WHEREOF, the parties have signed this Agreement.
By: ____________ Name: Jane Roe Title: CEO
"""


def test_non_exclusive_distributor_has_no_exclusivity_and_its_flags_cite_operative_clauses():
    result = analyse(LETTERHEAD_DISTRIBUTOR)
    terms = {t["category"]: t for t in result["key_terms"]}
    assert "Exclusivity" not in terms
    assert "exclusivity" not in {f["flag"] for f in result["risks"]}
    assert "Termination for Convenience" not in terms  # "neither party may terminate for convenience"
    law = terms["Governing Law"]
    assert law["answer"] == "California" and law["text"].startswith("This Agreement shall be governed by the laws")
    assert terms["Effective Date"]["answer"] == "2019-01-05" and "price" not in terms["Effective Date"]["text"].lower()
    for term in terms.values():  # never a heading, recital, definition, letterhead, survival list or signature block
        assert C.boilerplate(term["text"]) is None or term["category"] == "Document Name"
    renewal = {f["flag"]: f for f in result["risks"]}["auto-renewal with short notice"]
    assert "1 month" in renewal["why"] and "No notice period" not in renewal["why"]


def test_the_title_is_the_agreements_own_heading():
    result = analyse(LETTERHEAD_DISTRIBUTOR)
    assert result["title"] == "DISTRIBUTOR AGREEMENT"
    assert {t["category"]: t for t in result["key_terms"]}["Document Name"]["answer"] == "DISTRIBUTOR AGREEMENT"


def answers_of(text):
    return {a["key"]: a for a in analyse(text)["answers"]}


def test_each_answer_a_lawyer_reads_first_is_normalised_and_cited():
    answers = answers_of(LETTERHEAD_DISTRIBUTOR)
    assert answers["parties"]["answer"] == [{"name": "Acme Distribution Group, Inc.", "role": "Supplier"},
                                            {"name": "Northwind Traders LLC", "role": "Distributor"}]
    assert answers["title"]["answer"] == "DISTRIBUTOR AGREEMENT"
    assert answers["agreement_date"]["answer"] == "2019-01-05"
    assert answers["effective_date"]["answer"] == "2019-01-05"
    assert answers["initial_term"]["answer"] == "3 years"
    assert answers["renewal_term"]["answer"] == "1 year"
    assert answers["notice_period"]["answer"] == "1 month"  # "at least one month prior"
    assert answers["governing_law"]["answer"] == "California"
    assert answers["liability_cap"]["answer"] == "$500,000"
    assert answers["termination_for_convenience"]["answer"] == "No: neither party may"
    assert answers["assignment"]["answer"] == "Consent needed"
    for answer in answers.values():  # each cites the clause it comes from, by offsets into the text
        assert LETTERHEAD_DISTRIBUTOR[answer["start"]:answer["end"]] == answer["text"] and answer["page"] == 1


@pytest.mark.parametrize(("clause", "key", "expected"), [
    ("This Agreement shall expire on December 31, 2025.", "expiration_date", "2025-12-31"),
    ("In no event shall Vendor's aggregate liability exceed the fees paid by Customer in the twelve (12) months preceding the claim.",
     "liability_cap", "the fees paid by Customer in the twelve (12) months preceding the claim"),
    ("Customer may terminate this Agreement at any time for convenience upon thirty (30) days prior written notice.",
     "termination_for_convenience", "Customer, on 30 days notice"),
    ("Either party may assign this Agreement without the consent of the other party.", "assignment", "No consent needed"),
    ("This Agreement shall be governed by and construed in accordance with the laws of England and Wales.", "governing_law", "England and Wales"),
])
def test_an_answer_from_one_clause(clause, key, expected):
    text = f"SERVICES AGREEMENT\n\nThis Services Agreement is made by and between Alpha Ltd. (\"Customer\") and Beta Inc. (\"Vendor\").\n\n1. {clause}\n"
    assert answers_of(text)[key]["answer"] == expected


def test_renewal_notice_reads_durations_in_words():
    assert Ans.renewal_notice("renews unless either party gives notice at least one month prior to expiry") == "1 month"
    assert Ans.renewal_notice("unless terminated by notice given not less than ninety (90) days before the end of the term") == "90 days"


def test_a_category_the_model_is_unsure_of_is_shown_as_possible_not_yes():
    def unsure(texts):  # model half-sure of Audit Rights on the governing-law clause, which the patterns do not support
        return [{"scores": {label: (0.8 if label == "Audit Rights" and "governed" in t else 0.0) for label in C.LABELS}} for t in texts]

    models = A.Models(salience=DEFAULTS.salience, clauses=ClausesKind().serve(unsure), doctype=DEFAULTS.doctype, clauses_trained=True)
    text = LETTERHEAD_DISTRIBUTOR
    terms = {t["category"]: t for t in A.analyse(text, [{"number": 1, "start": 0, "end": len(text)}], models)["key_terms"]}
    assert terms["Audit Rights"]["status"] == "possible"


def test_a_contract_summary_has_one_cited_line_per_topic_and_no_boilerplate():
    result = analyse(LETTERHEAD_DISTRIBUTOR)
    topics = {s["topic"]: s for s in result["summary"]}
    assert {"Parties and purpose", "Term and renewal", "Termination", "Liability and indemnity", "Governing law"} <= set(topics)
    assert topics["Governing law"]["text"].startswith("This Agreement shall be governed")
    for s in result["summary"]:
        assert C.boilerplate(s["text"]) is None and "Tel (408)" not in s["text"] and not s["text"].startswith(("WHEREAS", "EXHIBIT"))
        assert LETTERHEAD_DISTRIBUTOR[s["start"]:s["end"]] == s["text"]


def test_a_contract_with_no_recognisable_key_terms_has_none_and_no_answers():
    text = "AGREEMENT\n\nThe parties shall meet each month to discuss the weather. They shall bring umbrellas when it rains.\n"
    result = analyse(text, doc_type="contract")
    assert result["answers"] == [] and [t for t in result["key_terms"] if t["category"] != "Document Name"] == []


ABSTRACT_ONLY = """Sparse Routing for Long Document Summarization

Abstract: We propose a sparse router that lets transformers summarize documents of many thousand tokens. Our method selects salient blocks and attends only within them. Experiments show it outperforms strong baselines by two ROUGE points.
"""


def test_a_papers_tldr_is_neither_its_title_nor_the_word_abstract():
    result = analyse(ABSTRACT_ONLY, doc_type="paper")
    tldr = result["tldr"]["text"]
    assert "Sparse Routing for Long Document Summarization" not in tldr and "abstract" not in tldr.lower()
    assert result["structured"]["method"]["text"].startswith("Our method selects")
    assert result["structured"]["results"]["text"].startswith("Experiments show")


def test_a_garbled_page_is_named_and_never_summarised():
    good = "1. Services. The Vendor shall provide the services described in the order form to the Customer. " * 3
    garbled = " ".join(["%$#@", "l1|!", "~~^^", "ﬁ§¶", "0x7f&*", "Ω≈ç√"] * 10)
    text = good + "\n\n" + garbled
    pages = [{"number": 1, "start": 0, "end": len(good)}, {"number": 2, "start": len(good) + 2, "end": len(text)}]
    result = A.analyse(text, pages, DEFAULTS, doc_type="contract")
    assert result["unreadable_pages"] == [2]
    assert all(s["page"] == 1 for s in result["summary"])


@pytest.mark.parametrize(("heading", "expected"), [
    ("EXHIBIT 10.8 DISTRIBUTOR AGREEMENT", "DISTRIBUTOR AGREEMENT"),
    ("Exhibit 10.1\nSERVICES AGREEMENT", "SERVICES AGREEMENT"),
    ("AMENDMENT NO. 2 TO THE SUPPLY AGREEMENT", "AMENDMENT NO. 2 TO THE SUPPLY AGREEMENT"),
    ("CONFIDENTIAL TREATMENT HAS BEEN REQUESTED FOR CERTAIN PORTIONS OF THIS AGREEMENT", None),
])
def test_a_title_is_the_agreements_name_never_an_exhibit_number_or_a_reference_to_it(heading, expected):
    from summarizer.pipeline.normalisers import title

    assert title(heading) == expected


# A preamble laid out on lines, as filed contracts often are: the splitter cuts it after "and" and the second party
# follows with its street address, no nickname in brackets.
PREAMBLE_ON_LINES = """EXHIBIT 4.2

RESELLER AGREEMENT         Brightwater Audio, Inc. 12 Harbor Road Suite # 7 Portland, OR 97201 Tel: (503) 555-0188

This Agreement is effective 3/1/99 ("Effective Date") between Brightwater Audio, Inc. ("Brightwater"), and

Koru Systems Limited 45 Quay Street Auckland 1010 New Zealand

1. Appointment. Brightwater appoints Reseller as a reseller of the Products in New Zealand.

2. Law. This Agreement will be governed by the laws of California.
"""


def test_a_preamble_cut_after_and_still_names_the_second_party_without_its_address():
    parties = answers_of(PREAMBLE_ON_LINES)["parties"]
    assert [p["name"] for p in parties["answer"]] == ["Brightwater Audio, Inc.", "Koru Systems Limited"]
    assert parties["answer"][0]["role"] == "Brightwater"
    cited = PREAMBLE_ON_LINES[parties["start"]:parties["end"]]
    assert "Koru Systems Limited" in cited  # the citation covers both lines


def test_a_preamble_with_addresses_is_not_letterhead_and_by_and_among_lists_each_party():
    text = ("SHAREHOLDERS AGREEMENT\n\nTHIS SHAREHOLDERS AGREEMENT (this \"Agreement\"), entered into on May 2, 2011, "
            "by and among (a) Lumen Holdings S.A. (\"Lumen\"), a company incorporated in Luxembourg, with its "
            "principal place of business at 6 rue Neuve, L-1520 Luxembourg, (b) Tarn Media Limited (\"Tarn\"), "
            "a company organised in England, and (c) Ostrava Capital GmbH (\"Ostrava\").\n\n"
            "1. Shares. Each party shall hold its shares as set out in Schedule 1.\n")
    assert C.boilerplate(text.split("\n\n")[1]) is None
    names = [p["name"] for p in answers_of(text)["parties"]["answer"]]
    assert names == ["Lumen Holdings S.A.", "Tarn Media Limited", "Ostrava Capital GmbH"]


@pytest.mark.parametrize(("opening", "expected"), [
    ("Exhibit 99.4 STRATEGIC ALLIANCE AGREEMENT THIS STRATEGIC ALLIANCE AGREEMENT (the \"Agreement\") made",
     "STRATEGIC ALLIANCE AGREEMENT"),
    ("ENDORSEMENT AGREEMENT THIS ENDORSEMENT AGREEMENT is made on June 1, 2000", "ENDORSEMENT AGREEMENT"),
    ("Exhibit 10.3 FORM OF SUPPLIER/SUBCONTRACTOR CONTRACT", "SUPPLIER/SUBCONTRACTOR CONTRACT"),
    ("Exhibit 10.8\nThis Distributor Agreement is made on June 1, 2000", "Distributor Agreement"),
    ("Amended and Restated Credit Agreement", "Amended and Restated Credit Agreement"),
])
def test_a_title_run_into_its_preamble_is_cut_at_the_agreements_name(opening, expected):
    from summarizer.pipeline.normalisers import title

    assert title(opening) == expected


def test_without_a_recognisable_name_the_title_is_a_heading_never_an_exhibit_number_or_the_preamble():
    text = ("EXHIBIT 10.8\n\nMaster Terms\n\nThe Licensor and the Licensee are sometimes referred to herein "
            "separately as a \"party\". The Licensee shall pay the fees in Schedule 2.\n")
    assert analyse(text, doc_type="contract")["title"] == "Master Terms"
    no_heading = "EXHIBIT 10.8\n\nThe Licensee shall pay the fees in Schedule 2 within thirty days.\n"
    assert analyse(no_heading, doc_type="contract")["title"] == ""


# A filed contract's opening as extracted: a securities legend runs into the heading, names in capitals with runs of
# spaces, a party described by its address with two cities.
LEGEND_OPENING = (
    "Exhibit 10.31    PURSUANT TO 17 C.F.R. § 240.24B-2, CONFIDENTIAL INFORMATION HAS BEEN OMITTED AND FILED WITH THE\n"
    "COMMISSION     HARBOR MEDICAL INCORPORATED  MULTIPLE SITE AND FIELD   SERVICE\nAGREEMENT     "
    "This Multiple Site and Field Service Agreement (\"Agreement\") is entered into by and between HARBOR  MEDICAL "
    "INCORPORATED, a Delaware corporation with its executive offices located at 12 Bay Street, Sunnyvale, California "
    "94089, USA  (\"Harbor\"), and NORDWERK AKTIENGESELLSCHAFT, a corporation formed under the laws of Germany, with "
    "its registered offices located at Berlin and Munich (\"Nordwerk\"), as of June 8, 2010 (\"Effective Date\")."
)


def test_a_legend_run_into_the_heading_is_cut_at_the_name_the_preamble_defines():
    from summarizer.pipeline.normalisers import title

    assert title(LEGEND_OPENING) == "MULTIPLE SITE AND FIELD SERVICE AGREEMENT"


def test_incorporated_in_a_name_and_cities_in_an_address_are_neither_cut_nor_parties():
    from summarizer.pipeline.answers import parties_with_roles

    assert parties_with_roles(LEGEND_OPENING) == [
        {"name": "HARBOR MEDICAL INCORPORATED", "role": "Harbor"},
        {"name": "NORDWERK AKTIENGESELLSCHAFT", "role": "Nordwerk"},
    ]
