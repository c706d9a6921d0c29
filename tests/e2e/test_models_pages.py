"""A staff member starts a training run from the model pages and watches it finish, in a real browser with a real worker."""
import re

import pytest
from playwright.sync_api import expect

from suite.ml import services
from suite.ml.models import DatasetSnapshot, TrainingRun
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
    expect(page.locator("#run-gate")).to_contain_text(run.gate["against"])
    expect(page.locator("#gate-interval")).to_contain_text(f'{run.gate["interval"]["low"]:.4f}')
    expect(page.locator("#gate-golden")).to_contain_text(f'{run.gate["golden"]["tolerance"]:.4f}')
    expect(page.locator("#run-phases .phase.done")).to_have_count(len(run.phases))
    expect(page.locator("#run-error")).to_be_hidden()
    expect(page.locator("#run-results")).to_contain_text(run.gate["metric"])
    expect(page.locator("#run-restart")).to_be_visible()
    expect(page.locator("#run-cancel")).to_be_hidden()


def test_staff_freeze_a_snapshot_on_the_kind_page_see_its_splits_and_labels_and_train_from_it(page, live_server, celery_worker):
    from annotation.services import items_import

    items_import(
        kind=KIND, accepted=True,
        items=[{"input": e["input"], "group": e["group"], "result": e["target"]} for e in sentiment_examples()],
    )
    UserFactory(username="sam", is_staff=True)
    log_in(page, "sam")

    page.goto(f"/models/{KIND}/")
    expect(page.locator("#accepted-count")).to_have_text("160")
    expect(page.locator("#snapshots tbody tr")).to_have_count(0)
    page.get_by_role("button", name="Freeze a snapshot").click()

    snapshot = DatasetSnapshot.objects.get(kind=KIND)
    expect(page.get_by_text(f"Snapshot #{snapshot.pk} of {KIND}: {snapshot.size} examples")).to_be_visible()
    row = page.locator(f'#snapshots tr[data-snapshot="{snapshot.pk}"]')
    counts = snapshot.split_counts
    expect(row).to_contain_text(f'{counts["train"]} / {counts["validation"]} / {counts["test"]}')
    expect(row.locator(".label-bars li")).to_have_count(2)
    expect(row).to_contain_text(f'positive')
    expect(row).to_contain_text(f'{snapshot.label_counts["negative"]} (')

    row.get_by_role("button", name=f"Train on #{snapshot.pk}").click()

    expect(page).to_have_url(re.compile(r"/models/runs/\d+/$"))
    run = TrainingRun.objects.get()
    assert run.snapshot_id == snapshot.pk
    expect(page.locator(".meta")).to_contain_text(f"snapshot #{snapshot.pk}")
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=180_000)
    expect(page.locator("#gate-interval")).to_be_visible()


def test_freezing_a_kind_with_no_accepted_answers_says_so_and_writes_nothing(page, live_server):
    UserFactory(username="sam", is_staff=True)
    log_in(page, "sam")

    page.goto(f"/models/{KIND}/")
    page.get_by_role("button", name="Freeze a snapshot").click()

    expect(page.get_by_role("alert")).to_contain_text("has no accepted examples")
    assert not DatasetSnapshot.objects.exists()
