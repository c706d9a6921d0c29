from django.urls import path

from summarizer import views

app_name = "summarizer"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.document, name="document"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/summary.<str:fmt>", views.download, name="download"),
]
