"""The profile a candidate sees, field by field, on resumes written here: two columns, names in capitals and lower
case, international phones, dates in many formats, no dates, no skills section, unreadable and oversized files."""
import io
import zipfile
from pathlib import Path

import pytest

from resumes.models import Resume
from resumes.pipeline.entities import default_entities
from resumes.pipeline.profile import build_profile
from resumes.pipeline.skills import Taxonomy
from resumes.services import resume_parse, resume_retry, resume_upload
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.resumes.support import docx_bytes, two_column_pdf, uploaded

SIDEBAR = """CERTIFIED PROJECT MANAGEMENT PROFESSIONAL
NATALIE VOSS, PMP, MBA
Senior Project Manager
Denver, CO
natalie.voss@example.net
+1 720-555-0148

CERTIFICATIONS
Project Management Professional (PMP)
PRINCE2 Practitioner

EDUCATION
MBA, University of Denver, 2013
B.S. in Civil Engineering, Colorado State University, 2009
"""
MAIN = """PROFESSIONAL EXPERIENCE
Senior Project Manager, Front Range Builders
March 2018 - Present
- Ran a $40M hospital expansion across 4 contractors
Project Manager, Summit Energy
06/2012 - 02/2018
- Delivered 9 solar farms on budget
Project Engineer, Peak Construction
Jan 2010 - May 2012
- Scheduled site work in Microsoft Project

SKILLS
Project management, risk management, budgeting, Microsoft Project, Scrum, leadership
"""


def parse(text: str) -> dict:
    taxonomy = Taxonomy()
    return build_profile(text, default_entities(text, taxonomy), taxonomy)


@pytest.mark.django_db
def test_a_two_column_pdf_of_a_12_year_project_manager_parses_to_the_right_profile():
    pdf = two_column_pdf(SIDEBAR, MAIN)
    resume = resume_parse(resume_id=resume_upload(user=UserFactory(role="candidate"), file=uploaded("voss.pdf", pdf), enqueue=False).pk)
    assert resume.status == "done", resume.failure_reason
    p = resume.parse_result
    assert p["name"] == "Natalie Voss"  # not the heading above it, and in ordinary case
    assert p["email"] == "natalie.voss@example.net" and p["phone"] == "+1 720-555-0148"
    assert p["location"] == "Denver, CO" and p["headline"] == "Senior Project Manager"
    assert p["current_title"] == "Senior Project Manager"
    assert [(j["title"], j["company"], j["start"], j["current"]) for j in p["experience"]] == [
        ("Senior Project Manager", "Front Range Builders", "2018-03", True),
        ("Project Manager", "Summit Energy", "2012-06", False),
        ("Project Engineer", "Peak Construction", "2010-01", False),
    ]
    assert p["experience"][1]["end"] == "2018-02" and p["experience"][1]["months"] == 69
    assert p["total_experience_months"] >= 12 * 12
    assert [(e["degree"], e["institution"], e["year"]) for e in p["education"]] == [
        ("MBA", "University of Denver", 2013), ("B.S. in Civil Engineering", "Colorado State University", 2009)]
    assert p["certifications"] == ["Project Management Professional (PMP)", "PRINCE2 Practitioner"]
    assert {"project management", "risk management", "scrum", "leadership"} <= {s["normalized"] for s in p["skills"]}
    assert resume.profile.current_title == "Senior Project Manager"


def test_the_same_resume_read_across_its_columns_would_mix_them_so_the_columns_are_read_apart():
    from suite import documents
    from resumes.pipeline.layout import pdf_reading_order

    pdf = two_column_pdf(SIDEBAR, MAIN)
    plain = documents.extract(pdf, filename="x.pdf").text
    assert "NATALIE VOSS, PMP, MBA Senior Project Manager, Front Range Builders" in plain.replace("\n", " ")  # interleaved
    ordered = pdf_reading_order(pdf)
    assert ordered.index("B.S. in Civil Engineering") < ordered.index("PROFESSIONAL EXPERIENCE")


def test_a_one_column_pdf_keeps_the_plain_text_layer():
    from tests import files
    from resumes.pipeline.layout import pdf_reading_order

    assert pdf_reading_order(files.pdf_bytes(["Jane Doe\nData Analyst\nEXPERIENCE\nAnalyst, Acme\n2019 - 2020"])) is None


