"""What people say about replies: the patient's thumbs, staff ratings and preferences, and the handoff to a person."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotation import services as annotation_services
from chatbot import ml
from chatbot.models import Conversation, Message, ReplyRating
from suite import access


def _assistant_reply(message: Message) -> None:
    if message.role != Message.Role.ASSISTANT:
        raise ValidationError({"message": ["Only the assistant's replies can be rated."]})


@transaction.atomic
def reply_feedback(*, user, message: Message, helpful: bool, comment: str = "") -> Message:
    """Thumbs up is kept on the reply; thumbs down also flags the reply's model output as wrong for annotators."""
    if message.conversation.owner_id != user.pk:
        raise PermissionDenied("Only the patient who got this reply can rate it.")
    _assistant_reply(message)
    if len(comment) > 1000:
        raise ValidationError({"comment": ["At most 1000 characters."]})
    message.feedback = "up" if helpful else "down"
    message.save(update_fields=["feedback"])
    if not helpful and message.output_id:
        annotation_services.flag_create(output=message.output, user=user, reason="wrong", comment=comment)
    return message


@transaction.atomic
def reply_rate(*, user, message: Message, score) -> ReplyRating:
    if not access.is_staff(user):
        raise PermissionDenied("Rating replies is for staff.")
    _assistant_reply(message)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": ["A rating is a whole number from 1 to 5."]})
    rating, _ = ReplyRating.objects.update_or_create(message=message, rater=user, defaults={"score": score})
    return rating


def reply_prefer(*, user, message: Message, chosen) -> dict:
    """Staff choose the better of the reply's candidates: an accepted preference item that trains the answer ranker."""
    if not access.is_staff(user):
        raise PermissionDenied("Choosing between replies is for staff.")
    _assistant_reply(message)
    options = message.candidates or []
    if len(options) < 2:
        raise ValidationError({"message": ["This reply had only one candidate; there is nothing to choose between."]})
    if isinstance(chosen, bool) or not isinstance(chosen, int) or not 0 <= chosen < len(options):
        raise ValidationError({"chosen": [f"Choose an option's index, 0 to {len(options) - 1}."]})
    prompt = message.output.input.get("prompt") if message.output_id and isinstance(message.output.input, dict) else ""
    prompt = prompt or message.conversation.messages.filter(role=Message.Role.PATIENT, id__lt=message.pk).order_by("-id").values_list("text", flat=True).first() or ""
    item = {"input": {"prompt": prompt, "options": options}, "result": {"chosen": chosen}, "group": f"chatbot-message-{message.pk}"}
    return annotation_services.items_import(kind=ml.RANKER, items=[item], accepted=True, user=user)


@transaction.atomic
def handoff_request(*, user, conversation: Conversation) -> Conversation:
    if conversation.owner_id != user.pk:
        raise PermissionDenied("This is not your conversation.")
    conversation.needs_person, conversation.handoff_at = True, timezone.now()
    conversation.save(update_fields=["needs_person", "handoff_at", "updated_at"])
    return conversation


@transaction.atomic
def staff_reply(*, user, conversation: Conversation, text: str) -> Message:
    if not access.is_staff(user):
        raise PermissionDenied("Answering patients is for staff.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Write a reply first."]})
    if len(text) > 4000:
        raise ValidationError({"text": ["At most 4000 characters."]})
    message = Message.objects.create(conversation=conversation, role=Message.Role.STAFF, text=text, author=user)
    conversation.needs_person = False
    conversation.save(update_fields=["needs_person", "updated_at"])
    return message
