import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chatbot.models import Conversation

pytestmark = pytest.mark.django_db


def test_chat_json_prints_one_object_with_the_documented_keys(patient):
    out = StringIO()
    call_command("chat", "--user", patient.username, "--json", "What is metformin?", stdout=out)
    body = json.loads(out.getvalue())
    assert set(body) >= {"conversation", "reply", "intent", "triage", "citations", "appointment", "model_versions"}
    assert body["citations"][0]["source_id"] == "starter-metformin" and body["appointment"] is None
    assert body["model_versions"]["chatbot.intent"] == "default"


def test_chat_continues_a_conversation(patient):
    out = StringIO()
    call_command("chat", "--user", patient.username, "--json", "What is amoxicillin?", stdout=out)
    conversation = json.loads(out.getvalue())["conversation"]
    out = StringIO()
    call_command("chat", "--user", patient.username, "--conversation", str(conversation), "--json", "What are its side effects?", stdout=out)
    assert json.loads(out.getvalue())["citations"][0]["source_id"] == "starter-amoxicillin-side-effects"


def test_chat_batch_starts_a_conversation_per_line(patient, tmp_path):
    batch = tmp_path / "first.txt"
    batch.write_text("What is metformin?\nMy baby has a temperature of 39 degrees\n\n")
    out = StringIO()
    call_command("chat", "--user", patient.username, "--json", "--batch", str(batch), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 2 and rows[1]["triage"]["level"] == "emergency"
    assert Conversation.objects.filter(owner=patient).count() == 2


def test_chat_refuses_an_unknown_user_and_someone_elses_conversation(patient, user_factory):
    with pytest.raises(CommandError, match="No user 'ghost'"):
        call_command("chat", "--user", "ghost", "hi", stdout=StringIO())
    theirs = Conversation.objects.create(owner=user_factory(role="patient"), title="x")
    with pytest.raises(CommandError, match="has no conversation"):
        call_command("chat", "--user", patient.username, "--conversation", str(theirs.pk), "hi", stdout=StringIO())
