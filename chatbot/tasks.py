from celery import shared_task

from chatbot import services
from chatbot.models import Conversation


@shared_task(name="chatbot.tasks.answer_compose")
def answer_compose(conversation_id: int, text: str) -> int:
    """Answer a patient's message off the web process (clients that would rather poll); returns the reply's id."""
    conversation = Conversation.objects.select_related("owner").get(pk=conversation_id)
    return services.message_send(user=conversation.owner, conversation=conversation, text=text).pk


@shared_task(name="chatbot.tasks.knowledge_index_update")
def knowledge_index_update() -> int:
    """Embed new or changed articles after an import, so the first question does not wait for it."""
    return len(services.knowledge_index())
