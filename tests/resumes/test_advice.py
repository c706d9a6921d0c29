"""Advice follows the profile: an occupation with BLS wages for every profile, a seniority floor, next steps always,
and recommendations that change at once after an edit or a "not relevant"."""

import pytest

from resumes.models import JobPosting, Occupation, OccupationTitle, Recommendation, Skill, TechnologySkill, Wage
from resumes.pipeline.skills import normalize
from resumes.selectors import career_paths, occupation_for_profile, occupation_for_title, salary_guidance
from resumes.services import match_feedback_record, profile_update, resume_parse, resume_upload
from tests.factories import UserFactory
from tests.resumes.support import import_postings, uploaded

PM_RESUME = """Natalie Voss, PMP, MBA
Senior Project Manager
Denver, CO | natalie.voss@example.net | +1 720-555-0148

PROFESSIONAL EXPERIENCE
Senior Project Manager, Front Range Builders
March 2014 - Present
- Ran a $40M hospital expansion; risk management and budgeting for 4 contractors
Project Manager, Summit Energy
06/2010 - 02/2014
- Delivered 9 solar farms with Microsoft Project and Jira

EDUCATION
MBA, University of Denver, 2010

SKILLS
Project management, risk management, budgeting, stakeholder management, Jira, Scrum
"""
PM_POSTINGS = [
    {
        "id": "p1",
        "title": "Senior Project Manager",
        "employer": "City Capital Projects",
        "location": "Denver, CO",
        "description": "Lead capital construction projects: project management, risk management, budgeting, Jira.",
    },
    {
        "id": "p2",
        "title": "Project Manager",
        "employer": "Parks Department",
        "location": "Denver, CO",
        "description": "Project management of park renovations, budgeting and stakeholder management.",
    },
    {
        "id": "p3",
        "title": "Project Coordinator Level 1",
        "employer": "Housing Authority",
        "location": "Denver, CO",
        "description": "Entry level project support: project management paperwork, budgeting, Jira tickets.",
    },
    {
        "id": "p4",
        "title": "Program Director",
        "employer": "Transit Agency",
        "location": "Denver, CO",
        "description": "Direct a portfolio of transit programs; risk management, budgeting, stakeholder management.",
    },
    {
        "id": "p5",
        "title": "Senior Data Analyst",
        "employer": "Health Department",
        "location": "Boulder, CO",
        "description": "Analyse health data with Python, SQL and Tableau.",
    },
    {
        "id": "p6",
        "title": "Registered Nurse",
        "employer": "City Hospital",
        "location": "Denver, CO",
        "description": "Patient care and nursing on a medical ward.",
    },
]


@pytest.fixture
def onet(db):
    def occupation(code, title, zone, alternates=(), tech=()):
        row = Occupation.objects.create(code=code, title=title, job_zone=zone)
        for alt in alternates:
            OccupationTitle.objects.create(occupation=row, title=alt, normalized=normalize(alt))
        for name in tech:
            skill, _ = Skill.objects.get_or_create(
                normalized=normalize(name), defaults={"name": name, "kind": "tech", "source": "onet"}
            )
            TechnologySkill.objects.create(occupation=row, skill=skill)
        return row

    pm = occupation(
        "13-1082.00",
        "Project Management Specialists",
        4,
        ["Project Manager", "IT Project Manager"],
        ["Microsoft Project", "Jira", "Smartsheet"],
    )
    occupation("11-1021.00", "General and Operations Managers", 4, ["Operations Manager"], ["SAP", "Microsoft Project"])
    occupation("11-1011.00", "Chief Executives", 5, ["CEO"], ["Salesforce", "Tableau"])
    occupation(
        "11-9021.00", "Construction Managers", 4, ["Construction Project Manager"], ["Procore", "Microsoft Project"]
    )
    occupation("15-2051.00", "Data Scientists", 5, ["Data Scientist"], ["Python", "Tableau"])
    occupation("29-1141.00", "Registered Nurses", 3, ["Staff Nurse"], ["Epic"])
    Wage.objects.create(
        soc="13-1082",
        title="Project Management Specialists",
        year=2023,
        p10=57000,
        p25=73000,
        p50=98580,
        p75=126000,
        p90=159000,
        mean=104000,
        employment=800000,
    )
    Wage.objects.create(soc="15-2051", title="Data Scientists", year=2023, p50=108020)
    return pm


def test_a_title_maps_exactly_then_by_alternate_title_then_without_rank_words_then_by_meaning(onet):
    assert occupation_for_title("Project Management Specialists") == onet
    assert occupation_for_title("IT Project Manager") == onet
    assert occupation_for_title("Senior Project Manager") == onet  # "Senior" is a rank, not an occupation
    assert occupation_for_title("Quantum Basket Weaver") is not None  # nearest by meaning: never no occupation


