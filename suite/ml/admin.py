"""Read-only admin for the model runtime: its rows change only through the services (runs, gate, promote, rollback)."""
from django.contrib import admin

from suite.ml.models import AliasMove, DatasetSnapshot, ModelAlias, ModelOutput, ModelVersion, TrainingRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DatasetSnapshot)
class DatasetSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "size", "origin", "content_hash", "created_at")
    list_filter = ("kind",)
    search_fields = ("kind", "origin", "content_hash")


@admin.register(TrainingRun)
class TrainingRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "strategy", "status", "progress", "best_epoch", "created_at", "finished_at")
    list_filter = ("kind", "status", "strategy")
    search_fields = ("kind", "error")
    raw_id_fields = ("snapshot", "restarted_from", "created_by")


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = ("kind", "number", "strategy", "parent", "created_at")
    list_filter = ("kind", "strategy")
    raw_id_fields = ("snapshot", "parent", "training_run")


@admin.register(ModelAlias)
class ModelAliasAdmin(ReadOnlyAdmin):
    list_display = ("kind", "name", "version", "updated_at")
    list_filter = ("kind", "name")


@admin.register(AliasMove)
class AliasMoveAdmin(ReadOnlyAdmin):
    list_display = ("kind", "alias", "from_version", "to_version", "reason", "moved_by", "moved_at")
    list_filter = ("kind", "alias", "reason")


@admin.register(ModelOutput)
class ModelOutputAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "version", "score", "latency_ms", "owner", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("version", "owner")
    date_hierarchy = "created_at"
