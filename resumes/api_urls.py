from django.urls import path

from resumes import api

app_name = "resumes-api"

urlpatterns = [
    path("", api.ResumeListApi.as_view(), name="list"),
    path("<int:pk>/", api.ResumeDetailApi.as_view(), name="detail"),
    path("<int:pk>/retry/", api.ResumeRetryApi.as_view(), name="retry"),
    path("<int:pk>/profile/", api.ProfileApi.as_view(), name="profile"),
    path("<int:pk>/recommendations/", api.RecommendationListApi.as_view(), name="recommendations"),
    path("<int:pk>/recommendations/<int:rec>/feedback/", api.FeedbackApi.as_view(), name="feedback"),
    path("<int:pk>/insights/", api.InsightsApi.as_view(), name="insights"),
    path("review/", api.MatchReviewApi.as_view(), name="review"),
    path("review/<int:rec>/", api.MatchJudgeApi.as_view(), name="judge"),
]
