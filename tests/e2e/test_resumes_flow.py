"""In Chromium: a candidate uploads a resume, corrects a skill in the profile, opens a recommendation and its salary."""
import re

import pytest
from playwright.sync_api import expect

from resumes.models import ProfileSkill
from tests.e2e.pages import log_in
from tests.factories import UserFactory
from tests.resumes.support import RESUME, import_postings

pytestmark = pytest.mark.e2e


def test_upload_correct_a_skill_and_open_a_recommendation_with_its_salary(page, celery_worker, tmp_path):
    import_postings(tmp_path)
    candidate = UserFactory(role="candidate")
    log_in(page, candidate.username)
    page.goto("/careers/")
    path = tmp_path / "jane.txt"
    path.write_text(RESUME)
    page.get_by_label("Resume (PDF, DOCX or TXT)").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("#resume-status")).to_have_text(re.compile("Status: done"), timeout=60_000)
    skills = page.get_by_label("Skills", exact=True)
    expect(skills).to_have_value(re.compile("Excel"))
    skills.fill("Python\nSQL\nTableau\ncommunication\ndashboards")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved")).to_be_visible()
    assert sorted(ProfileSkill.objects.values_list("normalized", flat=True)) == ["communication", "dashboards", "python", "sql", "tableau"]

    page.locator("#recommendations").get_by_role("link", name="Data Analyst", exact=True).click()
    expect(page.get_by_role("heading", name="Data Analyst")).to_be_visible()
    expect(page.locator("#posted-salary")).to_contain_text("$70,000 – $90,000 a year")
    expect(page.get_by_text(re.compile("^Why:"))).to_be_visible()


def test_a_project_manager_uploads_a_two_column_pdf_sees_her_profile_judges_a_job_and_it_fits_a_phone(page, celery_worker, tmp_path):
    from resumes.models import Recommendation
    from tests.resumes.support import two_column_pdf
    from tests.resumes.test_advice import PM_POSTINGS
    from tests.resumes.test_profile import MAIN, SIDEBAR

    import_postings(tmp_path, PM_POSTINGS)
    page.set_default_timeout(60_000)  # judging re-ranks in the request; the shared test machine can be slow
    candidate = UserFactory(role="candidate")
    log_in(page, candidate.username)
    page.goto("/careers/")
    path = tmp_path / "voss.pdf"
    path.write_bytes(two_column_pdf(SIDEBAR, MAIN))
    page.get_by_label("Resume (PDF, DOCX or TXT)").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("#resume-status")).to_have_text(re.compile("Status: done"), timeout=60_000)
    expect(page.get_by_label("Name", exact=True)).to_have_value("Natalie Voss")
    expect(page.locator("#current-title")).to_have_text("Senior Project Manager")
    expect(page.locator("#total-experience")).to_contain_text("years")
    expect(page.locator("#education")).to_contain_text("MBA, University of Denver (2013)")
    expect(page.locator("#certifications")).to_contain_text("PRINCE2 Practitioner")
    recommendations = page.locator("#recommendations")
    expect(recommendations).not_to_contain_text("Level 1")
    first = Recommendation.objects.filter(resume__owner=candidate).order_by("rank").select_related("job").first().job.title
    recommendations.get_by_role("row").filter(has_text=first).first.get_by_role("button", name="Not relevant").click()
    expect(page.get_by_text("is not relevant to you")).to_be_visible()
    expect(recommendations.get_by_role("link", name=first, exact=True)).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone"
    expect(page.get_by_role("button", name="Save profile")).to_be_visible()
