app_name = "resumes-api"

urlpatterns: list = []
