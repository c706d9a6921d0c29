from django.apps import AppConfig


class AnnotationConfig(AppConfig):
    name = "annotation"
    label = "annotation"
    verbose_name = "Annotation"

    def ready(self):
        from annotation.selectors.examples import annotation_examples
        from suite.ml.services import example_source_register

        # suite.ml reads accepted annotations through this hook; it never imports this app.
        example_source_register(annotation_examples)
        from annotation import webhooks

        webhooks.connect()  # snapshots, runs and promotions reach the webhooks through suite.ml's signals
