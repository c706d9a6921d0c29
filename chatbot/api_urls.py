from django.urls import path

from chatbot import api

app_name = "chatbot-api"

urlpatterns = [
    path("conversations/", api.ConversationListApi.as_view(), name="conversation-list"),
    path("conversations/<int:pk>/", api.ConversationDetailApi.as_view(), name="conversation-detail"),
    path("conversations/<int:pk>/messages/", api.MessageListApi.as_view(), name="message-list"),
    path("conversations/<int:pk>/handoff/", api.HandoffApi.as_view(), name="handoff"),
    path("messages/<int:pk>/feedback/", api.FeedbackApi.as_view(), name="feedback"),
    path("messages/<int:pk>/rating/", api.RatingApi.as_view(), name="rating"),
    path("messages/<int:pk>/preference/", api.PreferenceApi.as_view(), name="preference"),
    path("providers/", api.ProviderListApi.as_view(), name="provider-list"),
    path("providers/<int:pk>/slots/", api.SlotListApi.as_view(), name="slot-list"),
    path("appointments/", api.AppointmentListApi.as_view(), name="appointment-list"),
    path("appointments/<int:pk>/", api.AppointmentDetailApi.as_view(), name="appointment-detail"),
    path("appointments/<int:pk>/cancel/", api.AppointmentCancelApi.as_view(), name="appointment-cancel"),
    path("appointments/<int:pk>/reschedule/", api.AppointmentRescheduleApi.as_view(), name="appointment-reschedule"),
    path("appointments/<int:pk>/ics/", api.AppointmentIcsApi.as_view(), name="appointment-ics"),
    path("profile/", api.ProfileApi.as_view(), name="profile"),
    path("inbox/", api.InboxApi.as_view(), name="inbox"),
    path("inbox/<int:pk>/reply/", api.StaffReplyApi.as_view(), name="inbox-reply"),
]
