from django.urls import path

from chatbot import views

app_name = "chatbot"

urlpatterns = [
    path("", views.index, name="index"),
    path("conversations/new/", views.conversation_create, name="conversation-create"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
]
