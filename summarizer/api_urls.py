from django.urls import path

from summarizer import api

app_name = "summarizer-api"

urlpatterns = [
    path("documents/", api.DocumentListApi.as_view(), name="documents"),
    path("documents/<int:pk>/", api.DocumentDetailApi.as_view(), name="document"),
    path("documents/<int:pk>/progress/", api.DocumentProgressApi.as_view(), name="progress"),
    path("documents/<int:pk>/retry/", api.DocumentRetryApi.as_view(), name="retry"),
    path("documents/<int:pk>/flags/", api.DocumentFlagApi.as_view(), name="flags"),
    path("documents/<int:pk>/summary/", api.DocumentSummaryCorrectApi.as_view(), name="summary-correct"),
    path("documents/<int:pk>/preference/", api.DocumentPreferenceApi.as_view(), name="preference"),
    path("documents/<int:pk>/key-terms/", api.DocumentKeyTermApi.as_view(), name="key-terms"),
    path("documents/<int:pk>/summary.<str:fmt>", api.DocumentDownloadApi.as_view(), name="download"),
]
