from django.urls import path

from chatbot import api

app_name = "chatbot-api"

urlpatterns = [
    path("conversations/", api.ConversationListApi.as_view(), name="conversation-list"),
    path("conversations/<int:pk>/", api.ConversationDetailApi.as_view(), name="conversation-detail"),
]
