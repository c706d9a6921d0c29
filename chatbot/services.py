from django.db import transaction

from chatbot.models import Conversation


@transaction.atomic
def conversation_start(*, user, title: str = "") -> Conversation:
    return Conversation.objects.create(owner=user, title=(title or "New conversation").strip()[:200])
