from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from chatbot import selectors, services
from suite.links import attach
from suite import access
from suite import roles as R

PATIENT = [access.HasRole(R.PATIENT)]


class ConversationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    needs_person = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ChatbotMessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    text = serializers.CharField()
    intent = serializers.CharField()
    triage = serializers.SerializerMethodField()
    citations = serializers.JSONField()
    warnings = serializers.JSONField()
    appointment = serializers.SerializerMethodField()
    model_versions = serializers.JSONField()
    feedback = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_triage(self, m) -> dict:
        return {"level": m.triage_level, "reasons": m.triage_reasons}

    def get_appointment(self, m) -> dict | None:
        return appointment_out(m.appointment) if m.appointment_id else None


class ChatbotAppointmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.IntegerField(source="provider_id")
    provider_name = serializers.CharField(source="provider.name")
    specialty = serializers.CharField(source="provider.specialty")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.CharField()
    reason = serializers.CharField()


def appointment_out(appointment) -> dict:
    return dict(ChatbotAppointmentOutput(appointment).data)


def chat_out(reply) -> dict:
    """The shape of one assistant turn, shared by the API and `manage.py chat --json`."""
    return {
        "conversation": reply.conversation_id, "message": reply.pk, "reply": reply.text, "intent": reply.intent,
        "triage": {"level": reply.triage_level, "reasons": reply.triage_reasons}, "citations": reply.citations,
        "warnings": reply.warnings, "appointment": appointment_out(reply.appointment) if reply.appointment_id else None,
        "model_versions": reply.model_versions,
    }


class ConversationListApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ConversationOutput

    class ConversationInput(serializers.Serializer):
        title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(responses={200: ConversationOutput(many=True)}, operation_id="chatbot_conversations_list")
    def get(self, request):
        page = self.paginate_queryset(selectors.conversation_list(user=request.user))
        return self.get_paginated_response(ConversationOutput(page, many=True).data)

    @extend_schema(request=ConversationInput, responses={201: ConversationOutput}, operation_id="chatbot_conversations_create")
    def post(self, request):
        data = self.ConversationInput(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = services.conversation_start(user=request.user, **data.validated_data)
        return Response(ConversationOutput(conversation).data, status=status.HTTP_201_CREATED)


class ConversationDetailApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ConversationOutput

    @extend_schema(responses={200: ConversationOutput}, operation_id="chatbot_conversations_retrieve")
    def get(self, request, pk: int):
        return Response(ConversationOutput(selectors.conversation_get(user=request.user, pk=pk)).data)

    @extend_schema(responses={204: None}, operation_id="chatbot_conversations_delete")
    def delete(self, request, pk: int):
        services.conversation_delete(user=request.user, conversation=selectors.conversation_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChatbotChatTurnOutput(serializers.Serializer):
    conversation = serializers.IntegerField()
    message = serializers.IntegerField()
    reply = serializers.CharField()
    intent = serializers.CharField()
    triage = serializers.JSONField()
    citations = serializers.JSONField()
    warnings = serializers.JSONField()
    appointment = serializers.JSONField(allow_null=True)
    model_versions = serializers.JSONField()


class MessageListApi(GenericAPIView):
    """The conversation's messages; POST a patient message and get the assistant's reply."""

    permission_classes = PATIENT
    serializer_class = ChatbotMessageOutput

    class ChatbotMessageInput(serializers.Serializer):
        # Length is checked by the service, so an oversized message gets the same words everywhere.
        text = serializers.CharField(allow_blank=True, trim_whitespace=False)

    @extend_schema(responses={200: ChatbotMessageOutput(many=True)}, operation_id="chatbot_messages_list")
    def get(self, request, pk: int):
        conversation = selectors.conversation_get(user=request.user, pk=pk)
        page = self.paginate_queryset(selectors.message_list(conversation=conversation))
        return self.get_paginated_response(ChatbotMessageOutput(page, many=True).data)

    @extend_schema(request=ChatbotMessageInput, responses={201: ChatbotChatTurnOutput}, operation_id="chatbot_messages_send")
    def post(self, request, pk: int):
        conversation = selectors.conversation_get(user=request.user, pk=pk)
        data = self.ChatbotMessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        reply = services.message_send(user=request.user, conversation=conversation, text=data.validated_data["text"])
        return Response(chat_out(reply), status=status.HTTP_201_CREATED)


class HandoffApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ConversationOutput

    @extend_schema(request=None, responses={200: ConversationOutput}, operation_id="chatbot_handoff")
    def post(self, request, pk: int):
        conversation = services.handoff_request(user=request.user, conversation=selectors.conversation_get(user=request.user, pk=pk))
        return Response(ConversationOutput(conversation).data)


class FeedbackApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ChatbotMessageOutput

    class ChatbotFeedbackInput(serializers.Serializer):
        helpful = serializers.BooleanField()
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=ChatbotFeedbackInput, responses={200: ChatbotMessageOutput}, operation_id="chatbot_feedback")
    def post(self, request, pk: int):
        message = selectors.message_get(user=request.user, pk=pk)
        data = self.ChatbotFeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ChatbotMessageOutput(services.reply_feedback(user=request.user, message=message, **data.validated_data)).data)


class ChatbotProviderOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    specialty = serializers.CharField()
    weekdays = serializers.JSONField()
    start_hour = serializers.IntegerField()
    end_hour = serializers.IntegerField()
    slot_minutes = serializers.IntegerField()


class ProviderListApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ChatbotProviderOutput

    @extend_schema(responses={200: ChatbotProviderOutput(many=True)}, operation_id="chatbot_providers_list")
    def get(self, request):
        page = self.paginate_queryset(selectors.provider_list(specialty=request.query_params.get("specialty", "")))
        return self.get_paginated_response(ChatbotProviderOutput(page, many=True).data)


class SlotListApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = serializers.Serializer

    class ChatbotSlotQuery(serializers.Serializer):
        date = serializers.DateField()

    @extend_schema(responses={200: serializers.ListSerializer(child=serializers.DateTimeField())}, operation_id="chatbot_slots_list")
    def get(self, request, pk: int):
        provider = selectors.provider_get(pk=pk)
        query = self.ChatbotSlotQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response([s.isoformat() for s in services.slots_free(provider=provider, day=query.validated_data["date"])])


class AppointmentListApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ChatbotAppointmentOutput

    class ChatbotBookInput(serializers.Serializer):
        provider = serializers.IntegerField()
        start = serializers.DateTimeField()
        reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(responses={200: ChatbotAppointmentOutput(many=True)}, operation_id="chatbot_appointments_list")
    def get(self, request):
        page = self.paginate_queryset(selectors.appointment_list(user=request.user))
        return self.get_paginated_response(ChatbotAppointmentOutput(page, many=True).data)

    @extend_schema(request=ChatbotBookInput, responses={201: ChatbotAppointmentOutput}, operation_id="chatbot_appointments_book")
    def post(self, request):
        data = self.ChatbotBookInput(data=request.data)
        data.is_valid(raise_exception=True)
        provider = selectors.provider_bookable(pk=data.validated_data["provider"])
        appointment = services.appointment_book(
            patient=request.user, provider=provider, start=data.validated_data["start"], reason=data.validated_data["reason"]
        )
        return Response(ChatbotAppointmentOutput(appointment).data, status=status.HTTP_201_CREATED)


class AppointmentDetailApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ChatbotAppointmentOutput

    @extend_schema(responses={200: ChatbotAppointmentOutput}, operation_id="chatbot_appointments_retrieve")
    def get(self, request, pk: int):
        return Response(ChatbotAppointmentOutput(selectors.appointment_get(user=request.user, pk=pk)).data)


class AppointmentCancelApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ChatbotAppointmentOutput

    @extend_schema(request=None, responses={200: ChatbotAppointmentOutput}, operation_id="chatbot_appointments_cancel")
    def post(self, request, pk: int):
        appointment = selectors.appointment_get(user=request.user, pk=pk)
        return Response(ChatbotAppointmentOutput(services.appointment_cancel(appointment=appointment, user=request.user)).data)


class AppointmentRescheduleApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = ChatbotAppointmentOutput

    class ChatbotRescheduleInput(serializers.Serializer):
        start = serializers.DateTimeField()

    @extend_schema(request=ChatbotRescheduleInput, responses={200: ChatbotAppointmentOutput}, operation_id="chatbot_appointments_reschedule")
    def post(self, request, pk: int):
        appointment = selectors.appointment_get(user=request.user, pk=pk)
        data = self.ChatbotRescheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.appointment_reschedule(appointment=appointment, user=request.user, start=data.validated_data["start"])
        return Response(ChatbotAppointmentOutput(moved).data)