@pytest.mark.parametrize("line,name", [
    ("JOHN MICHAEL SMITH", "John Michael Smith"),
    ("priya raman", "Priya Raman"),
    ("Dr. Elena Petrova", "Elena Petrova"),
    ("Aisha Bello, RN", "Aisha Bello"),
    ("SEÁN O'CONNOR", "Seán O'Connor"),
])
def test_names_in_capitals_lower_case_and_with_letters_after_them(line, name):
    assert parse(f"{line}\nAccountant\njohn@example.org\n\nEXPERIENCE\nAccountant, KPMG\n2019 - 2021\n")["name"] == name


@pytest.mark.parametrize("heading", [
    "CERTIFIED PROJECT MANAGEMENT PROFESSIONAL", "CURRICULUM VITAE", "Senior Data Analyst", "PROFESSIONAL SUMMARY",
])
def test_a_heading_or_a_title_is_never_taken_for_the_name(heading):
    assert parse(f"{heading}\njane@example.org\n\nSKILLS\nPython\n")["name"] == ""


@pytest.mark.parametrize("phone", [
    "+44 7700 900123", "+49 30 12345678", "+91 98450 12345", "+33 6 12 34 56 78", "+1 (646) 555-0177", "713.555.0188",
    "0412 345 678", "+91-9876543210", "(212) 555-0147",
])
def test_phones_in_national_and_international_formats(phone):
    text = f"Jane Doe\nAnalyst\njane@example.org | {phone}\n\nEXPERIENCE\nAnalyst, Acme\n04.2019 - 12.2023\n"
    assert parse(text)["phone"] == phone


def test_a_date_range_is_not_a_phone_number():
    assert parse("Jane Doe\n\nEXPERIENCE\nAnalyst, Acme\n2019/03 - 2024/02\n04.2016 - 12.2018\n")["phone"] == ""


@pytest.mark.parametrize("written,start,end", [
    ("03/2019 - 05/2021", "2019-03", "2021-05"),
    ("Mar '19 - Jun '21", "2019-03", "2021-06"),
    ("2019 - 2021", "2019-01", "2021-12"),
    ("04.2019 - 12.2023", "2019-04", "2023-12"),
    ("2019/03 - 2024/02", "2019-03", "2024-02"),
    ("Sept 2012 – June 2014", "2012-09", "2014-06"),
    ("January 2020 to December 2020", "2020-01", "2020-12"),
])
def test_dates_in_many_formats(written, start, end):
    job = parse(f"Jane Doe\n\nWORK EXPERIENCE\nAnalyst, Acme Corp\n{written}\n")["experience"][0]
    assert (job["title"], job["company"], job["start"], job["end"]) == ("Analyst", "Acme Corp", start, end)


def test_now_and_present_end_today_and_mark_the_current_job():
    from datetime import date

    p = parse("Jane Doe\n\nEXPERIENCE\nData Scientist — Flipkart\n2019 - now\nAnalyst — Mu Sigma\nJul '17 - Feb '19\n")
    today = date.today().strftime("%Y-%m")
    assert [(j["title"], j["company"], j["end"], j["current"]) for j in p["experience"]] == [
        ("Data Scientist", "Flipkart", today, True), ("Analyst", "Mu Sigma", "2019-02", False)]
    assert p["current_title"] == "Data Scientist"


def test_overlapping_jobs_count_once_in_total_experience():
    p = parse("Jane Doe\n\nEXPERIENCE\nEngineer, Avast\n03/2019 - 12/2022\nConsultant, Self-employed\n01/2021 - 06/2023\n")
    assert p["total_experience_months"] == 46 + 6  # Mar 2019 - Dec 2022, then Jan - Jun 2023


@pytest.mark.parametrize("layout", [
    "Title first\nHR Manager\nShopify, Toronto\n2019 – 2023\n",
    "One line\nHR Manager | Shopify | Toronto\n2019 – 2023\n",
    "At\nHR Manager at Shopify\n2019 – 2023\n",
    "Dates on the line\nHR Manager, Shopify    2019 – 2023\n",
    "Company with its place\nHR Manager\nShopify, Toronto, ON\n2019 – 2023\n",
])
def test_job_headers_in_several_shapes(layout):
    job = parse(f"Jane Doe\n\nEXPERIENCE\n{layout.split(chr(10), 1)[1]}")["experience"][0]
    assert (job["title"], job["company"], job["start"], job["end"]) == ("HR Manager", "Shopify", "2019-01", "2023-12")


