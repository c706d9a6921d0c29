from django.urls import path

from suite.ml import views

app_name = "ml"

urlpatterns = [
    path("", views.index, name="index"),
]
