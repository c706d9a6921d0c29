from django.apps import AppConfig


class ChatbotConfig(AppConfig):
    name = "chatbot"
    label = "chatbot"
    verbose_name = "Health assistant"