def test_achievements_without_bullets_are_never_taken_for_the_next_jobs_title():
    p = parse("Margaret O'Connor\n\nEXPERIENCE\nOperations Manager, Acme Logistics\n2016 - Present\n"
              "Led a team of 40 across three warehouses;\ncut order lead time by 18%.\n\n"
              "Shift Supervisor, Midwest Freight Co.\n2012 - 2016\nScheduled 25 staff; introduced Lean practices.\n\n"
              "Logistics Coordinator, Blue Line Supply\n2008 - 2012\n")
    jobs = [(job["title"], job["company"]) for job in p["experience"]]
    assert jobs == [("Operations Manager", "Acme Logistics"), ("Shift Supervisor", "Midwest Freight Co."),
                    ("Logistics Coordinator", "Blue Line Supply")]
    achievements = ["Led a team of 40 across three warehouses;", "cut order lead time by 18%."]
    assert p["experience"][0]["achievements"] == achievements


def test_a_resume_with_no_dates_and_no_skills_section_gives_honest_empty_fields():
    p = parse("Luis Fernandez\nBarista\nluis@example.org\n\nExperience\nBarista, Blue Bottle Coffee\n"
              "- Prepared espresso drinks\n\nEducation\nHigh School Diploma, Austin High School\n")
    assert p["name"] == "Luis Fernandez" and p["current_title"] == "Barista"
    assert [(j["title"], j["company"], j["start"], j["months"]) for j in p["experience"]] == [("Barista", "Blue Bottle Coffee", None, None)]
    assert p["total_experience_months"] == 0 and p["skills"] == [] and p["location"] == ""
    assert p["education"] == [{"degree": "High School Diploma", "institution": "Austin High School", "year": None}]


def test_the_name_followed_by_letters_is_not_a_location():
    p = parse("Natalie Voss, MBA\nnatalie@example.org\n\nEXPERIENCE\nManager, Acme\n2019 - 2021\n")
    assert p["location"] == "" and p["name"] == "Natalie Voss"


def test_skills_are_taxonomy_skills_never_verbs_or_headings():
    imported = [("identify", "job"), ("support", "job"), ("maintain", "job"), ("business", "job"), ("history", "job"),
                ("Slack", "tech"), ("Microsoft Project", "tech")]
    taxonomy = Taxonomy(imported)
    text = ("Jane Doe\n\nWORK HISTORY\nManager, Acme\n2019 - 2021\n- Identify and support business needs, maintain "
            "the plan in Microsoft Project and Slack; slack time was cut.\n\nSKILLS\nCommunication, Python\n")
    names = [s["normalized"] for s in build_profile(text, default_entities(text, taxonomy), taxonomy)["skills"]]
    assert names == ["microsoft project", "slack", "communication", "python"]
    kinds = {s["normalized"]: s["kind"] for s in build_profile(text, default_entities(text, taxonomy), taxonomy)["skills"]}
    assert kinds == {"microsoft project": "tech", "slack": "tech", "communication": "soft", "python": "tech"}


def _malformed_docx() -> bytes:
    good = io.BytesIO(docx_bytes("Jane Doe\nAnalyst"))
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<w:document><unclosed" if item.filename == "word/document.xml" else data)
    return out.getvalue()


@pytest.mark.django_db
def test_a_malformed_docx_fails_with_its_reason_and_retry_fails_the_same_way_never_processing():
    resume = resume_upload(user=UserFactory(role="candidate"), file=uploaded("cv.docx", _malformed_docx()), enqueue=False)
    resume = resume_parse(resume_id=resume.pk)
    assert resume.status == "failed" and resume.failure_code == "corrupt" and "damaged" in resume.failure_reason
    resume_retry(resume=resume)
    assert Resume.objects.get(pk=resume.pk).status == "uploaded"
    resume = resume_parse(resume_id=resume.pk)
    assert resume.status == "failed" and resume.failure_code == "corrupt"


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_anything_is_stored(settings, tmp_path):
    settings.DOCUMENT_MAX_BYTES = 1000
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = api_client_for(UserFactory(role="candidate"))
    response = client.post("/api/resumes/", {"file": uploaded("big.txt", b"x" * 5000)}, format="multipart")
    assert response.status_code == 400 and "limit" in response.json()["error"]["fields"]["file"][0]
    assert Resume.objects.count() == 0
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
