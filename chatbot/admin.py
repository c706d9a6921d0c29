from django.contrib import admin

from chatbot.models import Conversation


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    # Health data: the admin lists metadata only; contents are read through annotation's masked views.
    list_display = ("id", "owner", "created_at", "updated_at")
    fields = ("owner", "created_at", "updated_at")
    readonly_fields = ("owner", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False
