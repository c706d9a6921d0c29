app_name = "ml-api"

urlpatterns: list = []
