"""Reads of the webhooks page: the registered hooks and the delivery log."""

from django.shortcuts import get_object_or_404

from annotation.models import Webhook, WebhookDelivery


def webhook_list():
    return Webhook.objects.all()


def webhook_get(*, pk) -> Webhook:
    return get_object_or_404(Webhook, pk=pk)


def webhook_deliveries():
    """Every delivery attempt, newest first (the model's order), with its hook."""
    return WebhookDelivery.objects.select_related("webhook")
