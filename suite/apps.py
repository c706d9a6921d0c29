from django.apps import AppConfig


class SuiteConfig(AppConfig):
    """The project's own app: accounts and roles, access rules, health, the shared layout."""

    name = "suite"
    label = "suite"
    verbose_name = "FineLoop"

    def ready(self):
        from suite import worker  # noqa: F401  (connects the worker heartbeat signals)
