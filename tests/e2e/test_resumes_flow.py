"""In Chromium: a candidate uploads a resume, corrects a skill in the profile, opens a recommendation and its salary."""
import re

import pytest
from playwright.sync_api import expect

from resumes.models import ProfileSkill
from tests.e2e.pages import log_in
from tests.factories import UserFactory
from tests.resumes.support import RESUME, import_postings


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
