import pytest

from chatbot.pipeline.triage import Triage, raise_only, triage_rules
from chatbot.services import conversation_start, message_send
from tests.chatbot.messages import EMERGENCY_MESSAGES, ORDINARY_MESSAGES


def test_the_written_emergency_list_is_long_enough():
    assert len(EMERGENCY_MESSAGES) >= 40


@pytest.mark.parametrize("text", EMERGENCY_MESSAGES)
def test_every_written_emergency_is_triaged_emergency(text):
    assert triage_rules(text).level == "emergency", text


@pytest.mark.parametrize("text", ORDINARY_MESSAGES)
def test_ordinary_messages_are_not_emergencies(text):
    assert triage_rules(text).level != "emergency", text


def test_negated_symptoms_do_not_raise_an_alarm():
    assert triage_rules("I have no chest pain and no trouble breathing").level in ("none", "routine")
    assert triage_rules("She is not bleeding heavily and is not unconscious").level == "none"


def test_a_learned_level_may_raise_but_never_lower_the_rule_floor():
    floor = Triage("emergency", ["stroke signs"])
    assert raise_only(floor, "none").level == "emergency"
    assert raise_only(Triage("routine", []), "urgent").level == "urgent"


def test_the_emergency_reply_comes_first_even_when_the_message_asks_for_a_booking(patient, cardiologist):
    conversation = conversation_start(user=patient)
    reply = message_send(user=patient, conversation=conversation, text="I have crushing chest pain, can you book me a cardiologist tomorrow?")
    assert reply.triage_level == "emergency"
    assert reply.text.startswith("This sounds like an emergency")
    assert "Book Dr Heart Lee" in reply.text  # the booking request is still taken up, after the emergency advice
