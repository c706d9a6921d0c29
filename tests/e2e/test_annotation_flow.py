"""Annotating and reviewing as people do it, in Debian's Chromium driven by Playwright."""
import re

import pytest
from playwright.sync_api import expect

from annotation import services
from annotation.models import Annotation, AnnotationTask
from suite.ml import services as ml_services
from tests.e2e.pages import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e
SENTENCE = "I know python and sql"


def flagged(kind, input, output, score=None) -> AnnotationTask:
    owner = UserFactory(role="candidate")
    recorded = ml_services.model_output_record(kind=kind, input=input, output=output, score=score, owner=owner)
    return services.flag_create(output=recorded, user=owner, reason="wrong").task


def open_next(page, kind):
    """Start annotating `kind` from the queue page and wait until the screen's keys work."""
    page.goto("/annotation/")
    page.get_by_role("button", name=f"Start annotating {kind}").click()
    expect(page.locator("#annotate")).to_have_attribute("data-ready", "true")


def drag_over(page, word):
    """Select `word` in the annotate screen's text by dragging the mouse across its characters."""
    box = page.evaluate(
        """(word) => {
            const root = document.getElementById("span-text");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(word);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + word.length);
                const rects = range.getClientRects(), first = rects[0], last = rects[rects.length - 1];
                return {left: first.left, right: last.right, y: (first.top + first.bottom) / 2};
            }
            return null;
        }""",
        word,
    )
    assert box, f"{word!r} is not in the text"
    page.mouse.move(box["left"] + 1, box["y"])
    page.mouse.down()
    page.mouse.move(box["right"] - 1, box["y"], steps=8)
    page.mouse.up()
    assert page.evaluate("window.getSelection().toString()") == word


def test_an_annotator_labels_a_span_with_the_mouse_and_a_key_and_a_reviewer_accepts_it(page, browser, live_server):
    task = flagged("tests.skills", SENTENCE, {"spans": []})
    UserFactory(username="ada", role="annotator")
    UserFactory(username="rita", role="reviewer")

    log_in(page, "ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Annotation").click()
    expect(page.get_by_role("heading", name="Annotation")).to_be_visible()
    open_next(page, "tests.skills")
    expect(page).to_have_url(re.compile(rf"/annotation/tasks/{task.pk}/$"))
    expect(page.locator("#span-empty")).to_be_visible()

    drag_over(page, "python")
    page.keyboard.press("1")

    expect(page.locator("#span-text mark")).to_have_text("python")
    expect(page.locator("#span-list li")).to_have_count(1)
    expect(page.locator("#span-list li")).to_contain_text("“python” SKILL")
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/annotation/$"))
    expect(page.locator(".messages")).to_contain_text("No tests.skills items are waiting for you")

    reviewer = browser.new_context(base_url=live_server.url)
    review = reviewer.new_page()
    try:
        log_in(review, "rita")
        review.goto("/annotation/review/")
        card = review.locator(f"#task-{task.pk}")
        expect(card.locator("mark")).to_have_text("python")
        card.get_by_role("button", name=f"Accept ada's answer to item {task.pk}").click()
        expect(review.locator(".messages")).to_contain_text(f"Accepted ada's answer to item #{task.pk}")
    finally:
        reviewer.close()

    task.refresh_from_db()
    accepted = Annotation.objects.get(task=task, status=Annotation.Status.ACCEPTED)
    assert task.status == AnnotationTask.Status.ACCEPTED
    assert accepted.result == [[7, 13, "SKILL"]] and SENTENCE[7:13] == "python"
    assert accepted.annotator.username == "ada" and accepted.reviewer.username == "rita"
    assert accepted.seconds_spent is not None


def test_an_annotator_classifies_by_keyboard_alone(page):
    # The untrained default knows only a few words, so it calls this review positive.
    task = flagged("tests.sentiment", "the film was grim", {"label": "positive", "score": 0.5, "scores": {}}, score=0.5)
    UserFactory(username="kai", role="annotator")
    log_in(page, "kai")
    open_next(page, "tests.sentiment")
    expect(page.get_by_role("button", name="1 positive")).to_have_attribute("aria-pressed", "true")  # the suggestion
    page.wait_for_timeout(300)  # reading the review

    page.keyboard.press("2")
    expect(page.get_by_role("button", name="2 negative")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="1 positive")).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/annotation/$"))
    annotation = Annotation.objects.get(task=task)
    assert (annotation.result, annotation.changed) == ("negative", True)
    assert annotation.seconds_spent >= 0.3  # measured in the page


def test_a_correction_shows_a_live_word_diff_and_submits_with_ctrl_enter(page):
    task = flagged("tests.copy", "copy this sentence", {"text": "copy that sentence"})
    UserFactory(username="cyd", role="annotator")
    log_in(page, "cyd")
    open_next(page, "tests.copy")
    expect(page.locator("#diff")).to_contain_text("No changes from the suggestion.")

    page.keyboard.press("e")
    editor = page.get_by_label("Corrected output")
    expect(editor).to_be_focused()
    editor.fill("copy this sentence")
    expect(page.locator("#diff del")).to_have_text("that")
    expect(page.locator("#diff ins")).to_have_text("this")
    page.keyboard.press("Control+Enter")

    expect(page).to_have_url(re.compile(r"/annotation/$"))
    assert Annotation.objects.get(task=task).result == "copy this sentence"


def test_accepting_the_suggestion_takes_one_key(page):
    task = flagged("tests.sentiment", "the meal was awful", {"label": "negative", "score": 0.5, "scores": {}}, score=0.5)
    UserFactory(username="ola", role="annotator")
    log_in(page, "ola")
    open_next(page, "tests.sentiment")
    expect(page.locator("#suggestion-text")).to_have_text("negative")

    page.keyboard.press("a")

    expect(page).to_have_url(re.compile(r"/annotation/$"))
    annotation = Annotation.objects.get(task=task)
    assert (annotation.result, annotation.changed) == ("negative", False)


def screenshot(page, name):
    """Screenshots for people to look at, when E2E_SCREENSHOTS names a folder."""
    import os

    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


GOVERNING = "This Agreement shall be governed by and construed in accordance with the laws of the State of New York."


@pytest.mark.parametrize("width", [1280, 390])
def test_an_annotator_sees_the_disputed_key_term_with_the_users_reason(page, width):
    lawyer = UserFactory(role="patient")
    output = ml_services.model_output_record(
        kind="summarizer.clauses", input=GOVERNING, output={"labels": ["Notice Period to Terminate Renewal"], "scores": {}},
        score=0.41, owner=lawyer,
    )
    services.flag_create(output=output, user=lawyer, reason="wrong", comment="This is the governing law clause, not a notice period",
                         correction=["Governing Law"])
    UserFactory(username="ada", role="annotator")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ada")

    open_next(page, "summarizer.clauses")

    dispute = page.locator("#dispute")
    expect(dispute).to_be_visible()
    expect(dispute.locator(".tag.reason")).to_have_text(re.compile("wrong", re.I))
    expect(dispute.locator(".flag-comment")).to_have_text("This is the governing law clause, not a notice period")
    expect(dispute.locator(".proposed")).to_contain_text("Governing Law")
    expect(dispute.locator(".disputed mark")).to_have_text("Notice Period to Terminate Renewal")
    expect(dispute).to_contain_text("confidence 0.41")
    expect(page.locator("mark.disputed-passage")).to_have_text(GOVERNING)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off a phone's screen
    screenshot(page, f"key-term-dispute-{width}")
