from chatbot.models import Conversation
from suite import access


def conversation_list(*, user):
    return access.owned_by(Conversation.objects.all(), user)


def conversation_get(*, user, pk: int) -> Conversation:
    return access.get_owned_or_404(Conversation.objects.all(), user, pk=pk)
