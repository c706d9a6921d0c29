"""Resumes and postings written in the tests, so each test knows exactly what the right answer is."""
import json
from pathlib import Path

from django.conf import settings

from tests import files

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"

RESUME = """Jane Doe
Data Analyst
Brooklyn, NY | jane.doe@example.org | (212) 555-0147 | linkedin.com/in/janedoe

EXPERIENCE
Data Analyst, Acme Corp
Jan 2020 - Dec 2022
- Cut monthly close time by 30% with Python and SQL
Junior Analyst at Beta LLC
Jun 2018 - Dec 2019
- Built 12 Tableau dashboards for 4 teams

EDUCATION
B.S. in Statistics, State University, 2018

SKILLS
Python, SQL, Tableau, Excel, communication
"""

FACTS = {
    "name": "Jane Doe", "email": "jane.doe@example.org", "phone": "(212) 555-0147", "location": "Brooklyn, NY",
    "links": ["linkedin.com/in/janedoe"], "headline": "Data Analyst", "current_title": "Data Analyst",
    "skills": [
        {"name": "Python", "normalized": "python", "kind": "tech"}, {"name": "SQL", "normalized": "sql", "kind": "tech"},
        {"name": "Tableau", "normalized": "tableau", "kind": "tech"}, {"name": "Excel", "normalized": "excel", "kind": "tech"},
        {"name": "communication", "normalized": "communication", "kind": "soft"},
    ],
    "education": [{"degree": "B.S. in Statistics", "institution": "State University", "year": 2018}],
    "experience": [
        {"title": "Data Analyst", "company": "Acme Corp", "location": "", "start": "2020-01", "end": "2022-12", "current": False, "months": 36,
         "achievements": ["Cut monthly close time by 30% with Python and SQL"]},
        {"title": "Junior Analyst", "company": "Beta LLC", "location": "", "start": "2018-06", "end": "2019-12", "current": False, "months": 19,
         "achievements": ["Built 12 Tableau dashboards for 4 teams"]},
    ],
    "certifications": [],
    "total_experience_months": 55,
}

POSTINGS = [
    {"id": "a1", "title": "Data Analyst", "employer": "City Health", "location": "Brooklyn, NY", "salary_min": 70000,
     "salary_max": 90000, "salary_period": "Annual", "posted_at": "2019-01-10",
     "description": "Analyse program data with Python, SQL and Tableau; report to managers."},
    {"id": "a2", "title": "Warehouse Data Clerk", "employer": "Depot Supplies", "location": "Brooklyn, NY", "salary_min": 20,
     "salary_max": 25, "salary_period": "Hourly", "posted_at": "2019-02-01",
     "description": "Warehouse data entry with Excel and SQL, Python scripts, Tableau counts of pallets in the warehouse."},
    {"id": "a3", "title": "Senior Reporting Analyst", "employer": "Transit Authority", "location": "Queens, NY",
     "salary_min": 85000, "salary_max": 110000, "posted_at": "2018-06-01",
     "description": "Build Tableau dashboards and SQL reports; Excel modelling."},
    {"id": "a4", "title": "Registered Nurse", "employer": "City Hospital", "location": "Bronx, NY", "salary_min": 80000,
     "salary_max": 95000, "posted_at": "2018-03-01", "description": "Patient care and nursing on a medical ward."},
    {"id": "a5", "title": "Statistician", "employer": "Health Department", "location": "Manhattan, NY", "salary_min": 75000,
     "salary_max": 100000, "posted_at": "2019-03-01", "description": "Statistical analysis in R and Python; data modeling."},
]


def import_postings(tmp_path, postings=POSTINGS) -> dict:
    from resumes.services import import_jobs_generic

    path = tmp_path / "jobs.json"
    path.write_text(json.dumps(postings))
    return import_jobs_generic(path, source="test")


def uploaded(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def pdf_bytes(text: str) -> bytes:
    return files.pdf_bytes([text])


def docx_bytes(text: str) -> bytes:
    return files.docx_bytes(text, separator="\n")


def two_column_pdf(left: str, right: str, *, right_x: float = 80) -> bytes:
    """A one-page PDF with two columns written line by line side by side, as table-based templates write them."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if font.exists():  # accents and dashes as written; without it, the core font and latin-1 only
        pdf.add_font("dejavu", fname=str(font))
        pdf.set_font("dejavu", size=10)
    else:
        pdf.set_font("helvetica", size=10)
        left, right = (t.replace("–", "-").replace("—", "-").encode("latin-1", "replace").decode("latin-1") for t in (left, right))
    left_lines, right_lines = left.strip("\n").split("\n"), right.strip("\n").split("\n")
    for i in range(max(len(left_lines), len(right_lines))):
        y = 20 + i * 5.5
        if i < len(left_lines) and left_lines[i].strip():
            pdf.text(15, y, left_lines[i])
        if i < len(right_lines) and right_lines[i].strip():
            pdf.text(right_x, y, right_lines[i])
    return bytes(pdf.output())
