"""Malformed input never becomes a 500; sign-in guessing is locked out; deployment headers and answers (issue 15)."""
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import api_client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ROOT = settings.BASE_DIR


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def post_raw(client, path, body: str):
    return client.post(path, data=body.encode("utf-8", "surrogatepass"), content_type="application/json")


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()["error"]) == {"code", "message", "fields"}


# --- 0 HTTP 500s from any body ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/auth/signup/", "/api/auth/token/"])
def test_deeply_nested_json_is_a_400_on_sign_up_and_token(path):
    response = post_raw(Client(), path, '{"username": ' + nested(100_000) + "}")

    assert_json_error(response, 400)
    assert "nested" in response.json()["error"]["message"]


def test_deeply_nested_json_is_a_400_for_a_signed_in_user_too():
    client = api_client_for(UserFactory(role="patient"))

    response = client.post("/api/chatbot/conversations/", data=nested(5000), content_type="application/json")

    assert_json_error(response, 400)


def test_a_lone_surrogate_in_a_choice_field_is_a_400():
    body = '{"username": "ada", "password": "a-long-unusual-passphrase", "role": "\\ud800"}'

    response = post_raw(Client(), "/api/auth/signup/", body)

    assert_json_error(response, 400)
    assert "Unicode" in response.json()["error"]["message"]


def test_an_output_id_of_ten_to_the_29_is_a_400():
    client = api_client_for(UserFactory(role="patient"))

    response = client.post("/api/annotation/flags/", data='{"output": 100000000000000000000000000000, "reason": "wrong"}',
                           content_type="application/json")

    assert_json_error(response, 400)


def test_an_id_of_ten_to_the_29_in_a_url_is_not_a_server_error():
    client = api_client_for(UserFactory(is_staff=True))

    api = client.get(f"/api/ml/runs/{10**29}/")
    page = Client()
    page.force_login(UserFactory(is_staff=True))
    html = page.get(f"/models/runs/{10**29}/")

    assert api.status_code in (400, 404)
    assert html.status_code in (400, 404)


def test_epochs_of_1e400_is_a_400():
    client = api_client_for(UserFactory(is_staff=True))

    response = client.post("/api/ml/runs/", data='{"kind": "tests.sentiment", "epochs": 1e400}', content_type="application/json")

    assert_json_error(response, 400)
    assert "out of range" in response.json()["error"]["message"]


def test_a_25_mb_body_gets_the_json_error_body():
    body = '{"text": "' + "x" * (25 * 1024 * 1024) + '"}'

    response = Client().post("/api/auth/token/", data=body, content_type="application/json")

    assert_json_error(response, 413)


# --- sign-in throttling -------------------------------------------------------------------------------


def wrong_logins(client, path, username, n, **extra):
    for _ in range(n):
        client.post(path, {"username": username, "password": "not-the-password"}, **extra)


def test_login_page_locks_an_account_after_ten_wrong_passwords():
    user = UserFactory(username="lena")
    client = Client()

    wrong_logins(client, "/login/", "lena", settings.AXES_FAILURE_LIMIT)
    response = client.post("/login/", {"username": "lena", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_admin_login_is_locked_like_the_login_page():
    UserFactory(username="root2", is_staff=True, is_superuser=True)
    client = Client()

    wrong_logins(client, "/admin/login/", "root2", settings.AXES_FAILURE_LIMIT)
    response = client.post("/admin/login/", {"username": "root2", "password": PASSWORD})

    assert response.status_code == 429


def test_token_endpoint_counts_with_the_login_page_and_answers_json():
    UserFactory(username="omar")
    client = Client()

    wrong_logins(client, "/login/", "omar", settings.AXES_FAILURE_LIMIT - 1)
    post_raw(client, "/api/auth/token/", json.dumps({"username": "omar", "password": "nope-nope"}))
    response = post_raw(client, "/api/auth/token/", json.dumps({"username": "omar", "password": PASSWORD}))

    assert_json_error(response, 429)
    assert response.json()["error"]["code"] == "locked_out"


def test_one_client_guessing_many_accounts_is_locked_out():
    UserFactory(username="target")
    client = Client()

    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": f"someone{i}", "password": "wrong-password"})
    response = client.post("/login/", {"username": "target", "password": PASSWORD})

    assert response.status_code == 429


def test_a_new_x_forwarded_for_per_request_does_not_reset_the_count():
    UserFactory(username="mika")
    client = Client()

    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": f"guess{i}", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    response = client.post("/login/", {"username": "mika", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_x_forwarded_for_is_believed_from_a_configured_proxy(settings):
    from suite.auth import client_ip

    class Req:
        META = {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.1.1.1"}

    settings.TRUSTED_PROXIES = ["10.1.1.1"]
    assert client_ip(Req) == "203.0.113.9"
    settings.TRUSTED_PROXIES = []
    assert client_ip(Req) == "10.1.1.1"


def test_an_expired_token_signs_nobody_in_and_a_new_one_is_issued(settings):
    user = UserFactory(username="tess")
    old = Token.objects.create(user=user)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(seconds=settings.API_TOKEN_TTL + 5))
    client = Client()

    refused = client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Token {old.key}")
    issued = post_raw(client, "/api/auth/token/", json.dumps({"username": "tess", "password": PASSWORD}))

    assert refused.status_code in (401, 403) and "expired" in refused.json()["error"]["message"]
    assert issued.status_code == 200 and issued.json()["token"] != old.key
    assert client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Token {issued.json()['token']}").status_code == 200


# --- deployment ---------------------------------------------------------------------------------------


def test_anonymous_healthz_says_up_or_down_only():
    body = Client().get("/healthz").json()

    assert set(body) == {"status"} and body["status"] in ("up", "down")


def test_staff_see_the_health_details():
    client = Client()
    client.force_login(UserFactory(is_staff=True))

    assert {"database", "broker", "worker"} <= set(client.get("/healthz").json())


def test_api_answers_and_signed_in_pages_are_not_stored():
    client = Client()
    client.force_login(UserFactory(role="patient"))

    for path in ("/", "/api/auth/me/", "/healthz"):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_check_deploy_is_clean_in_a_production_environment_set_by_environment_variables(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "suite.settings", "DEBUG": "0", "DEPLOY_HTTPS": "1",
           "SECRET_KEY": "x7" * 30 + "-production-only-key", "ALLOWED_HOSTS": "fineloop.example.org",
           "VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test settings, never in production

    proc = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout
