from django.apps import AppConfig


class TestKindsConfig(AppConfig):
    """Model kinds that exist only in the test settings, so the real worker subprocess knows them too."""

    name = "tests.testkinds"
    label = "testkinds"

    def ready(self):
        from tests.testkinds import kinds  # noqa: F401
