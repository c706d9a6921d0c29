from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from suite.api import views

urlpatterns = [
    path("auth/signup/", views.SignupApi.as_view(), name="api-signup"),
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("auth/me/", views.MeApi.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("ml/", include("suite.ml.api_urls")),
    path("annotation/", include("annotation.api_urls")),
    path("summarizer/", include("summarizer.api_urls")),
    path("chatbot/", include("chatbot.api_urls")),
    path("resumes/", include("resumes.api_urls")),
]
