from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from suite import views

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("staff/", views.staff_dashboard, name="staff"),
    path("admin/", admin.site.urls),
    path("api/", include("suite.api.urls")),
    path("models/", include("suite.ml.urls")),
    path("annotation/", include("annotation.urls")),
    path("documents/", include("summarizer.urls")),
    path("health/", include("chatbot.urls")),
    path("careers/", include("resumes.urls")),
]

handler400 = "suite.errors.bad_request"
handler404 = "suite.errors.page_not_found"
handler500 = "suite.errors.server_error"
