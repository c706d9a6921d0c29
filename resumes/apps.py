from django.apps import AppConfig


class ResumesConfig(AppConfig):
    name = "resumes"
    label = "resumes"
    verbose_name = "Careers"

    def ready(self):
        from resumes import formats, ml  # noqa: F401  (registers the model kinds and the dotin import format)
