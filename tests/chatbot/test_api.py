"""The JSON API: chat turns, ownership (404 for anybody else), appointments with bad input, feedback, staff."""
from datetime import timedelta

import pytest
from django.utils import timezone

from annotation.models import AnnotationTask, Flag
from chatbot.models import Appointment, Message
from chatbot.services import conversation_start, message_send, profile_update
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tomorrow_at(hour):
    return (timezone.localtime() + timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_posting_a_message_returns_the_reply_in_the_command_shape(patient, starter_kb):
    conversation = conversation_start(user=patient)
    response = api_client_for(patient).post(f"/api/chatbot/conversations/{conversation.pk}/messages/", {"text": "What is metformin?"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {"conversation", "reply", "intent", "triage", "citations", "appointment", "model_versions"} <= set(body)
    assert body["citations"][0]["source_id"] == "starter-metformin" and body["triage"] == {"level": "none", "reasons": []}
    listed = api_client_for(patient).get(f"/api/chatbot/conversations/{conversation.pk}/messages/").json()["results"]
    assert [m["role"] for m in listed] == ["patient", "assistant"]


def test_an_empty_message_is_a_clear_400(patient):
    conversation = conversation_start(user=patient)
    response = api_client_for(patient).post(f"/api/chatbot/conversations/{conversation.pk}/messages/", {"text": ""}, format="json")
    assert response.status_code == 400 and response.json()["error"]["message"] == "text: Write a message first."


def test_another_patient_gets_404_for_conversation_messages_appointments_and_feedback(patient, cardiologist, starter_kb):
    conversation = conversation_start(user=patient)
    reply = message_send(user=patient, conversation=conversation, text="What is metformin?")
    appointment = Appointment.objects.create(patient=patient, provider=cardiologist, start=tomorrow_at(10), end=tomorrow_at(10) + timedelta(minutes=30))
    profile_update(user=patient, allergies=["penicillin"])
    intruder = api_client_for(UserFactory(role="patient"))
    for url in (f"/api/chatbot/conversations/{conversation.pk}/", f"/api/chatbot/conversations/{conversation.pk}/messages/",
                f"/api/chatbot/appointments/{appointment.pk}/", f"/api/chatbot/appointments/{appointment.pk}/ics/"):
        assert intruder.get(url).status_code == 404, url
    assert intruder.post(f"/api/chatbot/conversations/{conversation.pk}/messages/", {"text": "hi"}, format="json").status_code == 404
    assert intruder.post(f"/api/chatbot/appointments/{appointment.pk}/cancel/").status_code == 404
    assert intruder.post(f"/api/chatbot/messages/{reply.pk}/feedback/", {"helpful": False}, format="json").status_code == 404
    assert intruder.get("/api/chatbot/profile/").json()["allergies"] == []  # their own, empty profile
    assert intruder.get(f"/health/conversations/{conversation.pk}/").status_code in (302, 404)


def test_the_profile_is_edited_by_its_owner(patient):
    client = api_client_for(patient)
    response = client.put("/api/chatbot/profile/", {"age": 41, "allergies": ["penicillin"], "medications": ["warfarin"]}, format="json")
    assert response.status_code == 200 and response.json()["allergies"] == ["penicillin"]
    assert client.put("/api/chatbot/profile/", {"age": 400}, format="json").status_code == 400


def test_booking_cancelling_and_rescheduling_by_api_with_clear_errors(patient, cardiologist):
    client = api_client_for(patient)
    booked = client.post("/api/chatbot/appointments/", {"provider": cardiologist.pk, "start": tomorrow_at(10).isoformat()}, format="json")
    assert booked.status_code == 201
    pk = booked.json()["id"]
    ics = client.get(f"/api/chatbot/appointments/{pk}/ics/")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content and b"Dr Heart Lee" in ics.content
    moved = client.post(f"/api/chatbot/appointments/{pk}/reschedule/", {"start": tomorrow_at(11).isoformat()}, format="json")
    assert moved.status_code == 200 and moved.json()["start"].startswith(tomorrow_at(11).isoformat()[:16])
    new_pk = moved.json()["id"]
    assert client.post(f"/api/chatbot/appointments/{new_pk}/cancel/").status_code == 200
    again = client.post(f"/api/chatbot/appointments/{new_pk}/cancel/")
    assert again.status_code == 400 and "already cancelled" in again.json()["error"]["message"]
    past = client.post("/api/chatbot/appointments/", {"provider": cardiologist.pk, "start": (timezone.now() - timedelta(days=1)).isoformat()}, format="json")
    assert past.status_code == 400 and "in the past" in past.json()["error"]["message"]
    nobody = client.post("/api/chatbot/appointments/", {"provider": 99999, "start": tomorrow_at(10).isoformat()}, format="json")
    assert nobody.status_code == 400 and "No provider #99999" in nobody.json()["error"]["message"]
    off_grid = client.post("/api/chatbot/appointments/", {"provider": cardiologist.pk, "start": tomorrow_at(10).replace(minute=7).isoformat()}, format="json")
    assert off_grid.status_code == 400
    assert Appointment.objects.filter(status="booked").count() == 0


def test_free_slots_leave_out_booked_ones(patient, cardiologist):
    client = api_client_for(patient)
    day = tomorrow_at(10).date().isoformat()
    before = client.get(f"/api/chatbot/providers/{cardiologist.pk}/slots/?date={day}").json()
    client.post("/api/chatbot/appointments/", {"provider": cardiologist.pk, "start": tomorrow_at(10).isoformat()}, format="json")
    after = client.get(f"/api/chatbot/providers/{cardiologist.pk}/slots/?date={day}").json()
    assert len(before) == 16 and len(after) == 15 and tomorrow_at(10).isoformat()[:16] not in [s[:16] for s in after]


def test_thumbs_down_flags_the_replys_output_for_annotators(patient, starter_kb):
    conversation = conversation_start(user=patient)
    reply = message_send(user=patient, conversation=conversation, text="What are the side effects of amoxicillin?")
    response = api_client_for(patient).post(f"/api/chatbot/messages/{reply.pk}/feedback/", {"helpful": False, "comment": "too vague"}, format="json")
    assert response.status_code == 200 and response.json()["feedback"] == "down"
    flag = Flag.objects.get()
    assert flag.reason == "wrong" and flag.output_id == reply.output_id
    task = AnnotationTask.objects.get()
    assert task.feedback_type == "preference" and task.personal and task.prediction == {"chosen": 0}


def test_thumbs_up_is_kept_without_a_flag(patient, starter_kb):
    reply = message_send(user=patient, conversation=conversation_start(user=patient), text="What is metformin?")
    assert api_client_for(patient).post(f"/api/chatbot/messages/{reply.pk}/feedback/", {"helpful": True}, format="json").status_code == 200
    assert Message.objects.get(pk=reply.pk).feedback == "up" and not Flag.objects.exists()


def test_staff_inbox_reply_rating_and_preference_train_the_ranker(patient, staff, starter_kb):
    from annotation.selectors import accepted_examples
    from suite.ml.services import accepted_examples as all_examples

    conversation = conversation_start(user=patient)
    reply = message_send(user=patient, conversation=conversation, text="What are the side effects of amoxicillin?")
    message_send(user=patient, conversation=conversation, text="I want to talk to a person")
    client = api_client_for(staff)
    assert [c["id"] for c in client.get("/api/chatbot/inbox/").json()["results"]] == [conversation.pk]
    assert client.post(f"/api/chatbot/inbox/{conversation.pk}/reply/", {"text": "A nurse will call you."}, format="json").status_code == 201
    assert Message.objects.filter(conversation=conversation, role="staff").exists()
    assert client.post(f"/api/chatbot/messages/{reply.pk}/rating/", {"score": 6}, format="json").status_code == 400
    assert client.post(f"/api/chatbot/messages/{reply.pk}/rating/", {"score": 5}, format="json").status_code == 200
    assert client.post(f"/api/chatbot/messages/{reply.pk}/preference/", {"chosen": 1}, format="json").status_code == 201
    assert accepted_examples("chatbot.answer_ranker")[0]["target"] == 1  # the chosen option
    examples = all_examples(kind="chatbot.answer_ranker")
    targets = sorted(e["target"] for e in examples)
    assert targets == [0, 1, 1]  # chosen, not chosen, and the 5-star rating
    assert api_client_for(patient).get("/api/chatbot/inbox/").status_code == 403


def test_staff_rate_a_reply_from_the_inbox_page_and_an_unknown_message_is_not_found(patient, staff, starter_kb, client):
    from chatbot.models import ReplyRating

    reply = message_send(user=patient, conversation=conversation_start(user=patient), text="What is metformin?")
    client.force_login(staff)
    done = client.post(f"/health/messages/{reply.pk}/review/", {"score": "4"})
    assert done.status_code == 302 and ReplyRating.objects.get(message=reply).score == 4
    assert client.post("/health/messages/999999/review/", {"score": "4"}).status_code == 404
