"""The health assistant as a patient uses it, in Debian's Chromium driven by Playwright."""
import pytest
from playwright.sync_api import expect

from chatbot.models import Appointment, Message
from chatbot.services import conversation_start, starter_kb_load
from tests.e2e.pages import log_in
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.e2e


def send(page, text):
    before = page.locator("#chat-log li.msg-assistant").count()
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#chat-log li.msg-assistant")).to_have_count(before + 1)
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
