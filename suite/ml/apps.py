from django.apps import AppConfig


class MlConfig(AppConfig):
    """The model runtime every other app stands on; imports no other app."""

    name = "suite.ml"
    label = "ml"
    verbose_name = "Models"
