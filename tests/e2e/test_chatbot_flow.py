"""The health assistant as a patient uses it, in Debian's Chromium driven by Playwright."""
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from chatbot.models import Appointment, Message, PatientProfile
from chatbot.services import conversation_start, starter_kb_load
from tests.e2e.pages import log_in
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.e2e


def send(page, text):
    before = page.locator("#chat-log li.msg-assistant").count()
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#chat-log li.msg-assistant")).to_have_count(before + 1, timeout=30_000)  # shared, loaded cores
    return page.locator("#chat-log li.msg-assistant").last


def test_ask_see_the_cited_answer_book_by_chatting_and_rate_a_reply(page, transactional_db):
    starter_kb_load()
    ProviderFactory(name="Dr Heart Lee", specialty="Cardiology")
    patient = UserFactory(role="patient")
    conversation = conversation_start(user=patient)
    log_in(page, patient.username)
    page.goto(f"/health/conversations/{conversation.pk}/")

    answer = send(page, "What are the side effects of amoxicillin?")
    expect(answer.locator(".msg-text")).to_contain_text("diarrhoea")
    expect(answer.get_by_role("link", name="Amoxicillin side effects")).to_be_visible()
    url_before = page.url

    expect(send(page, "Book a cardiologist tomorrow at 10:00").locator(".msg-text")).to_contain_text("Please answer yes or no")
    expect(send(page, "yes").locator(".msg-text")).to_contain_text("Booked: Dr Heart Lee")
    assert page.url == url_before  # no reload
    assert Appointment.objects.filter(patient=patient, status="booked").count() == 1

    answer.get_by_role("button", name="Not helpful").click()
    expect(answer.get_by_text("Thanks for your feedback.")).to_be_visible()
    assert Message.objects.get(pk=int(answer.get_attribute("data-id"))).feedback == "down"

    page.goto("/health/appointments/")
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()


def test_a_question_from_the_start_page_is_answered_and_enter_sends_a_question_that_brings_a_warning(page, transactional_db):
    starter_kb_load()
    patient = UserFactory(role="patient")
    PatientProfile.objects.create(owner=patient, medications=["lisinopril"], conditions=["high blood pressure"])
    log_in(page, patient.username)
    page.goto("/health/")
    expect(page.locator("#main-nav a[data-area=api]")).to_have_count(0)  # the API link is for staff
    page.get_by_label("Your question").fill("What are the side effects of amoxicillin?")
    page.get_by_role("button", name="Ask").click()
    first = page.locator("#chat-log li.msg-assistant").first
    expect(first.get_by_role("link", name="Amoxicillin side effects")).to_be_visible(timeout=30_000)
    expect(page.locator("#chat-log li.msg-patient").first).to_contain_text("side effects of amoxicillin")

    page.get_by_label("Your message").fill("Can I take ibuprofen for my back?")
    page.get_by_label("Your message").press("Enter")
    expect(page.locator("#chat-log li.msg-assistant")).to_have_count(2, timeout=30_000)
    warned = page.locator("#chat-log li.msg-assistant").last
    banner = warned.locator(".warning-banner").first
    expect(banner).to_contain_text("lisinopril with ibuprofen")
    expect(banner).to_have_attribute("role", "alert")
    expect(warned.locator(".msg-text")).not_to_contain_text("Interaction warning")  # shown once, as the banner
    page.screenshot(path=str(Path(settings.VAR_DIR) / "chat-warning-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(banner).to_be_visible()
    page.screenshot(path=str(Path(settings.VAR_DIR) / "chat-warning-390.png"), full_page=True)
