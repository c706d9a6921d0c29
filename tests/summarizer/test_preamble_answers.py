"""The answers read from a contract's opening: its date and its parties, however the preamble is laid out, and an
honest blank where the opening names no party."""

from summarizer.pipeline import normalisers as N
from summarizer.pipeline.answers import parties_with_roles, preamble_date
from tests.summarizer.test_pipeline import analyse

BODY = """
1. Services. Consultant shall provide the services described in Schedule A.
2. Fees. Company shall pay Consultant the fees stated in Schedule B within thirty (30) days of invoice.
3. Term. This Agreement shall continue for a term of two (2) years.
4. Governing Law. This Agreement shall be governed by the laws of the State of New York.
5. Assignment. Neither party may assign this Agreement without the prior written consent of the other party.
"""


def answers(text):
    return {a["key"]: a for a in analyse(text, doc_type="contract")["answers"]}


def test_dated_as_of_in_the_preamble_is_the_agreement_date_cited_where_it_is_said():
    text = (
        'CONSULTING AGREEMENT\n\nThis Consulting Agreement (the "Agreement") is dated as of June 8, 2010, by and '
        'between Harbor Analytics Inc. ("Company") and Lena Ortiz ("Consultant").\n' + BODY
    )
    found = answers(text)["agreement_date"]
    assert found["answer"] == "2010-06-08"
    assert "June 8, 2010" in text[found["start"] : found["end"]]


def test_made_and_entered_into_as_of_a_day_of_a_month_is_the_agreement_date():
    text = (
        "SUPPLY AGREEMENT\n\nTHIS SUPPLY AGREEMENT is made and entered into as of the 1st day of March, 2018 by "
        'and between Keel Foods LLC ("Buyer") and Orchard Growers Co. ("Seller").\n' + BODY
    )
    assert answers(text)["agreement_date"]["answer"] == "2018-03-01"


def test_a_preamble_dates_this_agreement_not_the_one_it_amends():
    assert (
        preamble_date(
            "This First Amendment to the Supply Agreement dated June 1, 2010 is made as of May 1, 2015 "
            "by and between A and B."
        )[0]
        == "2015-05-01"
    )
    assert preamble_date("This Amendment to the Lease Agreement dated as of June 1, 2010 amends the lease.") is None


def test_a_date_cut_by_a_pdf_inside_its_ordinal_is_still_read():
    assert N.iso_date("made effective this 17t h day of February 2016") == "2016-02-17"


def test_a_table_of_contents_before_the_preamble_does_not_hide_the_parties_or_the_date():
    contents = "\n".join(f"Section {i}.1 Heading number {i} ........ {i}" for i in range(1, 90))
    text = (
        "MASTER SERVICES AGREEMENT\n\nTABLE OF CONTENTS\n" + contents + "\n\nMASTER SERVICES AGREEMENT\n\n"
        "This Master Services Agreement is entered into as of April 13, 2012 by and between Northwind Systems, "
        'Inc., a Delaware corporation ("Provider"), and Bluebell Energy LLC ("Customer").\n' + BODY
    )
    assert text.index("This Master Services") > 3000
    found = answers(text)
    assert [p["name"] for p in found["parties"]["answer"]] == ["Northwind Systems, Inc.", "Bluebell Energy LLC"]
    assert found["agreement_date"]["answer"] == "2012-04-13"


def test_party_a_and_party_b_lines_name_the_parties_and_an_unfilled_one_is_left_blank():
    text = (
        "SERVICE AGREEMENT\n\nThis Service Agreement is entered into as of May 2, 2019 by and between:\n\n"
        'Party A: Rise (Harbin) Consulting Co., Ltd. ("Service Provider")\n\nAddress: 8 River Road, Harbin\n\n'
        'Party B: [\u2022] ("Service Recipient")\n\nAddress: [\u2022]\n' + BODY
    )
    assert answers(text)["parties"]["answer"] == [
        {"name": "Rise (Harbin) Consulting Co., Ltd.", "role": "Service Provider"}
    ]


def test_by_and_between_with_roles_and_a_name_that_runs_into_words_about_the_work():
    assert parties_with_roles(
        'This Agreement is made by and between the Acme Corporation ("Company") and Beta Labs '
        'Inc. for the performance of design services ("Designer").'
    ) == [{"name": "Acme Corporation", "role": "Company"}, {"name": "Beta Labs Inc.", "role": "Designer"}]


def test_role_words_and_descriptions_are_never_shown_as_parties():
    assert N.parties("The services are provided between Developer and Client on the Effective Date.") == []
    assert N.parties("between Orchard Power LLC and Portfolio of on-site fuel cell systems owned by it.") == [
        "Orchard Power LLC"
    ]


def test_a_cover_page_names_the_parties_line_by_line():
    text = (
        "EXHIBIT 10.17\n\nINTELLECTUAL PROPERTY AGREEMENT\n\nbetween\n\nTHE HARROW & WELD COMPANY\n\nand\n\n"
        "HARROW & WELD ENTERPRISES, INC.\n\ndated as of\n\nJune 26, 2015\n\n" + BODY
    )
    found = answers(text)
    assert [p["name"] for p in found["parties"]["answer"]] == [
        "THE HARROW & WELD COMPANY",
        "HARROW & WELD ENTERPRISES, INC.",
    ]
    assert found["agreement_date"]["answer"] == "2015-06-26"


def test_an_amendment_is_dated_by_its_cover_not_by_the_agreement_it_refers_to():
    text = (
        "AMENDMENT NO. 3\n\nDated as of February 19, 2007\n\nReference is hereby made to that certain fully executed "
        'Content License Agreement Number 12965 dated as of December 16, 2004 (the "Agreement"), between Foxglove '
        'Media Inc. ("Foxglove") and Glint Mobile Inc. ("Licensee").\n' + BODY
    )
    assert answers(text)["agreement_date"]["answer"] == "2007-02-19"


def test_address_fragments_and_recital_words_are_not_parties():
    assert N.parties(
        "by and between Orchard Labs, Inc., 12 Main Street, Suite 200, Nashville and Keel Foods LLC. WITNESSETH"
    ) == ["Orchard Labs, Inc.", "Keel Foods LLC"]
