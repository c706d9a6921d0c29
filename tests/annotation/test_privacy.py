"""Health conversations reach annotators masked; only staff see the original, and every such view is audited."""
import pytest

from annotation import privacy, selectors
from annotation.models import AnnotationProject, AnnotationTask, AuditEntry
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
    assert (entry.user, entry.action, entry.task_id) == (staff, privacy.UNMASKED_VIEW, task_id)


def test_an_annotator_cannot_ask_for_the_original():
    task_id = flagged_health_task(UserFactory(role="patient"))

    response = api_client_for(UserFactory(role="annotator")).get(f"/api/annotation/tasks/{task_id}/?unmasked=1")

    assert response.status_code == 403
    assert AuditEntry.objects.count() == 0


# --- one privacy module: nested values, resumes, exports, one audit name ---------------------------

PREFERENCE_INPUT = {
    "prompt": "Which reply is better for the patient?",
    "options": [
        "Dear Rhiannon Pryce, we will ring 07700 900461 tomorrow.",
        {"text": "Reply to rhiannon.pryce@example.org, SSN 219-09-9999", "meta": {"note": "Seen by Tomasz Wierzbicki"}},
    ],
}


def personal_task(owner, *, input, feedback_type="preference", kind="tests.health_intent"):
    project, _ = AnnotationProject.objects.get_or_create(kind=kind, defaults={"name": kind})
    return AnnotationTask.objects.create(
        project=project, kind=kind, feedback_type=feedback_type, input=input, personal=True, subject_owner=owner,
        source=AnnotationTask.Source.IMPORT,
    )


def test_a_preference_items_options_are_masked_at_every_depth():
    owner = UserFactory(role="patient")
    task = personal_task(owner, input=PREFERENCE_INPUT)

    shown = api_client_for(UserFactory(is_staff=True)).get(f"/api/annotation/tasks/{task.pk}/").json()["input"]

    flat = str(shown)
    for secret in ("Rhiannon", "Pryce", "07700", "900461", "rhiannon.pryce", "219-09-9999", "Tomasz", "Wierzbicki"):
        assert secret not in flat
    assert shown["prompt"] == PREFERENCE_INPUT["prompt"]
    assert shown["options"][1]["meta"]["note"].startswith("Seen by [NAME")
    assert selectors.task_input_for(task=task, user=owner) == PREFERENCE_INPUT  # the owner sees the original


def test_an_export_shows_no_identifier_of_a_personal_task():
    owner = UserFactory(role="patient")
    personal_task(owner, input=PREFERENCE_INPUT)

    rows = list(selectors.export_rows(kind="tests.health_intent", scope="all", user=UserFactory(is_staff=True)))

    assert rows and "Rhiannon" not in str(rows) and "219-09-9999" not in str(rows)


def test_resume_text_reaches_annotators_masked_with_offsets_that_still_fit():
    from resumes.ml import ResumeEntitiesKind

    text = "Bronagh Ní Bhriain\nbronagh.nb@example.ie | +353 86 555 0199\nStaff nurse, Galway, 2019 - 2024"
    owner = UserFactory(role="candidate")
    assert ResumeEntitiesKind.personal_data is True
    task = personal_task(owner, input=text, feedback_type="spans", kind="resumes.ner")

    shown = selectors.task_input_for(task=task, user=UserFactory(role="annotator"))

    assert len(shown) == len(text)
    for secret in ("Bronagh", "Bhriain", "bronagh.nb", "555 0199", "Galway"):
        assert secret not in shown
    assert shown[text.index("Staff nurse") :].startswith("Staff nurse")


def test_every_unmasked_view_is_audited_under_one_action_name():
    entry = privacy.audit_unmasked_view(user=UserFactory(is_staff=True), what="conversation 7")

    assert entry.action == privacy.UNMASKED_VIEW == "personal.view_unmasked"
    assert privacy.UNMASKED_VIEW not in privacy.LEGACY_UNMASKED_VIEWS


def test_mask_value_leaves_numbers_and_structure_alone():
    value = {"score": 0.5, "ok": True, "none": None, "texts": ["Call 07700 900461", 3]}

    masked = privacy.mask_value(value)

    assert masked == {"score": 0.5, "ok": True, "none": None, "texts": ["Call [PHONE]", 3]}
