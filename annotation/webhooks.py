"""Webhooks: outside systems told when something happens, each payload signed, delivered by the worker.

A delivery is a row before it is a request: `event_publish` writes one per subscribed hook in the caller's
transaction and queues it on commit; the worker posts it, records every attempt (status code, error,
seconds) and retries a failure 3 times with exponential backoff, then marks it failed. Nothing stays pending:
the last attempt always settles the row.

Receivers verify a payload by recomputing `HMAC-SHA256(secret, "<timestamp>.<body>")` and comparing it with
the `X-FineLoop-Signature: sha256=<hex>` header; `X-FineLoop-Timestamp` lets them refuse old replays.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from annotation.models import Webhook, WebhookDelivery, WebhookEvent
from suite import access

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
SIGNATURE_HEADER = "X-FineLoop-Signature"
TIMESTAMP_HEADER = "X-FineLoop-Timestamp"
EVENT_HEADER = "X-FineLoop-Event"
DELIVERY_HEADER = "X-FineLoop-Delivery"
BODY_SHOWN = 300  # characters of a failing answer kept in the log


def retry_base_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30))


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))


def backoff(retries_done: int) -> float:
    """Seconds before the next try: base, 2 x base, 4 x base (30 s, 1 min, 2 min by default)."""
    return retry_base_seconds() * (2 ** retries_done)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(f"sha256={sign(secret, timestamp, body)}", header or "")


# --- hooks ---------------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not access.is_staff(user):
        raise PermissionDenied("Webhooks are for staff.")


def webhook_create(*, user, url: str, events: list[str], description: str = "") -> Webhook:
    _require_staff(user)
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError({"url": ["Give an http:// or https:// URL."]})
    unknown = [e for e in events if e not in WebhookEvent.values]
    if unknown or not events:
        raise ValidationError({"events": [f"Choose at least one of: {', '.join(WebhookEvent.values)}"
                                          + (f" (unknown: {', '.join(unknown)})" if unknown else "") + "."]})
    return Webhook.objects.create(
        url=url, events=sorted(set(events)), secret=secrets.token_hex(32), description=description.strip()[:200], created_by=user,
    )


def webhook_set_active(*, user, webhook: Webhook, active: bool) -> Webhook:
    _require_staff(user)
    webhook.active = active
    webhook.save(update_fields=["active"])
    return webhook


def webhook_delete(*, user, webhook: Webhook) -> None:
    _require_staff(user)
    webhook.delete()


# --- events --------------------------------------------------------------------------------------


def event_publish(*, event: str, data: dict) -> list[WebhookDelivery]:
    """Record a delivery for each active hook that listens to `event`; the worker sends them once this commits."""
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = [h for h in Webhook.objects.filter(active=True) if event in h.events]
    if not hooks:
        return []
    event_id = uuid.uuid4().hex
    payload = json.loads(json.dumps(
        {"id": event_id, "event": event, "created_at": timezone.now().isoformat(), "data": data}, cls=DjangoJSONEncoder,
    ))
    deliveries = [WebhookDelivery.objects.create(webhook=h, event=event, event_id=event_id, payload=payload) for h in hooks]
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def _enqueue(ids: list[int]) -> None:
    from annotation.tasks import webhook_deliver

    for pk in ids:
        try:
            webhook_deliver.delay(pk)
        except Exception as exc:  # the broker is down: say so on the row rather than leave it pending forever
            WebhookDelivery.objects.filter(pk=pk).update(
                status=WebhookDelivery.Status.FAILED, error=f"could not queue the delivery: {exc}"[:500], finished_at=timezone.now(),
            )


def delivery_attempt(*, delivery_id: int, last: bool) -> WebhookDelivery:
    """Post a delivery once and record how it went; the last attempt turns a failure final."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery  # a redelivered message: already settled
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json", "User-Agent": "FineLoop-Webhooks/1",
        EVENT_HEADER: delivery.event, DELIVERY_HEADER: str(delivery.pk), TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: f"sha256={sign(delivery.webhook.secret, timestamp, body)}",
    }
    started, status_code, error = time.monotonic(), None, ""
    try:
        response = requests.post(delivery.webhook.url, data=body, headers=headers, timeout=timeout_seconds(), allow_redirects=False)
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:BODY_SHOWN]}".strip()
    except requests.Timeout:
        error = f"no answer within {timeout_seconds():g} s"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    attempt = {"at": timezone.now().isoformat(), "status_code": status_code, "error": error,
               "seconds": round(time.monotonic() - started, 3)}
    delivery.attempts += 1
    delivery.log = [*delivery.log, attempt]
    delivery.status_code, delivery.error = status_code, error[:500]
    if not error:
        delivery.status, delivery.finished_at = WebhookDelivery.Status.SUCCEEDED, timezone.now()
    elif last:
        delivery.status, delivery.finished_at = WebhookDelivery.Status.FAILED, timezone.now()
        logger.warning("webhook delivery %s to %s failed after %s attempts: %s", delivery.pk, delivery.webhook.url, delivery.attempts, error)
    delivery.save(update_fields=["attempts", "log", "status_code", "error", "status", "finished_at"])
    return delivery


# --- what happened, as payloads ------------------------------------------------------------------
# Payloads carry ids, kinds, versions and decisions, never a user's text: a receiver asks the API for more.


def _version(version) -> int | None:
    return version.number if version is not None else None


def on_flag_created(flag) -> None:
    output = flag.output
    event_publish(event=WebhookEvent.OUTPUT_FLAGGED, data={
        "flag": flag.pk, "task": flag.task_id, "output": output.pk, "kind": output.kind,
        "model_version": _version(output.version), "reason": flag.reason,
    })


def on_annotation_reviewed(annotation) -> None:
    event = WebhookEvent.ANNOTATION_ACCEPTED if annotation.status == "accepted" else WebhookEvent.ANNOTATION_REJECTED
    event_publish(event=event, data={
        "annotation": annotation.pk, "task": annotation.task_id, "kind": annotation.task.kind,
        "annotator": annotation.annotator.get_username() if annotation.annotator else None,
        "reviewer": annotation.reviewer.get_username() if annotation.reviewer else None,
        "adjudicated": annotation.adjudicated, "comment": annotation.review_comment,
    })


def on_snapshot_frozen(sender, snapshot, **kwargs) -> None:
    event_publish(event=WebhookEvent.SNAPSHOT_FROZEN, data={
        "snapshot": snapshot.pk, "kind": snapshot.kind, "size": snapshot.size, "splits": snapshot.split_counts,
        "content_hash": snapshot.content_hash, "origin": snapshot.origin,
    })


def on_run_finished(sender, run, **kwargs) -> None:
    event_publish(event=WebhookEvent.RUN_FINISHED, data={
        "run": run.pk, "kind": run.kind, "status": run.status, "strategy": getattr(run, "strategy", ""),
        "test_metrics": getattr(run, "test_metrics", None), "version": _version(getattr(run, "version", None)),
        "error": (run.error or "")[:500],
    })


def on_alias_moved(sender, move, **kwargs) -> None:
    if move.alias != "production":
        return
    event = WebhookEvent.VERSION_ROLLED_BACK if move.reason == "rollback" else WebhookEvent.VERSION_PROMOTED
    event_publish(event=event, data={
        "kind": move.kind, "from_version": _version(move.from_version), "to_version": _version(move.to_version),
        "by": move.reason, "note": move.note, "forced": getattr(move, "forced", False),
    })


def connect() -> None:
    """Listen to the model runtime's events (suite.ml sends them and never imports this app)."""
    from suite.ml import signals

    signals.snapshot_frozen.connect(on_snapshot_frozen, dispatch_uid="annotation.webhooks.snapshot")
    signals.run_finished.connect(on_run_finished, dispatch_uid="annotation.webhooks.run")
    signals.alias_moved.connect(on_alias_moved, dispatch_uid="annotation.webhooks.alias")
