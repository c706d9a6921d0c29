"""The API's accounts endpoints, its error body and its pagination."""
import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD, ConversationFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD = "a-long-unusual-passphrase"


def assert_error_body(response, status, code):
    assert response.status_code == status
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    assert error["message"]
    return error


def test_signup_over_the_api_returns_the_user_and_a_token(api_client):
    response = api_client.post("/api/auth/signup/", {"username": "ada", "password": GOOD, "role": "patient"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["roles"] == ["patient"]
    assert Token.objects.get(user__username="ada").key == body["token"]


def test_a_token_authenticates_api_calls(api_client):
    UserFactory(username="bob", role="patient")
    token = api_client.post("/api/auth/token/", {"username": "bob", "password": PASSWORD}, format="json").json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/auth/me/").json()

    assert me["username"] == "bob" and me["roles"] == ["patient"]


def test_malformed_json_gets_a_400_with_the_error_body(api_client):
    response = api_client.generic("POST", "/api/auth/signup/", '{"username": "ada", ', content_type="application/json")

    error = assert_error_body(response, 400, "parse_error")
    assert "JSON" in error["message"]
    assert User.objects.count() == 0


def test_missing_fields_are_named_in_the_error_body(api_client):
    response = api_client.post("/api/auth/signup/", {"username": "ada"}, format="json")

    error = assert_error_body(response, 400, "invalid")
    assert set(error["fields"]) == {"password", "role"}
    assert User.objects.count() == 0


def test_a_duplicate_user_name_is_refused_and_nothing_is_written(api_client):
    UserFactory(username="ada")

    response = api_client.post("/api/auth/signup/", {"username": "ADA", "password": GOOD, "role": "lawyer"}, format="json")

    error = assert_error_body(response, 400, "invalid")
    assert error["fields"]["username"] == ["A user with that username already exists."]
    assert User.objects.count() == 1


def test_a_weak_password_is_refused_over_the_api(api_client):
    response = api_client.post("/api/auth/signup/", {"username": "ada", "password": "12345", "role": "lawyer"}, format="json")

    error = assert_error_body(response, 400, "invalid")
    assert any("too short" in m for m in error["fields"]["password"])
    assert User.objects.count() == 0


def test_a_staff_role_cannot_be_chosen_at_sign_up(api_client):
    response = api_client.post("/api/auth/signup/", {"username": "ada", "password": GOOD, "role": "annotator"}, format="json")

    error = assert_error_body(response, 400, "invalid")
    assert "role" in error["fields"]
    assert User.objects.count() == 0


def test_wrong_credentials_for_a_token_get_a_clear_400(api_client):
    UserFactory(username="bob")

    response = api_client.post("/api/auth/token/", {"username": "bob", "password": "nope"}, format="json")

    error = assert_error_body(response, 400, "invalid")
    assert error["message"] == "Wrong user name or password."
    assert Token.objects.count() == 0


def test_an_unknown_api_path_is_a_json_404(api_client):
    assert_error_body(api_client.get("/api/no-such-thing/"), 404, "not_found")


def test_a_wrong_method_is_a_405_with_the_error_body(api_client):
    api_client.force_authenticate(UserFactory())

    assert_error_body(api_client.delete("/api/auth/me/"), 405, "method_not_allowed")


def test_lists_are_paginated(api_client):
    me = UserFactory(role="patient")
    ConversationFactory.create_batch(3, owner=me)
    api_client.force_authenticate(me)

    body = api_client.get("/api/chatbot/conversations/?page_size=2").json()

    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert len(api_client.get(body["next"]).json()["results"]) == 1


def test_an_out_of_range_page_is_a_404_with_the_error_body(api_client):
    api_client.force_authenticate(UserFactory(role="patient"))

    assert_error_body(api_client.get("/api/chatbot/conversations/?page=9"), 404, "not_found")
