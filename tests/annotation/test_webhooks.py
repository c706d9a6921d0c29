"""Webhooks: events reach a real local HTTP server through the real worker, signed, retried with backoff, logged."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotation import services, webhooks
from annotation.models import WebhookDelivery
from suite.ml import kinds as K
from suite.ml import services as ml_services
from tests.factories import UserFactory

KIND = "tests.sentiment"


class Receiver:
    """A local HTTP server: /ok answers 200, /broken 500, /flaky 500 twice then 200, /slow answers after 3 s."""

    def __init__(self):
        self.received: list[dict] = []
        self.hits: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path
                receiver.hits[path] = receiver.hits.get(path, 0) + 1
                receiver.received.append({"path": path, "headers": dict(self.headers), "body": body, "at": time.monotonic()})
                if path == "/slow":
                    time.sleep(3)
                code = {"/ok": 200, "/broken": 500}.get(path, 200 if receiver.hits[path] > 2 else 500)
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"boom" if code == 500 else b"thanks")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def on(self, path):
        return [r for r in self.received if r["path"] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def wait_settled(count: int, timeout: float = 60) -> list[WebhookDelivery]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = list(WebhookDelivery.objects.order_by("id"))
        if len(rows) >= count and all(r.status != WebhookDelivery.Status.PENDING for r in rows):
            return rows
        time.sleep(0.2)
    raise AssertionError(f"deliveries still pending after {timeout}s: {list(WebhookDelivery.objects.values('event', 'status', 'attempts'))}")


def shown_output(owner, text):
    prediction = K.get_kind(KIND).predict([text])[0]
    return ml_services.model_output_record(kind=KIND, input=text, output=prediction, score=prediction["score"], owner=owner)


def test_a_flag_and_a_review_reach_the_receiver_signed_through_the_worker(celery_worker, receiver):
    staff = UserFactory(is_staff=True)
    hook = webhooks.webhook_create(user=staff, url=f"{receiver.url}/ok",
                                   events=["output.flagged", "annotation.accepted", "annotation.rejected"])
    patient, annotator, reviewer = UserFactory(role="patient"), UserFactory(role="annotator"), UserFactory(role="reviewer")

    flag = services.flag_create(output=shown_output(patient, "the trip was grim indeed"), user=patient, reason="wrong",
                                comment="it was a bad trip")
    task = services.task_next(user=annotator, kind=KIND)
    annotation = services.annotation_submit(task=task, user=annotator, result="negative")
    services.annotation_review(annotation=annotation, reviewer=reviewer, accept=True)

    deliveries = wait_settled(2)
    assert [(d.event, d.status, d.status_code, d.attempts) for d in deliveries] == [
        ("output.flagged", "succeeded", 200, 1), ("annotation.accepted", "succeeded", 200, 1)]
    for request, delivery in zip(receiver.on("/ok"), deliveries):
        headers = request["headers"]
        assert webhooks.signature_valid(hook.secret, headers["X-FineLoop-Timestamp"], request["body"], headers["X-FineLoop-Signature"])
        assert not webhooks.signature_valid("another secret", headers["X-FineLoop-Timestamp"], request["body"], headers["X-FineLoop-Signature"])
        assert headers["X-FineLoop-Event"] == delivery.event
    flagged = json.loads(receiver.on("/ok")[0]["body"])
    assert flagged["event"] == "output.flagged" and flagged["data"]["flag"] == flag.pk and flagged["data"]["reason"] == "wrong"
    assert "the trip was grim" not in receiver.on("/ok")[0]["body"].decode()  # ids and decisions, never the user's text
    accepted = json.loads(receiver.on("/ok")[1]["body"])
    assert accepted["data"] == {**accepted["data"], "task": task.pk, "annotator": annotator.username, "reviewer": reviewer.username}


def test_a_url_that_answers_500_is_retried_three_times_with_growing_waits_then_failed(celery_worker, receiver):
    staff = UserFactory(is_staff=True)
    webhooks.webhook_create(user=staff, url=f"{receiver.url}/broken", events=["snapshot.frozen"])
    webhooks.webhook_create(user=staff, url=f"{receiver.url}/flaky", events=["snapshot.frozen"])

    webhooks.event_publish(event="snapshot.frozen", data={"snapshot": 1, "kind": KIND})

    broken, flaky = sorted(wait_settled(2), key=lambda d: d.webhook.url.endswith("/flaky"))
    assert (broken.status, broken.attempts, broken.status_code) == ("failed", 4, 500)
    assert [a["status_code"] for a in broken.log] == [500, 500, 500, 500] and "HTTP 500: boom" in broken.error
    assert (flaky.status, flaky.attempts, flaky.status_code) == ("succeeded", 3, 200)
    arrivals = [r["at"] for r in receiver.on("/broken")]
    waits = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert len(arrivals) == 4  # bounded: 1 attempt + 3 retries, no more
    assert waits[0] >= 0.45 and waits[1] >= 0.95 and waits[2] >= 1.95  # backoff 0.5, 1, 2 s under the test settings
    assert len({r["headers"]["X-FineLoop-Delivery"] for r in receiver.on("/broken")}) == 1  # one delivery, retried


def test_a_url_that_never_answers_times_out_and_is_recorded(celery_worker, receiver):
    webhooks.webhook_create(user=UserFactory(is_staff=True), url=f"{receiver.url}/slow", events=["run.finished"])

    webhooks.event_publish(event="run.finished", data={"run": 1})

    (delivery,) = wait_settled(1, timeout=90)
    assert (delivery.status, delivery.attempts, delivery.status_code) == ("failed", 4, None)
    assert all(a["error"] == "no answer within 1 s" for a in delivery.log)


@pytest.mark.django_db
class TestHooks:
    def test_only_staff_register_hooks_and_bad_urls_or_events_are_refused(self):
        with pytest.raises(PermissionDenied):
            webhooks.webhook_create(user=UserFactory(role="reviewer"), url="https://example.org/hook", events=["run.finished"])
        staff = UserFactory(is_staff=True)
        with pytest.raises(ValidationError, match="http:// or https://"):
            webhooks.webhook_create(user=staff, url="ftp://example.org/hook", events=["run.finished"])
        with pytest.raises(ValidationError, match="unknown: run.started"):
            webhooks.webhook_create(user=staff, url="https://example.org/hook", events=["run.started"])

    def test_events_come_from_snapshots_promotions_and_rollbacks_of_the_model_runtime(self):
        from tests.testkinds.kinds import sentiment_examples
        from suite.ml.models import ModelVersion

        staff = UserFactory(is_staff=True)
        webhooks.webhook_create(user=staff, url="https://example.org/all", events=["snapshot.frozen", "version.promoted", "version.rolled_back"])
        paused = webhooks.webhook_create(user=staff, url="https://example.org/paused", events=["snapshot.frozen"])
        webhooks.webhook_set_active(user=staff, webhook=paused, active=False)

        snapshot = ml_services.snapshot_create(kind=KIND, examples=sentiment_examples(40), origin="test")
        version = ModelVersion.objects.create(kind=KIND, number=1, artifact_dir="nowhere", snapshot=snapshot)
        ml_services.alias_move(kind=KIND, alias="production", version=version, reason="promote", user=staff)
        ml_services.alias_move(kind=KIND, alias="production", version=None, reason="rollback", user=staff)

        rows = list(WebhookDelivery.objects.order_by("id").values_list("event", "webhook__url"))
        assert rows == [("snapshot.frozen", "https://example.org/all"), ("version.promoted", "https://example.org/all"),
                        ("version.rolled_back", "https://example.org/all")]
        promoted = WebhookDelivery.objects.get(event="version.promoted").payload["data"]
        assert (promoted["kind"], promoted["from_version"], promoted["to_version"]) == (KIND, None, 1)

    def test_the_webhooks_page_registers_a_hook_and_shows_the_delivery_log(self, client):
        staff = UserFactory(is_staff=True)
        client.force_login(staff)

        bad = client.post("/annotation/webhooks/", {"action": "create", "url": "not a url", "events": ["run.finished"]})
        assert bad.status_code == 400 and "Enter a valid URL" in bad.content.decode()
        response = client.post("/annotation/webhooks/", {"action": "create", "url": "https://example.org/hook", "events": ["run.finished"]}, follow=True)
        assert "signing secret" in response.content.decode()
        webhooks.event_publish(event="run.finished", data={"run": 3})
        WebhookDelivery.objects.update(status="failed", attempts=4, status_code=500, error="HTTP 500: boom",
                                       log=[{"status_code": 500}] * 4)
        page = client.get("/annotation/webhooks/").content.decode()
        assert "run.finished" in page and "500, 500, 500, 500" in page and "HTTP 500: boom" in page
        client.force_login(UserFactory(role="reviewer"))
        assert client.get("/annotation/webhooks/").status_code == 403
