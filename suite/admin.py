from django.contrib import admin

from suite.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "queues", "pid", "started_at", "last_seen")
    readonly_fields = ("hostname", "queues", "pid", "started_at", "last_seen")
