"""Who may see and change what: ownership, roles, staff pages."""
import pytest

from tests.conftest import api_client_for
from tests.factories import ConversationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_patient_cannot_read_another_patients_conversation_over_the_api():
    mine, theirs = UserFactory(role="patient"), ConversationFactory()

    response = api_client_for(mine).get(f"/api/chatbot/conversations/{theirs.pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_patient_cannot_open_another_patients_conversation_page(client):
    theirs = ConversationFactory()
    client.force_login(UserFactory(role="patient"))

    response = client.get(f"/health/conversations/{theirs.pk}/")

    assert response.status_code == 404
    assert theirs.title.encode() not in response.content


def test_a_patient_lists_only_their_own_conversations():
    me = UserFactory(role="patient")
    own = ConversationFactory(owner=me)
    ConversationFactory()

    body = api_client_for(me).get("/api/chatbot/conversations/").json()

    assert body["count"] == 1
    assert [c["id"] for c in body["results"]] == [own.pk]


def test_the_owner_reads_their_conversation():
    conversation = ConversationFactory()

    response = api_client_for(conversation.owner).get(f"/api/chatbot/conversations/{conversation.pk}/")

    assert response.status_code == 200
    assert response.json()["title"] == conversation.title


@pytest.mark.parametrize("path", ["/", "/health/", "/documents/", "/careers/", "/staff/", "/models/"])
def test_an_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={path}")


def test_an_anonymous_api_call_gets_the_error_body(api_client):
    response = api_client.get("/api/chatbot/conversations/")

    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["/staff/", "/models/", "/annotation/"])
def test_a_non_staff_user_cannot_open_staff_pages(client, path):
    client.force_login(UserFactory(role="patient"))

    assert client.get(path).status_code == 403


def test_admin_is_closed_to_non_staff(client):
    client.force_login(UserFactory(role="lawyer"))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_open_staff_pages(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/staff/").status_code == 200
    assert client.get("/models/").status_code == 200
    assert client.get("/annotation/").status_code == 200


def test_a_lawyer_cannot_use_the_health_assistant(client):
    client.force_login(UserFactory(role="lawyer"))

    assert client.get("/health/").status_code == 403
    assert api_client_for(UserFactory(role="lawyer")).get("/api/chatbot/conversations/").status_code == 403


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("lawyer", ["documents"], ["health", "careers", "annotation", "models"]),
        ("researcher", ["documents"], ["health", "careers", "annotation"]),
        ("patient", ["health"], ["documents", "careers", "annotation"]),
        ("candidate", ["careers"], ["documents", "health", "annotation"]),
        ("annotator", ["annotation"], ["documents", "health", "careers", "models"]),
        ("reviewer", ["annotation"], ["documents", "health", "careers", "models"]),
    ],
)
def test_the_home_page_shows_each_role_what_it_can_do(client, role, shown, hidden):
    client.force_login(UserFactory(role=role))

    html = client.get("/").content.decode()

    for area in shown:
        assert f'data-area="{area}"' in html
    for area in hidden:
        assert f'data-area="{area}"' not in html


def test_staff_see_annotation_models_and_operations(client):
    client.force_login(UserFactory(is_staff=True))

    html = client.get("/").content.decode()

    for area in ("annotation", "models", "staff"):
        assert f'data-area="{area}"' in html
