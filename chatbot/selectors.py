"""Reads of the health assistant, with ownership applied."""
from datetime import date

from django.db.models import Q
from django.utils import timezone

from chatbot import ml
from chatbot.models import Appointment, Article, Conversation, Message, PatientProfile, Provider, ReplyRating
from suite import access


def conversation_list(*, user):
    return access.owned_by(Conversation.objects.all(), user)


def conversation_get(*, user, pk: int) -> Conversation:
    return access.get_owned_or_404(Conversation.objects.all(), user, pk=pk)


def message_list(*, conversation: Conversation):
    return conversation.messages.select_related("appointment__provider").order_by("id")


def message_get(*, user, pk: int) -> Message:
    return access.get_owned_or_404(Message.objects.select_related("conversation", "output"), user, owner_field="conversation__owner", pk=pk)


def profile_get(*, user) -> PatientProfile:
    """The user's profile; an unsaved empty one before their first edit."""
    return PatientProfile.objects.filter(owner=user).first() or PatientProfile(owner=user)


def appointment_list(*, user, upcoming_only: bool = False):
    rows = access.owned_by(Appointment.objects.select_related("provider"), user, owner_field="patient")
    return rows.filter(status=Appointment.Status.BOOKED, start__gt=timezone.now()) if upcoming_only else rows


def appointment_get(*, user, pk: int) -> Appointment:
    return access.get_owned_or_404(Appointment.objects.select_related("provider"), user, owner_field="patient", pk=pk)


def provider_list(*, specialty: str = ""):
    rows = Provider.objects.filter(active=True)
    return rows.filter(specialty__iexact=specialty) if specialty else rows


def provider_get(*, pk: int) -> Provider:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Provider, pk=pk, active=True)


def provider_bookable(*, pk: int) -> Provider:
    """A provider who takes appointments; a booking request naming anyone else is the request's error (400)."""
    from django.core.exceptions import ValidationError

    provider = Provider.objects.filter(pk=pk, active=True).first()
    if provider is None:
        raise ValidationError({"provider": [f"No provider #{pk} takes appointments."]})
    return provider


def article_get(*, source_id: str) -> Article:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Article, source_id=source_id)


def inbox_list():
    """Conversations waiting for a person, oldest request first (staff only; the views check)."""
    return Conversation.objects.filter(needs_person=True).select_related("owner").order_by("handoff_at", "id")


def inbox_rows(*, conversations, viewer, unmasked: bool = False) -> list[dict]:
    """The inbox as staff see it: each conversation's title and the start of the patient's first message, masked
    unless the original is asked for, and then each original shown is audited."""
    from annotation.privacy import audit_unmasked_view, shown_to

    conversations = list(conversations)
    first = {}
    for message in Message.objects.filter(conversation__in=conversations, role=Message.Role.PATIENT).order_by("id"):
        first.setdefault(message.conversation_id, message.text[:80])
    rows = []
    for c in conversations:
        value = {"title": c.title, "preview": first.get(c.pk, "")}
        if unmasked:
            audit_unmasked_view(user=viewer, what=f"conversation {c.pk} (inbox title and preview)")
        else:
            value = shown_to(value, viewer=viewer, owner=c.owner)
        rows.append({"id": c.pk, "pk": c.pk, **value, "needs_person": c.needs_person, "handoff_at": c.handoff_at,
                     "created_at": c.created_at, "updated_at": c.updated_at})
    return rows


def staff_conversation_get(*, pk: int) -> Conversation:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Conversation.objects.select_related("owner"), pk=pk)


def staff_message_get(*, pk: int) -> Message:
    """Any conversation's message, for staff rating or comparing replies (the views check the role)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Message.objects.select_related("conversation", "output"), pk=pk)


def reply_day(message: Message) -> date:
    return timezone.localtime(message.created_at).date()


def ranker_examples(kind: str, since=None) -> list[dict]:
    """Staff ratings of replies as ranking examples (4-5 relevant, 1-2 not): ratings live in chatbot, not in
    annotation tasks, so they come in through this example source (registered in ChatbotConfig.ready)."""
    if kind != ml.RANKER:
        return []
    out = []
    ratings = ReplyRating.objects.filter(~Q(score=3)).select_related("message__output")
    if since is not None:
        ratings = ratings.filter(created_at__gt=since)
    for rating in ratings.order_by("id"):
        message = rating.message
        query = message.output.input.get("prompt") if message.output_id and isinstance(message.output.input, dict) else None
        if query:
            out.append({"id": f"rating-{rating.pk}", "group": f"chatbot-message-{message.pk}",
                        "input": {"query": query, "candidate": message.text}, "target": int(rating.score >= 4)})
    return out
