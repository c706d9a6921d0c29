from django.apps import AppConfig


class ChatbotConfig(AppConfig):
    name = "chatbot"
    label = "chatbot"
    verbose_name = "Health assistant"

    def ready(self):
        from chatbot import ml  # noqa: F401  (registers the model kinds)
        from chatbot.selectors import ranker_examples
        from suite.ml.services import example_source_register

        example_source_register(ranker_examples)
