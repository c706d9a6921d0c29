from django.urls import path

from annotation import api, api_formats

app_name = "annotation-api"

urlpatterns = [
    path("flags/", api.FlagCreateApi.as_view(), name="flag-create"),
    path("tasks/next/", api.TaskNextApi.as_view(), name="task-next"),
    path("tasks/<int:pk>/", api.TaskDetailApi.as_view(), name="task-detail"),
    path("tasks/<int:pk>/annotations/", api.AnnotationSubmitApi.as_view(), name="annotation-submit"),
    path("tasks/<int:pk>/skip/", api.TaskSkipApi.as_view(), name="task-skip"),
    path("tasks/<int:pk>/adjudicate/", api.TaskAdjudicateApi.as_view(), name="task-adjudicate"),
    path("review/", api.ReviewQueueApi.as_view(), name="review-queue"),
    path("annotations/<int:pk>/review/", api.AnnotationReviewApi.as_view(), name="annotation-review"),
    path("preannotations/", api.PreannotationApi.as_view(), name="preannotate"),
    path("dashboard/", api.DashboardApi.as_view(), name="dashboard"),
    path("snapshots/", api.SnapshotCreateApi.as_view(), name="snapshot-create"),
    path("exports/", api_formats.ExportCreateApi.as_view(), name="export-create"),
    path("exports/<int:pk>/", api_formats.ExportDetailApi.as_view(), name="export-detail"),
    path("exports/<int:pk>/download/", api_formats.ExportDownloadApi.as_view(), name="export-download"),
    path("imports/", api_formats.AnnotationImportApi.as_view(), name="import-create"),
]