def test_a_profile_without_any_title_still_gets_an_occupation_with_bls_wages(onet):
    occupation = occupation_for_profile(
        {
            "experience": [],
            "skills": [{"name": "Python", "normalized": "python"}],
            "education": [{"degree": "M.S. in Statistics"}],
        }
    )
    assert occupation is not None
    guidance = salary_guidance(
        title="Senior Project Manager", occupation=occupation_for_title("Senior Project Manager")
    )
    assert guidance["bls"] is not None and guidance["occupation"]["code"] == "13-1082.00"


def test_career_paths_always_show_next_steps_with_skills_to_gain(onet):
    paths = career_paths(occupation=onet, skills={"jira"})
    assert paths and all(p["job_zone"] >= onet.job_zone for p in paths)
    assert any(p["skills_to_gain"] for p in paths)
    top = Occupation.objects.get(code="11-1011.00")  # the highest zone still has somewhere to go
    assert career_paths(occupation=top, skills=set())


@pytest.fixture
def pm_resume(onet, tmp_path):
    import_postings(tmp_path, PM_POSTINGS)
    owner = UserFactory(role="candidate")
    resume = resume_parse(
        resume_id=resume_upload(user=owner, file=uploaded("voss.txt", PM_RESUME.encode()), enqueue=False).pk
    )
    assert resume.status == "done", resume.failure_reason
    return resume


def titles(resume):
    return [r.job.title for r in Recommendation.objects.filter(resume=resume).select_related("job")]


def test_a_twelve_year_project_manager_gets_her_occupation_and_is_not_offered_level_1_roles(pm_resume):
    profile = pm_resume.profile
    assert profile.current_title == "Senior Project Manager" and profile.total_experience_months >= 144
    assert profile.occupation.code == "13-1082.00"
    shown = titles(pm_resume)
    assert "Project Coordinator Level 1" not in shown
    assert shown[0] in ("Senior Project Manager", "Project Manager", "Program Director")


def test_not_relevant_removes_the_job_at_once_and_similar_jobs_drop(pm_resume):
    job = JobPosting.objects.get(title="Senior Project Manager")
    similar, unlike = JobPosting.objects.get(title="Project Manager"), JobPosting.objects.get(title="Registered Nurse")
    score = lambda posting: Recommendation.objects.get(resume=pm_resume, job=posting).score  # noqa: E731
    similar_before, unlike_before = score(similar), score(unlike)
    match_feedback_record(resume=pm_resume, job=job, user=pm_resume.owner, rating=1)
    assert job.title not in titles(pm_resume)
    assert score(similar) < similar_before - 0.01  # like the rejected job: it drops
    assert score(unlike) == pytest.approx(unlike_before, abs=1e-6)  # unlike it: untouched


def test_editing_the_current_title_changes_occupation_and_recommendations_at_once(pm_resume):
    before = titles(pm_resume)
    profile_update(
        resume=pm_resume,
        user=pm_resume.owner,
        data={"current_title": "Data Scientist", "skills": ["Python", "SQL", "Tableau", "statistics"]},
    )
    pm_resume.profile.refresh_from_db()
    assert pm_resume.profile.occupation.code == "15-2051.00"
    after = titles(pm_resume)
    assert after != before and after[0] == "Senior Data Analyst"


def test_a_posting_retyped_at_the_same_employer_is_shown_once_but_the_same_title_elsewhere_stays(onet, tmp_path):
    import_postings(
        tmp_path,
        [
            *PM_POSTINGS,
            # the same opening posted again with its title and employer retyped: one row for the candidate
            {
                "id": "p1-copy",
                "title": "Senior Project Managers",
                "employer": "CITY CAPITAL PROJECTS",
                "location": "Denver, CO",
                "description": "Lead capital construction projects: project management, risk management, budgeting, Jira.",
            },
            # the same title at another employer is another opening
            {
                "id": "p8",
                "title": "Senior Project Manager",
                "employer": "Mountain Water District",
                "location": "Denver, CO",
                "description": "Lead water infrastructure projects: project management, risk management, budgeting, Jira.",
            },
        ],
    )
    owner = UserFactory(role="candidate")
    resume = resume_parse(
        resume_id=resume_upload(user=owner, file=uploaded("voss.txt", PM_RESUME.encode()), enqueue=False).pk
    )
    shown = [(r.job.title, r.job.employer) for r in Recommendation.objects.filter(resume=resume).select_related("job")]
    capital = [pair for pair in shown if pair[1].lower() == "city capital projects"]
    assert len(capital) == 1, shown
    assert ("Senior Project Manager", "Mountain Water District") in shown
