from django.apps import AppConfig


class SummarizerConfig(AppConfig):
    name = "summarizer"
    label = "summarizer"
    verbose_name = "Documents"
