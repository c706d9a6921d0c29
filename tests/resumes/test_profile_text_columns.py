"""Plain text with two columns side by side (as `pdftotext -layout` writes a two-column resume) and headline
phrases that only look like names."""
from resumes.pipeline.entities import default_entities
from resumes.pipeline.layout import text_reading_order
from resumes.pipeline.profile import build_profile
from resumes.pipeline.skills import Taxonomy
from resumes.pipeline.structure import name_in

SIDE_BY_SIDE = """\
TOMASZ NOWAK
Data engineer

CONTACT                              EXPERIENCE
Gdansk, Poland                       Data Engineer | Baltic Freight Systems
t.nowak@example.com                  04/2020 - present
+48 555 220 118                      - Runs the nightly loads (Airflow, Spark)
                                     - Cut storage cost by a third
SKILLS
Python, SQL, Airflow                 Junior Analyst | Pomorze Insurance SA
Spark, Kafka                         09/2017 - 03/2020
                                     - Wrote the claims reports
LANGUAGES
Polish (native)                      EDUCATION
English (C1)                         Master of Science in Computer Science
                                     Gdansk University of Technology, 2017
"""

ONE_COLUMN_WITH_TAB_STOPS = """\
Anna Berg
anna.berg@example.com

EXPERIENCE
Senior Accountant                              2019 - Present
Nordic Ledger AB                               Stockholm
Accountant                                     2015 - 2019
Kvarn Revision AB                              Uppsala
Staff Accountant                               2013 - 2015
Lindqvist & Co                                 Malmo
Trainee                                        2012 - 2013
Berg Partners                                  Lund
"""


def parse(text: str) -> dict:
    taxonomy = Taxonomy()
    return build_profile(text, default_entities(text, taxonomy), taxonomy)


def test_side_by_side_columns_in_plain_text_are_read_one_after_the_other():
    ordered = text_reading_order(SIDE_BY_SIDE)
    assert ordered is not None
    assert ordered.index("Data Engineer | Baltic Freight Systems") < ordered.index("Junior Analyst | Pomorze")
    assert "SKILLS" not in ordered.split("EXPERIENCE")[1]  # the sidebar is read before the main column
    profile = parse(ordered)
    assert profile["name"] == "Tomasz Nowak"
    assert [j["company"] for j in profile["experience"]] == ["Baltic Freight Systems", "Pomorze Insurance SA"]
    assert profile["current_title"] == "Data Engineer"
    assert profile["education"][0]["degree"] == "Master of Science in Computer Science"


def test_dates_and_places_at_a_tab_stop_are_not_a_second_column():
    assert text_reading_order(ONE_COLUMN_WITH_TAB_STOPS) is None


def test_a_headline_phrase_in_sentence_case_is_not_a_name():
    assert name_in("Lean manufacturing") is None
    assert name_in("Margaret Holloway")[2] == "Margaret Holloway"
    assert name_in("bell hooks")[2] == "Bell Hooks"  # all lower case stays a name, capitalised for display
    assert name_in("Jan van der Berg")[2] == "Jan van der Berg"
