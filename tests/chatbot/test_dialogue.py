"""Conversations end to end through the service: answers with sources, follow-ups, bookings, warnings, bad input."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from chatbot.models import Appointment, Message
from chatbot.pipeline import phrasing
from chatbot.services import conversation_start, message_send, profile_update
from suite.ml.models import ModelOutput

pytestmark = pytest.mark.django_db


def say(user, conversation, text):
    return message_send(user=user, conversation=conversation, text=text)


@pytest.fixture
def chat(patient, starter_kb):
    return conversation_start(user=patient)


def test_a_question_is_answered_from_the_knowledge_base_with_its_citation(patient, chat):
    reply = say(patient, chat, "What are the side effects of amoxicillin?")
    assert reply.intent == "question"
    assert reply.citations[0]["source_id"] == "starter-amoxicillin-side-effects"
    assert set(reply.citations[0]) == {"title", "url", "source", "source_id", "passage"}
    assert reply.citations[0]["passage"].split(".")[0] in reply.text  # the words come from the cited passage
    assert "not a diagnosis" in reply.text


def test_every_reply_the_patient_sees_is_recorded_with_its_kinds(patient, chat):
    reply = say(patient, chat, "What are the side effects of amoxicillin?")
    kinds = set(ModelOutput.objects.filter(object_id=str(reply.pk)).values_list("kind", flat=True))
    assert kinds == {"chatbot.intent", "chatbot.triage", "chatbot.answer_ranker"}
    assert reply.output.kind == "chatbot.answer_ranker" and len(reply.output.input["options"]) == 2


def test_a_follow_up_is_understood_from_the_conversation(patient, chat):
    say(patient, chat, "What is amoxicillin?")
    reply = say(patient, chat, "What are its side effects?")
    assert reply.citations[0]["source_id"] == "starter-amoxicillin-side-effects"


def test_below_the_threshold_the_assistant_says_it_does_not_know_and_offers_a_person(patient, chat):
    reply = say(patient, chat, "What is the airspeed of an unladen swallow?")
    assert reply.citations == [] and reply.text.startswith("I don't know")
    assert "talk to a person" in reply.text


def test_a_penicillin_allergy_warns_on_amoxicillin(patient, chat):
    profile_update(user=patient, allergies=["Penicillin"])
    reply = say(patient, chat, "What is amoxicillin used for?")
    assert any("allergic to Penicillin" in w and "penicillins" in w for w in reply.warnings)
    assert "Allergy warning" in reply.text


def test_a_known_interaction_with_the_patients_medicines_warns(patient, chat):
    profile_update(user=patient, medications=["warfarin"])
    reply = say(patient, chat, "Can I take ibuprofen for a headache?")
    assert any("Interaction warning" in w and "warfarin" in w for w in reply.warnings)


def test_no_warning_without_an_allergy(patient, chat):
    assert say(patient, chat, "What is amoxicillin used for?").warnings == []


def test_a_configured_chat_model_phrases_from_the_passages_and_citations_stay(patient, chat, monkeypatch):
    # The fake chat model stands in for a hosted LLM, which tests cannot reach.
    fake = FakeListChatModel(responses=["Amoxicillin can upset the stomach or cause a mild rash."])
    monkeypatch.setattr(phrasing, "chat_model", lambda: fake)
    reply = say(patient, chat, "What are the side effects of amoxicillin?")
    assert reply.text.startswith("Amoxicillin can upset the stomach")
    assert reply.citations[0]["source_id"] == "starter-amoxicillin-side-effects"


def test_a_chat_model_that_declines_falls_back_to_the_composed_answer(patient, chat, monkeypatch):
    monkeypatch.setattr(phrasing, "chat_model", lambda: FakeListChatModel(responses=["NOT IN SOURCES"]))
    reply = say(patient, chat, "What are the side effects of amoxicillin?")
    assert reply.text.startswith('According to "Amoxicillin side effects"')


def test_booking_by_conversation_asks_confirmation_before_booking(patient, cardiologist):
    chat = conversation_start(user=patient)
    first = say(patient, chat, "I'd like to book an appointment")
    assert "Who would you like to see?" in first.text
    second = say(patient, chat, "A cardiologist please, next Tuesday afternoon")
    assert "Book Dr Heart Lee (Cardiology) on Tuesday" in second.text and "at 12:00" in second.text
    assert not Appointment.objects.exists()
    booked = say(patient, chat, "yes")
    appointment = Appointment.objects.get()
    assert booked.appointment == appointment and appointment.patient == patient
    assert timezone.localtime(appointment.start).weekday() == 1 and timezone.localtime(appointment.start).hour == 12


def test_saying_no_books_nothing(patient, cardiologist):
    chat = conversation_start(user=patient)
    say(patient, chat, "Book a cardiologist tomorrow at 10am")
    assert "Please answer yes or no" in Message.objects.filter(role="assistant").last().text
    reply = say(patient, chat, "no")
    assert "not changed anything" in reply.text and not Appointment.objects.exists()


def test_a_date_in_the_past_gets_a_clear_reply_and_no_booking(patient, cardiologist):
    chat = conversation_start(user=patient)
    reply = say(patient, chat, "Book a cardiologist on 1 March 2020")
    assert "is in the past" in reply.text and not Appointment.objects.exists()


def test_cancelling_and_rescheduling_by_conversation(patient, cardiologist):
    chat = conversation_start(user=patient)
    say(patient, chat, "Book Dr Heart Lee tomorrow at 10:00")
    say(patient, chat, "yes")
    appointment = Appointment.objects.get(status="booked")
    moved = say(patient, chat, "Can I reschedule my appointment to the day after tomorrow at 14:00?")
    assert "Move your appointment to Dr Heart Lee" in moved.text
    say(patient, chat, "yes")
    appointment.refresh_from_db()
    new = Appointment.objects.get(status="booked")
    assert appointment.status == "cancelled" and timezone.localtime(new.start).hour == 14
    assert timezone.localtime(new.start).date() == timezone.localdate() + timedelta(days=2)
    ask = say(patient, chat, "Please cancel my appointment")
    assert ask.text.startswith("Cancel your appointment with Dr Heart Lee")
    say(patient, chat, "yes")
    assert not Appointment.objects.filter(status="booked").exists()
    assert "no upcoming appointments" in say(patient, chat, "cancel my appointment").text


def test_a_slot_taken_between_proposal_and_confirmation_is_refused_clearly(patient, cardiologist, user_factory):
    chat = conversation_start(user=patient)
    proposal = say(patient, chat, "Book Dr Heart Lee tomorrow at 10:00")
    assert "at 10:00" in proposal.text
    from chatbot.services import appointment_book

    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1)
    appointment_book(patient=user_factory(role="patient"), provider=cardiologist, start=start)
    reply = say(patient, chat, "yes")
    assert "was just booked by someone else" in reply.text and "Nothing was changed" in reply.text
    assert not Appointment.objects.filter(patient=patient).exists()


@pytest.mark.parametrize("text, problem", [("   ", "Write a message first."), ("x" * 2001, "limited to 2000 characters")])
def test_empty_and_oversized_messages_are_refused_and_nothing_is_written(patient, text, problem):
    chat = conversation_start(user=patient)
    with pytest.raises(ValidationError, match=problem):
        say(patient, chat, text)
    assert not Message.objects.exists()


def test_asking_for_a_person_puts_the_conversation_in_the_staff_inbox(patient, chat):
    reply = say(patient, chat, "Can I talk to a real person please?")
    chat.refresh_from_db()
    assert reply.intent == "handoff" and chat.needs_person
