from django.urls import path

from resumes import views

app_name = "resumes"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/jobs/<int:rec>/", views.recommendation, name="recommendation"),
    path("<int:pk>/jobs/<int:rec>/feedback/", views.feedback, name="feedback"),
    path("review/", views.review, name="review"),
]
