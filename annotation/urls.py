from django.urls import path

from annotation.views import annotate, dashboard, imports, queue, review, webhooks

app_name = "annotation"

urlpatterns = [
    path("", queue.index, name="index"),
    path("start/", queue.start, name="start"),
    path("tasks/<int:pk>/", annotate.task_detail, name="task"),
    path("tasks/<int:pk>/submit/", annotate.task_submit, name="task-submit"),
    path("tasks/<int:pk>/skip/", annotate.task_skip, name="task-skip"),
    path("tasks/<int:pk>/adjudicate/", review.task_adjudicate, name="task-adjudicate"),
    path("review/", review.review, name="review"),
    path("annotations/<int:pk>/review/", review.annotation_review, name="annotation-review"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("import/", imports.import_page, name="import"),
    path("webhooks/", webhooks.webhooks_page, name="webhooks"),
]
