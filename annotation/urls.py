from django.urls import path

from annotation import views

app_name = "annotation"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/submit/", views.task_submit, name="task-submit"),
    path("tasks/<int:pk>/skip/", views.task_skip, name="task-skip"),
    path("tasks/<int:pk>/adjudicate/", views.task_adjudicate, name="task-adjudicate"),
    path("review/", views.review, name="review"),
    path("annotations/<int:pk>/review/", views.annotation_review, name="annotation-review"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("import/", views.import_page, name="import"),
    path("webhooks/", views.webhooks_page, name="webhooks"),
]
