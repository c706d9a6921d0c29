"""Sign-up and login as a person does them, in Debian's Chromium driven by Playwright."""
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e
User = get_user_model()
GOOD = "a-long-unusual-passphrase"


def fill_signup(page, *, username, role, password=GOOD, again=None):
    page.goto("/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_role("radio", name=role, exact=True).check()
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(again if again is not None else password)
    page.get_by_role("button", name="Create account").click()


def test_a_candidate_signs_up_lands_home_and_sees_the_candidate_navigation(page, live_server):
    fill_signup(page, username="grace", role="Job candidate")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Welcome, grace")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Careers")).to_be_visible()
    for other in ("Documents", "Health assistant", "Annotation", "Models", "Operations"):
        expect(nav.get_by_role("link", name=other)).to_have_count(0)
    expect(page.locator(".who")).to_contain_text("Job candidate")
    assert list(User.objects.get(username="grace").groups.values_list("name", flat=True)) == ["candidate"]


def test_a_weak_password_is_shown_on_the_form_and_no_account_is_made(page):
    fill_signup(page, username="weakling", role="Patient", password="short1")

    expect(page.locator("#field-password1 .errors")).to_contain_text("too short")
    expect(page.get_by_label("Username")).to_have_value("weakling")
    assert not User.objects.filter(username="weakling").exists()


def test_a_taken_user_name_is_shown_on_the_form(page):
    UserFactory(username="taken")

    fill_signup(page, username="taken", role="Lawyer")

    expect(page.locator("#field-username .errors")).to_contain_text("already exists")
    assert User.objects.filter(username="taken").count() == 1


def test_wrong_credentials_then_right_ones_then_logout(page, live_server):
    UserFactory(username="ruth", role="researcher")

    page.goto("/login/")
    page.get_by_label("Username").fill("ruth")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Documents")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_an_anonymous_visitor_is_sent_to_login_and_back(page, live_server):
    UserFactory(username="pat", role="patient")

    page.goto("/health/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/health/$"))
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/health/")
    expect(page.get_by_role("heading", name="Health assistant")).to_be_visible()


def test_the_layout_loads_its_stylesheet_from_this_server(page, live_server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto("/login/")

    assert any(url.endswith("/static/suite/app.css") for url in requests)
    assert all(url.startswith(live_server.url) for url in requests), requests
    color = page.evaluate("getComputedStyle(document.querySelector('.brand')).color")
    assert color == "rgb(29, 111, 165)"
