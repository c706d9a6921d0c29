from django.urls import path

from chatbot import views

app_name = "chatbot"

urlpatterns = [
    path("", views.index, name="index"),
    path("conversations/new/", views.conversation_create, name="conversation-create"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment-cancel"),
    path("appointments/<int:pk>/ics/", views.appointment_ics, name="appointment-ics"),
    path("profile/", views.profile, name="profile"),
    path("kb/<str:source_id>/", views.article, name="article"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_conversation, name="inbox-conversation"),
    path("messages/<int:pk>/review/", views.reply_review, name="reply-review"),
]
