"""A staff member starts a training run from the model pages and watches it finish, in a real browser with a real worker."""
import re

import pytest
from playwright.sync_api import expect

from suite.ml import services
from suite.ml.models import TrainingRun
from tests.e2e.pages import log_in
from tests.factories import UserFactory
from tests.testkinds.kinds import sentiment_examples

pytestmark = pytest.mark.e2e
KIND = "tests.sentiment"


def test_staff_start_a_run_and_watch_it_reach_100_percent_without_reloading(page, live_server, celery_worker):
    services.snapshot_create(kind=KIND, examples=sentiment_examples(), origin="synthetic reviews")
    UserFactory(username="sam", is_staff=True)
    log_in(page, "sam")

    page.goto("/models/")
    page.get_by_role("link", name=KIND).click()
    expect(page.get_by_role("heading", name=KIND)).to_be_visible()
    page.get_by_label("Strategy").select_option("feature")
    expect(page.get_by_label("Head learning rate")).to_have_attribute("placeholder", "0.01")  # the strategy's default
    page.get_by_label("Epochs").fill("3")
    page.get_by_role("button", name="Start run").click()

    expect(page).to_have_url(re.compile(r"/models/runs/\d+/$"))
    assert page.locator("#run").get_attribute("data-active") == "true"  # so what follows is the poller's work
    page.evaluate("window.loadedOnce = true")
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=180_000)
    expect(page.locator("#run-percent")).to_have_text("100%")
    expect(page.locator("#run-progress")).to_have_js_property("value", 100)
    assert page.evaluate("window.loadedOnce") is True  # the page was never reloaded

    run = TrainingRun.objects.get()
    assert run.status == "succeeded" and len(run.epochs) == 3
    expect(page.locator("#plot-loss circle.point")).to_have_count(3)
    expect(page.locator("#plot-metric circle.point")).to_have_count(3)
    expect(page.locator("#run-epochs tbody tr")).to_have_count(3)
    expect(page.locator("#run-gate")).to_contain_text(run.gate["why"])
    expect(page.locator("#run-results")).to_contain_text(run.gate["metric"])
    expect(page.locator("#run-restart")).to_be_visible()
    expect(page.locator("#run-cancel")).to_be_hidden()
