"""Job and school lines in the layouts resumes use: company first or title first, on one line or two, dates on
either side, several roles under one employer; degrees as written around the world; names with labels."""

import pytest

from resumes.pipeline.entities import default_entities
from resumes.pipeline.layout import pdf_reading_order
from resumes.pipeline.profile import build_profile
from resumes.pipeline.skills import Taxonomy
from tests.resumes.support import two_column_pdf


def parse(text: str) -> dict:
    taxonomy = Taxonomy()
    return build_profile(text, default_entities(text, taxonomy), taxonomy)


def jobs(text: str) -> list[tuple]:
    return [(j["title"], j["company"], j["start"]) for j in parse(text)["experience"]]


HEAD = "Jordan Reyes\njordan.reyes@example.org\n\n"


def test_company_then_title_with_an_em_dash_and_a_job_with_no_job_word_follows_the_section():
    text = HEAD + "EXPERIENCE\nNorthwind Foods — Warehouse Associate\nBayside Market — Stocker\nQuickMart — Cashier\n"
    assert [(t, c) for t, c, _ in jobs(text)] == [
        ("Warehouse Associate", "Northwind Foods"),
        ("Stocker", "Bayside Market"),
        ("Cashier", "QuickMart"),
    ]


def test_a_title_line_with_dates_takes_the_company_under_it():
    text = HEAD + (
        "EXPERIENCE\n\nCONTROLLER                        JAN 2018 – PRESENT\nLone Peak Logistics, Dallas, TX\n\n"
        "ASSISTANT CONTROLLER              MAR 2012 – DEC 2017\nRiverbend Instruments, Dallas, TX\n"
    )
    assert jobs(text) == [
        ("CONTROLLER", "Lone Peak Logistics", "2018-01"),
        ("ASSISTANT CONTROLLER", "Riverbend Instruments", "2012-03"),
    ]


def test_a_company_line_with_dates_takes_the_title_under_it():
    text = HEAD + (
        "Professional Experience\nHarbor Home Supply, Atlanta, GA          2016 – Present\n"
        "Senior Project Manager\nManaged a $12M portfolio of store remodels.\n"
        "Pine Paper Co., Atlanta, GA          2011 – 2016\nProject Manager\n"
    )
    assert jobs(text) == [
        ("Senior Project Manager", "Harbor Home Supply", "2016-01"),
        ("Project Manager", "Pine Paper Co.", "2011-01"),
    ]
    assert parse(text)["current_title"] == "Senior Project Manager"


def test_several_roles_under_one_employer_keep_that_employer():
    text = HEAD + (
        "EXPERIENCE\nSummit Search, Mountain View, CA\nStaff Software Engineer (2019 - Present)\n"
        "Senior Software Engineer (2016 - 2019)\nBlue Social, Menlo Park, CA\nSoftware Engineer (2013 - 2016)\n"
    )
    assert jobs(text) == [
        ("Staff Software Engineer", "Summit Search", "2019-01"),
        ("Senior Software Engineer", "Summit Search", "2016-01"),
        ("Software Engineer", "Blue Social", "2013-01"),
    ]


def test_dates_first_and_parts_split_by_two_spaces_or_middle_dots():
    text = HEAD + (
        "Work Experience\n2018.07 - Present  Orient Commerce Group  Senior Java Engineer\n"
        "2015.07 - 2018.06  Pearl River Telecom  Software Engineer\n"
    )
    assert jobs(text) == [
        ("Senior Java Engineer", "Orient Commerce Group", "2018-07"),
        ("Software Engineer", "Pearl River Telecom", "2015-07"),
    ]
    dots = (
        HEAD + "Work Experience\n\nLion City Appliances\nMechanical Design Engineer · Singapore · 01/2020 – Present\n"
    )
    assert jobs(dots) == [("Mechanical Design Engineer", "Lion City Appliances", "2020-01")]


def test_dated_jobs_under_a_heading_read_as_a_summary_are_still_jobs():
    text = (
        "OLIVIA BENNETT\nOperations Manager | Leeds, United Kingdom | olivia@example.co.uk\n\nCareer Summary:\n"
        "Operations Manager – Dales Dairy UK, Leeds (May 2017 – Present)\nLed 3 shift managers.\n"
        "Shift Manager – Pennine Foods, Halifax (Jan 2012 – Apr 2017)\n"
    )
    p = parse(text)
    assert [j["company"] for j in p["experience"]] == ["Dales Dairy UK", "Pennine Foods"]
    assert p["total_experience_months"] >= 12 * 14


def test_a_summary_with_no_dated_job_lines_gives_no_jobs():
    text = "Sam Lee\nsam@example.org\n\nSummary\nOperations Manager with a record of cutting costs since 2015.\n"
    assert parse(text)["experience"] == []


@pytest.mark.parametrize(
    "line,degree",
    [
        ("B.Sc. (Hons) Computer Science, University of Westbrook, 2015", "B.Sc. (Hons) Computer Science"),
        ("Master of Business Administration (MBA), Christ University, 2017", "Master of Business Administration (MBA)"),
        ("Bachelor’s Degree in Psychology, Boston University, 2016", "Bachelor’s Degree in Psychology"),
        ("BEng Civil Engineering - University of Manchester - 2014", "BEng Civil Engineering"),
        (
            "Diplom-Ingenieur (Dipl.-Ing.) Maschinenbau, Technische Universität München, 2012",
            "Diplom-Ingenieur (Dipl.-Ing.) Maschinenbau",
        ),
        ("Licence en Économie, Université Paris 1, 2013", "Licence en Économie"),
        ("Bacharelado em Design, Universidade de São Paulo, 2017", "Bacharelado em Design"),
        ("Electrical Technology Certificate, Houston Community College, 2011", "Electrical Technology Certificate"),
        ("BSc Computer Science University of Leeds 2015", "BSc Computer Science"),
        (
            "Bachelor of Arts, Economics and Political Science; Yale University; 2012",
            "Bachelor of Arts, Economics and Political Science",
        ),
        ("Stanford University — Ph.D., Statistics (2016)", "Ph.D., Statistics"),
        (
            "10/2010 – 07/2015 Studium der Informatik (Master of Science), KIT",
            "Studium der Informatik (Master of Science)",
        ),
        ("b.a. in communication studies, university of texas at austin, 2021", "b.a. in communication studies"),
    ],
)
def test_degrees_as_written_around_the_world(line, degree):
    assert parse(HEAD + f"EDUCATION\n{line}\n")["education"][0]["degree"] == degree


def test_a_school_line_then_its_degree_line_are_one_entry_and_a_state_code_is_no_degree():
    p = parse(
        HEAD + "EDUCATION\nUniversity of Leeds\nBSc (Hons) Business Management, 2011\n"
        "Northeastern University, Boston, MA, 2008\n"
    )
    assert [(e["degree"], e["institution"], e["year"]) for e in p["education"]] == [
        ("BSc (Hons) Business Management", "University of Leeds", 2011)
    ]


def test_a_school_without_a_degree_leaves_the_degree_empty():
    assert parse(HEAD + "EDUCATION\nLincoln Park High\nAssociation of Accountants, 2014\n")["education"] == []


@pytest.mark.parametrize(
    "line,name",
    [
        ("Name: Ahmed Hassan", "Ahmed Hassan"),
        ('Robert "Bob" Miller', "Robert Miller"),
        ("james whitmore", "James Whitmore"),
    ],
)
def test_names_after_a_label_or_with_a_nickname(line, name):
    assert (
        parse(f"CURRICULUM VITAE\n\n{line}\nbob@example.org\n\nEXPERIENCE\nCashier, Walmart, 2015 - 2017\n")["name"]
        == name
    )


def test_a_company_named_with_its_country_is_never_the_name():
    text = "CURRICULUM VITAE\n\nEXPERIENCE\nNile Telecom Egypt\nNetwork Engineer\nJune 2016 – Present\n"
    assert parse(text)["name"] == ""


def test_a_resume_with_no_dates_keeps_its_jobs_and_counts_no_months():
    text = "ANDREW WILSON\nandrew@example.org\n\nExperience\n"
    text += "Electrician — Mile High Electric\nHelper — Front Range Power\n"
    p = parse(text)
    assert p["name"] == "Andrew Wilson" and p["total_experience_months"] == 0
    assert [j["company"] for j in p["experience"]] == ["Mile High Electric", "Front Range Power"]


def test_a_two_column_pdf_whose_name_heads_the_main_column_after_the_sidebar_education():
    left = (
        "Contact\nchloe@example.fr\n+33 7 81 22 33 44\nBordeaux, France\n\nFormation\nMaster of Science in Oenology\n"
    )
    right = (
        "CHLOÉ MARTIN\nWinemaker\n\nExperience\nWinemaker, Domaine des Pins\n2018 - present\n"
        "Assistant Winemaker, Clos Rouge\n2014 - 2018\n"
    )
    p = parse(pdf_reading_order(two_column_pdf(left, right)))
    assert p["name"] == "Chloé Martin"
    assert p["education"][0]["degree"] == "Master of Science in Oenology"
    assert [j["company"] for j in p["experience"]] == ["Domaine des Pins", "Clos Rouge"]


@pytest.mark.parametrize(
    "line,name",
    [
        ("JANE DOE — Senior Data Scientist", "Jane Doe"),
        ("Jane Doe | Data Scientist | jane@example.org", "Jane Doe"),
        ("Wei LI", "Wei Li"),
    ],
)
def test_a_name_sharing_its_line_with_the_title_or_written_with_a_surname_in_capitals(line, name):
    p = parse(f"{line}\njane@example.org\n\nEXPERIENCE\nData Scientist, Acme Analytics, 2019 - 2021\n")
    assert p["name"] == name


def test_a_department_after_the_titles_comma_stays_in_the_title():
    text = HEAD + (
        "Experience\nVice President, Risk, Banco Norte, Madrid, 2017 - Present\n"
        "Director, Sales & Marketing | Banco Sur | 2012 - 2017\nAnalyst, Banco Este, 2010 - 2012\n"
    )
    assert [(t, c) for t, c, _ in jobs(text)] == [
        ("Vice President, Risk", "Banco Norte"),
        ("Director, Sales & Marketing", "Banco Sur"),
        ("Analyst", "Banco Este"),
    ]


def test_an_internship_written_as_a_season_counts_its_three_months():
    text = HEAD + "Experience\nSummer 2020 – Software Engineering Intern – ByteWave\n"
    p = parse(text)
    assert jobs(text) == [("Software Engineering Intern", "ByteWave", "2020-06")]
    assert p["total_experience_months"] == 3 and not p["experience"][0]["current"]


def test_a_national_phone_with_a_slash_after_its_area_code():
    assert (
        parse("Jane Doe\nTel.: 030/1234567\n\nEXPERIENCE\nAnalyst, Acme, 03/2019 - 05/2021\n")["phone"] == "030/1234567"
    )


def test_achievements_without_bullets_are_not_read_as_the_next_jobs_company():
    text = HEAD + (
        "EXPERIENCE\nSoftware Engineer, Acme Payments\nJan 2020 - Present\nBuilt the payments API\n"
        "Reduced latency by 40%\nData Analyst, Beta Corp\n2018 - 2019\nWrote weekly sales reports\n"
    )
    p = parse(text)
    assert [(t, c) for t, c, _ in jobs(text)] == [("Software Engineer", "Acme Payments"), ("Data Analyst", "Beta Corp")]
    assert p["experience"][0]["achievements"] == ["Built the payments API", "Reduced latency by 40%"]


def test_bullets_written_with_arrows_ticks_and_word_processor_circles():
    text = HEAD + (
        "EXPERIENCE\nAcme Payments\nSoftware Engineer\nJan 2020 - Present\n➢ Built the payments API\n"
        "✓ Reduced latency by 40%\no Mentored two juniors\nBeta Corp\nData Analyst\n2018 - 2019\n"
    )
    p = parse(text)
    assert [(t, c) for t, c, _ in jobs(text)] == [("Software Engineer", "Acme Payments"), ("Data Analyst", "Beta Corp")]
    assert len(p["experience"][0]["achievements"]) == 3


def test_a_long_name_with_particles_a_bracketed_country_code_and_an_open_range():
    text = (
        "María José de la Cruz Fernández\n(+44) 7700 900123\nmj@example.es\n\nExperience\n"
        "Senior Accountant, Acme, Inc., New York, NY          2019 –\nAccountant | Globex Ltd. | 06/2015–05/2019\n"
    )
    p = parse(text)
    assert p["name"] == "María José de la Cruz Fernández" and p["phone"] == "(+44) 7700 900123"
    assert [(t, c, s) for t, c, s in jobs(text)] == [
        ("Senior Accountant", "Acme, Inc.", "2019-01"),
        ("Accountant", "Globex Ltd.", "2015-06"),
    ]
    assert p["experience"][0]["current"]


@pytest.mark.parametrize(
    "line,degree",
    [
        ("MBBS, King's College London, 2012", "MBBS"),
        ("Ingeniería Industrial, Universidad de Chile, 2012", "Ingeniería Industrial"),
    ],
)
def test_degrees_of_medicine_and_engineering_abroad(line, degree):
    assert parse(HEAD + f"EDUCATION\n{line}\n")["education"][0]["degree"] == degree


def test_a_name_set_on_two_lines_and_a_name_after_the_sidebars_dated_education():
    two_lines = "ELENA\nKOVAČ\n\nelena@example.hr\n\nEXPERIENCE\nMarketing Manager — Podravka\n2019 – present\n"
    assert parse(two_lines)["name"] == "Elena Kovač"
    skills = "SQL\nJIRA\n\nEXPERIENCE\nAnalyst — Podravka\n2019 – present\n"
    assert parse(skills)["name"] == ""  # a sidebar's skills, one a line, are no name
    left = "Contact\n+61 2 9876 5432\nlucy@example.au\n\n"
    left += "Education\nBachelor of Architecture\nUniversity of Sydney\n2012 - 2016\n"
    right = "Lucy Chen\nArchitect\n\nWork History\nArchitect\nWoods Bagot, Sydney\n03/2020 - now\n"
    p = parse(pdf_reading_order(two_column_pdf(left, right)))
    assert p["name"] == "Lucy Chen" and p["experience"][0]["company"] == "Woods Bagot"


def test_jobs_listed_oldest_first_give_the_latest_title_as_the_current_one():
    text = (
        "Jan de Boer\njan@example.nl\n\nWerkervaring\n2010 - 2014  Junior Developer, Philips\n"
        "2014 - 2019  Developer, ASML\n2019 - 2023  Lead Developer, Adyen\n"
    )
    assert parse(text)["current_title"] == "Lead Developer"


def _pdf_with_lines_at(left: str, right: str, right_x: float) -> bytes:
    """A one-page PDF: each line of `left` at the margin, the same line of `right` at `right_x` (blank lines kept)."""
    from pathlib import Path

    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if font.exists():
        pdf.add_font("dejavu", fname=str(font))
        pdf.set_font("dejavu", size=10)
    else:
        pdf.set_font("helvetica", size=10)
        right = right.replace("–", "-")
    for i, (a, b) in enumerate(zip(left.split("\n"), right.split("\n") + [""] * len(left.split("\n")))):
        if a.strip():
            pdf.text(15, 20 + i * 5.5, a)
        if b.strip():
            pdf.text(right_x, 20 + i * 5.5, b)
    return bytes(pdf.output())


def test_dates_at_a_right_tab_stop_stay_on_their_jobs_lines():
    left = "Jane Doe\njane@example.org\n\nEXPERIENCE\n"
    left += "Analyst, Acme\n- a\nEngineer, Beta\n- b\nClerk, Gamma\n- c\nIntern, Delta\n"
    right = "\n\n\n\n2019 - Present\n\n2017 - 2019\n\n2015 - 2017\n\n2014 - 2015\n"
    assert pdf_reading_order(_pdf_with_lines_at(left, right, 150)) is None  # one column: the text layer is kept


def test_a_short_sidebar_beside_a_long_main_column_is_read_as_its_own_column():
    left = "\n".join(
        ["ALEX MORGAN", "Product Manager", "", "EXPERIENCE", "Product Manager, Etsy", "2019 - Present"]
        + [f"- shipped feature {i}" for i in range(20)]
        + ["Associate, Citi", "2015 - 2019"]
    )
    right = "CONTACT\nalex@example.com\n+1 212 555 0100\nNew York, NY\n\nSKILLS\nSQL\nJira\n"
    text = pdf_reading_order(_pdf_with_lines_at(left, right, 120))
    assert text is not None and "2019 - Present\n" in text and "CONTACT\nalex@example.com" in text
    p = parse(text)
    assert p["name"] == "Alex Morgan" and [j["company"] for j in p["experience"]] == ["Etsy", "Citi"]


def test_pronouns_after_a_name_and_a_scrum_master_certificate_before_the_degree():
    text = (
        "Alex Kim (they/them)\nalex@example.org\n\nEducation & Certifications\n"
        "Certified Scrum Master, Scrum Alliance, 2019\nBSc Computer Science, University of Leeds, 2015\n"
    )
    p = parse(text)
    assert p["name"] == "Alex Kim" and p["education"][0]["degree"] == "BSc Computer Science"
