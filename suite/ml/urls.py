from django.urls import path

from suite.ml import views

app_name = "ml"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>.json", views.run_json, name="run-json"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run-cancel"),
    path("runs/<int:pk>/restart/", views.run_restart, name="run-restart"),
    path("<str:kind>/", views.kind_detail, name="kind"),
    path("<str:kind>/runs/", views.run_start, name="run-start"),
    path("<str:kind>/snapshots/", views.snapshot_freeze, name="snapshot-freeze"),
    path("<str:kind>/promote/", views.version_promote, name="promote"),
    path("<str:kind>/rollback/", views.version_rollback, name="rollback"),
]
