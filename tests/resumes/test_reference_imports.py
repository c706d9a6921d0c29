"""The reference-data imports (O*NET, ESCO, BLS OEWS wages, aijobs.net salaries) through their management commands.

Each test writes a few synthetic rows in the published layout the command reads (same file names, columns,
delimiters, gzip and CRLF where the publisher uses them), so each test knows exactly what must land in the database.
The last tests read the public files in ../shared/data/jobs in place and skip where that folder is absent.
"""

import gzip
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from resumes.models import Occupation, OccupationTitle, SalaryReport, Skill, TechnologySkill, Wage
from tests.resumes.support import DATA

JOBS = DATA / "jobs"

pytestmark = pytest.mark.django_db


def tsv(rows: list[list[str]]) -> str:
    # O*NET publishes tab-separated text with CRLF line ends.
    return "".join("\t".join(r) + "\r\n" for r in rows)


def csv_text(rows: list[list[str]]) -> str:
    return "".join(",".join(f'"{c}"' if "," in c else c for c in r) + "\n" for r in rows)


def write(path: Path, text: str, *, gz: bool = False) -> Path:
    if gz:
        with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
            out.write(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def run(command: str, path) -> str:
    out = StringIO()
    call_command(command, str(path), stdout=out)
    return out.getvalue()


# --- O*NET -------------------------------------------------------------------------------------------------------

ONET_CODE = "O*NET-SOC Code"


def onet_folder(folder: Path) -> Path:
    """Two occupations, zones, alternate and reported titles (one for an unknown code), technology examples."""
    write(
        folder / "Occupation_Data.txt",
        tsv(
            [
                [ONET_CODE, "Title", "Description"],
                ["15-2051.00", "Data Scientists", "Develop and implement methods to analyze data."],
                ["29-1141.00", "Registered Nurses", "Assess patient health problems and needs."],
            ]
        ),
    )
    write(
        folder / "Job_Zones.txt",
        tsv(
            [
                [ONET_CODE, "Job Zone", "Date", "Domain Source"],
                ["15-2051.00", "5", "08/2023", "Analyst"],
                ["29-1141.00", "3", "08/2023", "Analyst"],
            ]
        ),
    )
    write(
        folder / "Alternate_Titles.txt.gz",
        tsv(
            [
                [ONET_CODE, "Alternate Title", "Short Title", "Source(s)"],
                ["15-2051.00", "Machine Learning  Scientist", "n/a", "08"],
                ["99-9999.00", "Title Of An Unknown Code", "n/a", "08"],
            ]
        ),
        gz=True,
    )
    write(
        folder / "Sample_of_Reported_Titles.txt",
        tsv(
            [
                [ONET_CODE, "Reported Job Title", "Shown in My Next Move"],
                ["29-1141.00", "Staff Nurse", "Y"],
            ]
        ),
    )
    write(
        folder / "Technology_Skills.txt.gz",
        tsv(
            [
                [ONET_CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
                ["15-2051.00", "Python", "43232403", "Development environment software", "Y", "Y"],
                ["15-2051.00", "Apache Spark", "43232306", "Data base user interface and query software", "Y", "N"],
                ["29-1141.00", "python", "43232403", "Development environment software", "N", "N"],
                ["29-1141.00", "Epic Systems", "43231601", "Medical software", "N", "N"],
                ["99-9999.00", "Software Of An Unknown Code", "43231601", "Medical software", "Y", "Y"],
            ]
        ),
        gz=True,
    )
    return folder


def test_import_onet_stores_occupations_with_job_zones_titles_and_technology_skills(tmp_path):
    output = run("import_onet", onet_folder(tmp_path))

    assert "occupations: 2" in output
    scientist = Occupation.objects.get(code="15-2051.00")
    assert (scientist.title, scientist.job_zone, scientist.soc) == ("Data Scientists", 5, "15-2051")
    assert scientist.description == "Develop and implement methods to analyze data."
    assert Occupation.objects.get(code="29-1141.00").job_zone == 3
    titles = set(OccupationTitle.objects.values_list("occupation__code", "title", "normalized"))
    assert titles == {
        ("15-2051.00", "Machine Learning  Scientist", "machine learning scientist"),
        ("29-1141.00", "Staff Nurse", "staff nurse"),
    }
    # One skill per normalized name, hot/in-demand if any occupation marks it so; the unknown code adds nothing.
    skills = {s.normalized: (s.name, s.kind, s.source, s.hot, s.in_demand) for s in Skill.objects.all()}
    assert skills == {
        "python": ("Python", "tech", "onet", True, True),
        "apache spark": ("Apache Spark", "tech", "onet", True, False),
        "epic systems": ("Epic Systems", "tech", "onet", False, False),
    }
    links = set(
        TechnologySkill.objects.values_list("occupation__code", "skill__normalized", "commodity", "hot", "in_demand")
    )
    assert links == {
        ("15-2051.00", "python", "Development environment software", True, True),
        ("15-2051.00", "apache spark", "Data base user interface and query software", True, False),
        ("29-1141.00", "python", "Development environment software", False, False),
        ("29-1141.00", "epic systems", "Medical software", False, False),
    }


def test_import_onet_twice_adds_nothing_the_second_time(tmp_path):
    folder = onet_folder(tmp_path)
    run("import_onet", folder)
    before = [m.objects.count() for m in (Occupation, OccupationTitle, Skill, TechnologySkill)]

    output = run("import_onet", folder)

    assert "occupations: 0" in output
    assert [m.objects.count() for m in (Occupation, OccupationTitle, Skill, TechnologySkill)] == before == [2, 2, 3, 4]


def test_import_onet_without_job_zones_or_titles_still_imports_occupations(tmp_path):
    write(
        tmp_path / "Occupation_Data.txt",
        tsv([[ONET_CODE, "Title", "Description"], ["15-2051.00", "Data Scientists", ""]]),
    )

    run("import_onet", tmp_path)

    assert list(Occupation.objects.values_list("code", "job_zone")) == [("15-2051.00", None)]
    assert not OccupationTitle.objects.exists() and not TechnologySkill.objects.exists()


def test_import_onet_on_a_folder_without_occupation_data_says_what_it_needs(tmp_path):
    write(tmp_path / "Job_Zones.txt", tsv([[ONET_CODE, "Job Zone"], ["15-2051.00", "5"]]))

    with pytest.raises(CommandError, match="has no Occupation_Data.txt"):
        run("import_onet", tmp_path)
    assert not Occupation.objects.exists()


def test_import_onet_on_a_missing_folder_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Occupation_Data.txt"):
        run("import_onet", tmp_path / "nowhere")


def test_import_onet_with_a_column_missing_is_a_command_error_and_writes_nothing(tmp_path):
    write(tmp_path / "Occupation_Data.txt", tsv([[ONET_CODE, "Name"], ["15-2051.00", "Data Scientists"]]))

    with pytest.raises(CommandError, match="Title"):
        run("import_onet", tmp_path)
    assert not Occupation.objects.exists()


# --- ESCO --------------------------------------------------------------------------------------------------------


def esco_file(path: Path) -> Path:
    """ESCO's merged text: preferred label, alternative labels, then a capitalised description."""
    return write(
        path,
        csv_text(
            [
                ["id", "description"],
                [
                    "http://data.europa.eu/esco/skill/s1",
                    "manage musical staff manage staff of music Assign and manage staff tasks.",
                ],
                [
                    "http://data.europa.eu/esco/skill/s2",
                    "use spreadsheets software use spreadsheets Use software tools to create data.",
                ],
                ["http://data.europa.eu/esco/skill/s3", "teamwork teamwork skills Collaborate with others."],
                ["http://data.europa.eu/esco/skill/s4", "Only A Description, No Label."],
                ["http://data.europa.eu/esco/skill/s5", "manage musical staff again Assign tasks."],
            ]
        ),
        gz=True,
    )


def test_import_esco_stores_each_preferred_label_once_and_marks_soft_skills(tmp_path):
    output = run("import_esco", esco_file(tmp_path / "skills.csv.gz"))

    assert output.strip() == "skills: 3, skipped: 2"
    skills = {s.normalized: (s.name, s.kind, s.source) for s in Skill.objects.all()}
    assert skills == {
        "manage musical staff": ("manage musical staff", "job", "esco"),
        "use spreadsheets software": ("use spreadsheets software", "job", "esco"),
        "teamwork": ("teamwork", "soft", "esco"),
    }


def test_import_esco_twice_adds_nothing_the_second_time(tmp_path):
    path = esco_file(tmp_path / "skills.csv.gz")
    run("import_esco", path)
    before = Skill.objects.count()

    output = run("import_esco", path)

    assert output.strip() == "skills: 0, skipped: 5"
    assert Skill.objects.count() == before == 3


def test_import_esco_on_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("import_esco", tmp_path / "skills.csv.gz")


def test_import_esco_on_a_file_that_is_not_text_is_a_command_error(tmp_path):
    path = tmp_path / "skills.csv"
    path.write_bytes(b"id,description\n\xff\xfe\x00\x81 not utf-8\n")

    with pytest.raises(CommandError):
        run("import_esco", path)
    assert not Skill.objects.exists()


# --- BLS OEWS ----------------------------------------------------------------------------------------------------

BLS_HEADER = (
    "OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,EMP_PRSE,JOBS_1000,LOC_QUOTIENT,PCT_TOTAL,PCT_RPT,H_MEAN,A_MEAN,MEAN_PRSE,"
    "H_PCT10,H_PCT25,H_MEDIAN,H_PCT75,H_PCT90,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90,ANNUAL,HOURLY"
).split(",")


def bls_row(code, title, group, employment, mean, p10, p25, p50, p75, p90) -> list[str]:
    return [
        code,
        title,
        group,
        employment,
        "0.5",
        "",
        "",
        "",
        "",
        "40.0",
        mean,
        "0.5",
        "20.0",
        "25.0",
        "30.0",
        "45.0",
        "60.0",
        p10,
        p25,
        p50,
        p75,
        p90,
        "",
        "",
    ]


def bls_file(path: Path) -> Path:
    """A total, a major group, a broad and two detailed rows ('#' = above the top wage, '*' = not published)."""
    return write(
        path,
        csv_text(
            [
                BLS_HEADER,
                bls_row(
                    "00-0000",
                    "All Occupations",
                    "total",
                    "151853870",
                    "65470",
                    "29050",
                    "35660",
                    "48060",
                    "76980",
                    "121470",
                ),
                bls_row(
                    "15-0000",
                    "Computer and Mathematical Occupations",
                    "major",
                    "5000000",
                    "110000",
                    "1",
                    "2",
                    "3",
                    "4",
                    "5",
                ),
                bls_row(
                    "11-1010", "Chief Executives", "broad", "211230", "258900", "80000", "130840", "206680", "#", "#"
                ),
                bls_row(
                    "15-2051",
                    "Data Scientists",
                    "detailed",
                    "192710",
                    "119040",
                    "61070",
                    "79400",
                    "108020",
                    "141370",
                    "184090",
                ),
                bls_row("27-2099", "Entertainers, All Other", "detailed", "**", "*", "*", "*", "*", "*", "*"),
                bls_row("15-2051", "Data Scientists (repeated)", "detailed", "1", "1", "1", "1", "1", "1", "1"),
            ]
        ),
    )


def test_import_wages_stores_annual_percentiles_for_broad_and_detailed_codes_of_the_files_year(tmp_path):
    output = run("import_wages", bls_file(tmp_path / "national_M2023_dl.csv"))

    assert output.strip() == "wages: 3, skipped: 3, year: 2023"
    wages = {
        w.soc: (w.title, w.year, w.employment, w.mean, w.p10, w.p25, w.p50, w.p75, w.p90) for w in Wage.objects.all()
    }
    assert wages == {
        "15-2051": ("Data Scientists", 2023, 192710, 119040.0, 61070.0, 79400.0, 108020.0, 141370.0, 184090.0),
        "11-1010": ("Chief Executives", 2023, 211230, 258900.0, 80000.0, 130840.0, 206680.0, None, None),
        "27-2099": ("Entertainers, All Other", 2023, None, None, None, None, None, None, None),
    }


def test_import_wages_twice_adds_nothing_and_another_year_is_kept_beside_it(tmp_path):
    run("import_wages", bls_file(tmp_path / "national_M2023_dl.csv"))

    assert run("import_wages", tmp_path / "national_M2023_dl.csv").startswith("wages: 0,")
    assert Wage.objects.count() == 3
    run("import_wages", bls_file(tmp_path / "national_M2024_dl.csv"))
    assert sorted(Wage.objects.filter(soc="15-2051").values_list("year", flat=True)) == [2023, 2024]


def test_import_wages_on_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("import_wages", tmp_path / "national_M2023_dl.csv")


# --- aijobs.net salaries -----------------------------------------------------------------------------------------

AIJOBS_HEADER = [
    "work_year",
    "experience_level",
    "employment_type",
    "job_title",
    "salary",
    "salary_currency",
    "salary_in_usd",
    "employee_residence",
    "remote_ratio",
    "company_location",
    "company_size",
]


def aijobs_file(path: Path, *extra: list[str]) -> Path:
    return write(
        path,
        csv_text(
            [
                AIJOBS_HEADER,
                ["2024", "SE", "FT", "Data Scientist", "150000", "USD", "150000", "US", "100", "US", "M"],
                ["2025", "MI", "FT", "Prompt Engineer", "65000", "EUR", "68421", "AT", "0", "AT", "L"],
                ["2024", "XX", "FT", "Unknown Level", "1", "USD", "1", "US", "0", "US", "S"],
                ["2024", "EN", "PT", "No Salary", "", "USD", "", "US", "0", "US", "S"],
                *extra,
            ]
        ),
        gz=True,
    )


def test_import_salaries_stores_reports_in_usd_and_skips_rows_without_a_level_or_salary(tmp_path):
    output = run("import_salaries", aijobs_file(tmp_path / "salaries.csv.gz"))

    assert output.strip() == "reports: 2, skipped: 2"
    reports = set(
        SalaryReport.objects.values_list(
            "year",
            "experience_level",
            "employment_type",
            "title",
            "salary_usd",
            "residence",
            "remote_ratio",
            "company_size",
        )
    )
    assert reports == {
        (2024, "SE", "FT", "Data Scientist", 150000, "US", 100, "M"),
        (2025, "MI", "FT", "Prompt Engineer", 68421, "AT", 0, "L"),
    }


def test_import_salaries_again_replaces_the_earlier_reports_instead_of_adding_to_them(tmp_path):
    path = aijobs_file(tmp_path / "salaries.csv.gz")
    run("import_salaries", path)
    run("import_salaries", path)
    assert SalaryReport.objects.count() == 2

    newer = aijobs_file(
        tmp_path / "newer.csv.gz", ["2025", "EX", "FT", "Head of AI", "300000", "USD", "300000", "US", "0", "US", "L"]
    )
    run("import_salaries", newer)
    assert sorted(SalaryReport.objects.values_list("title", flat=True)) == [
        "Data Scientist",
        "Head of AI",
        "Prompt Engineer",
    ]


def test_import_salaries_on_a_missing_file_is_a_command_error_and_keeps_the_earlier_reports(tmp_path):
    run("import_salaries", aijobs_file(tmp_path / "salaries.csv.gz"))

    with pytest.raises(CommandError, match="does not exist"):
        run("import_salaries", tmp_path / "gone.csv.gz")
    assert SalaryReport.objects.count() == 2


def test_import_salaries_on_a_truncated_gzip_is_a_command_error_and_keeps_the_earlier_reports(tmp_path):
    run("import_salaries", aijobs_file(tmp_path / "salaries.csv.gz"))
    whole = aijobs_file(tmp_path / "whole.csv.gz").read_bytes()
    (tmp_path / "cut.csv.gz").write_bytes(whole[: len(whole) // 2])

    with pytest.raises(CommandError):
        run("import_salaries", tmp_path / "cut.csv.gz")
    assert SalaryReport.objects.count() == 2


# --- the public files in ../shared/data/jobs, read in place ----------------------------------------------------


def needs(relative: str) -> Path:
    path = JOBS / relative
    if not path.exists():
        pytest.skip(f"../shared/data/jobs/{relative} is not here (a fresh clone has no ../shared)")
    return path


def test_public_onet_files_import_every_occupation_with_a_zone_and_twice_adds_nothing():
    folder = needs("onet")
    with (folder / "Occupation_Data.txt").open(encoding="utf-8-sig") as handle:
        published = sum(1 for line in handle if line.strip()) - 1

    run("import_onet", folder)

    assert Occupation.objects.count() == published
    assert Occupation.objects.filter(job_zone__isnull=False).exists()
    assert OccupationTitle.objects.exists() and TechnologySkill.objects.filter(hot=True).exists()
    counts = [m.objects.count() for m in (Occupation, OccupationTitle, Skill, TechnologySkill)]
    run("import_onet", folder)
    assert [m.objects.count() for m in (Occupation, OccupationTitle, Skill, TechnologySkill)] == counts


def test_public_bls_wages_import_ordered_percentiles_per_soc_code():
    path = needs("bls_oews/national_M2023_dl.csv")

    run("import_wages", path)

    wages = list(Wage.objects.all())
    assert len(wages) > 500 and all(re.fullmatch(r"\d\d-\d{4}", w.soc) and w.year == 2023 for w in wages)
    complete = [w for w in wages if None not in (w.p10, w.p25, w.p50, w.p75, w.p90)]
    assert complete and all(w.p10 <= w.p25 <= w.p50 <= w.p75 <= w.p90 for w in complete)


def test_public_esco_and_aijobs_files_import_and_esco_twice_adds_nothing():
    esco, aijobs = needs("esco/skills.csv.gz"), needs("aijobs_salaries/salaries.csv.gz")

    run("import_esco", esco)
    run("import_salaries", aijobs)

    skills = Skill.objects.count()
    assert skills > 1000 and not Skill.objects.filter(name="").exists()
    assert SalaryReport.objects.count() > 1000 and not SalaryReport.objects.filter(salary_usd=0).exists()
    assert run("import_esco", esco).startswith("skills: 0,")
    assert Skill.objects.count() == skills
