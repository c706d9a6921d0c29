from django.apps import AppConfig


class ResumesConfig(AppConfig):
    name = "resumes"
    label = "resumes"
    verbose_name = "Careers"