class AppointmentIcsApi(GenericAPIView):
    permission_classes = PATIENT
    serializer_class = serializers.Serializer

    @extend_schema(responses={(200, "text/calendar"): str}, operation_id="chatbot_appointments_ics")
    def get(self, request, pk: int):
        return ics_response(selectors.appointment_get(user=request.user, pk=pk))


def ics_response(appointment) -> HttpResponse:
    response = HttpResponse(services.appointment_ics(appointment=appointment), content_type="text/calendar; charset=utf-8")
    attach(response, f"appointment-{appointment.pk}.ics")
    return response


class ChatbotProfileSerializer(serializers.Serializer):
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=130)
    conditions = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50)
    medications = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50)
    allergies = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50)


class ProfileApi(GenericAPIView):
    """The patient's own profile; nobody else's is reachable."""

    permission_classes = PATIENT
    serializer_class = ChatbotProfileSerializer

    @extend_schema(responses={200: ChatbotProfileSerializer}, operation_id="chatbot_profile_retrieve")
    def get(self, request):
        return Response(ChatbotProfileSerializer(selectors.profile_get(user=request.user)).data)

    @extend_schema(request=ChatbotProfileSerializer, responses={200: ChatbotProfileSerializer}, operation_id="chatbot_profile_update")
    def put(self, request):
        data = ChatbotProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ChatbotProfileSerializer(services.profile_update(user=request.user, **data.validated_data)).data)


# --- staff ----------------------------------------------------------------------------------------


class InboxApi(GenericAPIView):
    permission_classes = [access.IsStaff]
    serializer_class = ConversationOutput

    class InboxConversationOutput(ConversationOutput):
        preview = serializers.CharField()
        handoff_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(responses={200: InboxConversationOutput(many=True)}, operation_id="chatbot_inbox_list",
                   parameters=[OpenApiParameter("unmask", str, description="1: the originals, each view audited")])
    def get(self, request):
        page = self.paginate_queryset(selectors.inbox_list())
        rows = selectors.inbox_rows(conversations=page, viewer=request.user, unmasked=request.query_params.get("unmask") == "1")
        return self.get_paginated_response(self.InboxConversationOutput(rows, many=True).data)


class StaffReplyApi(GenericAPIView):
    permission_classes = [access.IsStaff]
    serializer_class = ChatbotMessageOutput

    class ChatbotReplyInput(serializers.Serializer):
        text = serializers.CharField(allow_blank=True)

    @extend_schema(request=ChatbotReplyInput, responses={201: ChatbotMessageOutput}, operation_id="chatbot_inbox_reply")
    def post(self, request, pk: int):
        data = self.ChatbotReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.staff_reply(user=request.user, conversation=selectors.staff_conversation_get(pk=pk), text=data.validated_data["text"])
        return Response(ChatbotMessageOutput(message).data, status=status.HTTP_201_CREATED)


class RatingApi(GenericAPIView):
    permission_classes = [access.IsStaff]
    serializer_class = serializers.Serializer

    class ChatbotRatingInput(serializers.Serializer):
        score = serializers.IntegerField()

    @extend_schema(request=ChatbotRatingInput, responses={200: ChatbotRatingInput}, operation_id="chatbot_reply_rate")
    def post(self, request, pk: int):
        data = self.ChatbotRatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.reply_rate(user=request.user, message=selectors.staff_message_get(pk=pk), score=data.validated_data["score"])
        return Response({"score": rating.score})


class PreferenceApi(GenericAPIView):
    permission_classes = [access.IsStaff]
    serializer_class = serializers.Serializer

    class ChatbotPreferenceInput(serializers.Serializer):
        chosen = serializers.IntegerField()

    class ChatbotPreferenceOutput(serializers.Serializer):
        items = serializers.IntegerField()
        accepted = serializers.IntegerField()
        open = serializers.IntegerField()
        preference = serializers.IntegerField()
        project = serializers.IntegerField()

    @extend_schema(request=ChatbotPreferenceInput, responses={201: ChatbotPreferenceOutput}, operation_id="chatbot_reply_prefer")
    def post(self, request, pk: int):
        data = self.ChatbotPreferenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        counts = services.reply_prefer(user=request.user, message=selectors.staff_message_get(pk=pk), chosen=data.validated_data["chosen"])
        return Response(counts, status=status.HTTP_201_CREATED)
