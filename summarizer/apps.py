from django.apps import AppConfig


class SummarizerConfig(AppConfig):
    name = "summarizer"
    label = "summarizer"
    verbose_name = "Documents"

    def ready(self):
        from summarizer import formats, ml  # noqa: F401  (registers the model kinds and the import formats)
