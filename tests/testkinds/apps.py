from django.apps import AppConfig


class TestKindsConfig(AppConfig):
    """Model kinds that exist only in the test settings, so the real worker subprocess knows them too."""

    name = "tests.testkinds"
    label = "testkinds"

    def ready(self):
        from celery.signals import task_prerun

        from tests.testkinds import kinds  # noqa: F401

        task_prerun.connect(_forget_content_types, weak=False)


def _forget_content_types(**kwargs):
    # Tests flush and recreate tables between tests; the long-lived test worker must not keep old content type ids.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
