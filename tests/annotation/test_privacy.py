"""Health conversations reach annotators masked; only staff see the original, and every such view is audited."""
import pytest

from annotation.models import AuditEntry
from tests.annotation.test_loop import shown_output
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MESSAGE = "Hi, I'm Maria Lopez, DOB 03/14/1985. Please call me at (555) 123-4567 about an appointment."


def flagged_health_task(patient):
    output = shown_output(patient, MESSAGE, kind="tests.health_intent")
    return api_client_for(patient).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json").json()["task"]


def test_an_annotator_sees_no_name_phone_or_date_of_birth():
    flagged_health_task(UserFactory(role="patient", first_name="Maria", last_name="Lopez"))

    task = api_client_for(UserFactory(role="annotator")).get("/api/annotation/tasks/next/").json()

    assert task["personal"] is True
    for secret in ("Maria", "Lopez", "03/14/1985", "555", "123-4567"):
        assert secret not in task["input"]
    assert "[NAME" in task["input"] and "[DOB]" in task["input"] and "[PHONE]" in task["input"]
    assert "appointment" in task["input"]  # what the annotator needs to judge stays


def test_staff_can_open_the_original_and_the_view_is_audited():
    task_id = flagged_health_task(UserFactory(role="patient"))
    staff = UserFactory(is_staff=True)
    client = api_client_for(staff)

    masked = client.get(f"/api/annotation/tasks/{task_id}/").json()
    assert "(555) 123-4567" not in masked["input"]
    assert AuditEntry.objects.count() == 0

    original = client.get(f"/api/annotation/tasks/{task_id}/?unmasked=1").json()

    assert original["input"] == MESSAGE
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.task_id) == (staff, "view_unmasked", task_id)


def test_an_annotator_cannot_ask_for_the_original():
    task_id = flagged_health_task(UserFactory(role="patient"))

    response = api_client_for(UserFactory(role="annotator")).get(f"/api/annotation/tasks/{task_id}/?unmasked=1")

    assert response.status_code == 403
    assert AuditEntry.objects.count() == 0
