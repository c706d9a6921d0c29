import pytest

from chatbot.models import Message
from chatbot.services import conversation_start
from chatbot.tasks import answer_compose


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_composes_an_answer_on_the_inference_queue(celery_worker, patient, starter_kb):
    conversation = conversation_start(user=patient)
    reply_id = answer_compose.delay(conversation.pk, "What is metformin?").get(timeout=120)
    reply = Message.objects.get(pk=reply_id)
    assert reply.conversation_id == conversation.pk and reply.citations[0]["source_id"] == "starter-metformin"
