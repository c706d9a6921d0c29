"""Dates and headings as resumes outside the US write them: the months a job ran and the sections they sit in."""

from datetime import date

import pytest

from resumes.pipeline import dates as D
from resumes.pipeline.entities import default_entities
from resumes.pipeline.profile import build_profile
from resumes.pipeline.sections import heading_of
from resumes.pipeline.skills import Taxonomy

TODAY = date(2026, 12, 2)


def parse(text: str) -> dict:
    taxonomy = Taxonomy()
    return build_profile(text, default_entities(text, taxonomy), taxonomy)


@pytest.mark.parametrize(
    "written,start,end",
    [
        ("März 2017 – heute", "2017-03", "2026-12"),
        ("Janvier 2019 – aujourd'hui", "2019-01", "2026-12"),
        ("Septembre 2015 – Décembre 2018", "2015-09", "2018-12"),
        ("enero 2019 - actualidad", "2019-01", "2026-12"),
        ("gennaio 2018 - oggi", "2018-01", "2026-12"),
        ("jan 2020 - heden", "2020-01", "2026-12"),
        ("mar/2017 - atual", "2017-03", "2026-12"),
        ("2019-03 – 2021-06", "2019-03", "2021-06"),
        ("2018.07 - Present", "2018-07", "2026-12"),
        ("Jan-18 to Dec-19", "2018-01", "2019-12"),
        ("1st March 2019 – 30th June 2020", "2019-03", "2020-06"),
        ("15.04.2019 - 31.12.2021", "2019-04", "2021-12"),
        ("2019 - now", "2019-01", "2026-12"),
        ("Since 2020", "2020-01", "2026-12"),
        ("seit 04/2020", "2020-04", "2026-12"),
    ],
)
def test_a_range_in_another_language_or_format_gives_its_months(written, start, end):
    match = D.date_range_in(f"Analyst, Acme   {written}")
    assert match is not None and D.parse_range(match, today=TODAY) == (start, end)


@pytest.mark.parametrize("written", ["Since 2020", "2016–present", "03/2019 - heute", "Ene 2018 - Actualidad"])
def test_an_open_range_marks_the_job_as_held_now(written):
    assert D.is_open(D.date_range_in(written))


@pytest.mark.parametrize("line", ["Phone 2010-11", "Marketing 2019", "13/2019"])
def test_text_that_only_looks_like_dates_is_no_range(line):
    assert D.date_range_in(line) is None


@pytest.mark.parametrize(
    "line,section",
    [
        ("EXPÉRIENCE PROFESSIONNELLE", "experience"),
        ("Berufserfahrung", "experience"),
        ("Werkervaring", "experience"),
        ("EXPERIENCIA LABORAL", "experience"),
        ("PROFESSIONAL BACKGROUND", "experience"),
        ("Formation", "education"),
        ("Ausbildung", "education"),
        ("EDUCACIÓN", "education"),
        ("Education & Certifications", "education"),
        ("Educational Background", "education"),
        ("Summary of Qualifications", "summary"),
        ("Kenntnisse", "skills"),
    ],
)
def test_headings_in_other_languages_and_wordings(line, section):
    assert heading_of(line) == section


@pytest.mark.parametrize("line", ["Senior Project Manager", "Master of Science", "Sales Experience Manager"])
def test_a_title_or_a_degree_is_no_heading(line):
    assert heading_of(line) is None


GERMAN = """Lena Fischer
lena.fischer@gmx.de | +49 151 23456789 | Hamburg

Berufserfahrung
Projektleiterin, Nordhafen Logistik GmbH, Hamburg          März 2017 – heute
Projektassistentin, Elbwerk AG, Hamburg                    Oktober 2013 – Februar 2017

Ausbildung
Master of Science Betriebswirtschaftslehre, Universität Hamburg, 2013
"""


def test_a_german_resume_gives_jobs_months_and_degree():
    p = parse(GERMAN)
    assert [(j["title"], j["company"], j["start"]) for j in p["experience"]] == [
        ("Projektleiterin", "Nordhafen Logistik GmbH", "2017-03"),
        ("Projektassistentin", "Elbwerk AG", "2013-10"),
    ]
    assert p["current_title"] == "Projektleiterin" and p["experience"][0]["current"]
    assert p["education"][0]["degree"] == "Master of Science Betriebswirtschaftslehre"
    assert p["total_experience_months"] >= 12 * 9


def test_jobs_written_with_the_word_for_at_in_their_language():
    text = (
        "Carla Ruiz\ncarla@example.es\n\nEXPERIENCIA LABORAL\nIngeniera de Datos en Meseta Telecom\n"
        "enero 2019 - actualidad\nAnalista en Banco Ribera\nmarzo 2015 - diciembre 2018\n\nEDUCACIÓN\n"
        "Grado en Ingeniería Informática, Universidad de Valencia, 2015\n"
    )
    p = parse(text)
    assert [(j["title"], j["company"]) for j in p["experience"]] == [
        ("Ingeniera de Datos", "Meseta Telecom"),
        ("Analista", "Banco Ribera"),
    ]
    assert p["education"][0]["degree"] == "Grado en Ingeniería Informática"  # "en" inside a degree is no "at"


def test_education_dates_are_not_counted_as_experience():
    text = (
        "Anika Shah\nanika@example.ca\n\nEDUCATION\n"
        "Bachelor of Design, Lakeshore University, Toronto, ON   2012 – 2016\n\n"
        "EXPERIENCE\nUX Designer, Maple Commerce, Toronto, ON   Jan 2019 – Dec 2020\n"
    )
    assert parse(text)["total_experience_months"] == 24


def test_overlapping_jobs_are_counted_once():
    text = (
        "Hanna Berg\nhanna@example.se\n\nEXPERIENCE\nData Scientist\nNorrsken Analytics\n2019-01 – 2020-12\n"
        "Research Intern (part-time, remote)\nKTH Lab\n2020-01 – 2020-06\n"
    )
    p = parse(text)
    assert p["total_experience_months"] == 24
    assert p["experience"][1]["title"] == "Research Intern (part-time, remote)"  # the comma in brackets kept
    assert p["experience"][1]["company"] == "KTH Lab"
