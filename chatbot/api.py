from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from chatbot import selectors, services
from suite import access
from suite import roles as R


class ConversationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ConversationListApi(GenericAPIView):
    permission_classes = [access.HasRole(R.PATIENT)]
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
    permission_classes = [access.HasRole(R.PATIENT)]
    serializer_class = ConversationOutput

    @extend_schema(responses={200: ConversationOutput}, operation_id="chatbot_conversations_retrieve")
    def get(self, request, pk: int):
        return Response(ConversationOutput(selectors.conversation_get(user=request.user, pk=pk)).data)
