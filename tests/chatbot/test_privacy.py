"""Health data in the staff inbox is masked and each original shown is audited; deleting a conversation deletes
everything derived from it."""
import pytest

from annotation.models import AnnotationTask, AuditEntry, Flag
from annotation.privacy import UNMASKED_VIEW
from chatbot.models import Conversation, Message
from chatbot.services import conversation_delete, conversation_start, handoff_request, message_send, reply_feedback
from suite.ml.models import ModelOutput
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db
SECRET = "Hi, my name is Margaret Oyelaran and my social security number is 123-45-6789, I need help"


def _handed_off(patient):
    conversation = conversation_start(user=patient)
    message_send(user=patient, conversation=conversation, text=SECRET)
    handoff_request(user=patient, conversation=conversation)
    return conversation


def test_the_inbox_api_masks_titles_and_previews_and_audits_each_original_shown(patient, staff):
    conversation = _handed_off(patient)
    client = api_client_for(staff)
    row = next(r for r in client.get("/api/chatbot/inbox/").json()["results"] if r["id"] == conversation.pk)
    assert "123-45-6789" not in row["title"] + row["preview"] and "Oyelaran" not in row["title"] + row["preview"]
    assert not AuditEntry.objects.filter(action=UNMASKED_VIEW).exists()
    row = next(r for r in client.get("/api/chatbot/inbox/?unmask=1").json()["results"] if r["id"] == conversation.pk)
    assert "123-45-6789" in row["preview"]
    assert AuditEntry.objects.filter(action=UNMASKED_VIEW, user=staff, detail__contains=f"conversation {conversation.pk}").count() == 1


def test_the_inbox_page_shows_masked_previews(patient, staff, client):
    _handed_off(patient)
    client.force_login(staff)
    page = client.get("/health/inbox/").content.decode()
    assert "123-45-6789" not in page and "Oyelaran" not in page


def test_deleting_a_conversation_deletes_its_outputs_flags_tasks_and_answers(patient, starter_kb):
    conversation = conversation_start(user=patient)
    reply = message_send(user=patient, conversation=conversation, text="What are the side effects of amoxicillin?")
    reply_feedback(user=patient, message=reply, helpful=False, comment="wrong")
    assert Flag.objects.exists() and AnnotationTask.objects.exists()
    output_ids = list(ModelOutput.objects.filter(owner=patient).values_list("pk", flat=True))
    conversation_delete(user=patient, conversation=conversation)
    assert not Conversation.objects.filter(pk=conversation.pk).exists() and not Message.objects.exists()
    assert not ModelOutput.objects.filter(pk__in=output_ids).exists()
    assert not Flag.objects.exists() and not AnnotationTask.objects.exists()


def test_only_the_owner_can_delete_a_conversation(patient, staff):
    conversation = conversation_start(user=patient)
    assert api_client_for(staff).delete(f"/api/chatbot/conversations/{conversation.pk}/").status_code in (403, 404)
    assert api_client_for(patient).delete(f"/api/chatbot/conversations/{conversation.pk}/").status_code == 204
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_a_failing_configured_llm_is_answered_without_it(patient, starter_kb, monkeypatch):
    class FailingModel:  # a hosted LLM is a boundary we cannot reach in tests: this stands in for its outage
        def invoke(self, text):
            raise TimeoutError("the provider timed out")

    monkeypatch.setattr("chatbot.pipeline.phrasing.chat_model", lambda: FailingModel())
    reply = message_send(user=patient, conversation=conversation_start(user=patient), text="What are the side effects of amoxicillin?")
    assert reply.text.startswith('According to "Amoxicillin') and reply.model_versions.get("llm") == "failed"
