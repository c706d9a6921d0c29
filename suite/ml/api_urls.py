from django.urls import path

from suite.ml import api

app_name = "ml-api"

urlpatterns = [
    path("kinds/", api.KindListApi.as_view(), name="kind-list"),
    path("kinds/<str:kind>/", api.KindDetailApi.as_view(), name="kind-detail"),
    path("kinds/<str:kind>/promote/", api.KindPromoteApi.as_view(), name="kind-promote"),
    path("kinds/<str:kind>/rollback/", api.KindRollbackApi.as_view(), name="kind-rollback"),
    path("runs/", api.RunListApi.as_view(), name="run-list"),
    path("runs/<int:pk>/", api.RunDetailApi.as_view(), name="run-detail"),
    path("runs/<int:pk>/cancel/", api.RunCancelApi.as_view(), name="run-cancel"),
    path("runs/<int:pk>/restart/", api.RunRestartApi.as_view(), name="run-restart"),
]
