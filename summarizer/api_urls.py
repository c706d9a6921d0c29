app_name = "summarizer-api"

urlpatterns: list = []
