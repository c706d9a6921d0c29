"""Two patients booking one slot at the same moment: the database lets exactly one win."""
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from chatbot.models import Appointment
from chatbot.services import appointment_book
from tests.factories import ProviderFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_one_slot_one_wins_the_other_is_told():
    provider = ProviderFactory()
    patients = [UserFactory(role="patient"), UserFactory(role="patient")]
    start = (timezone.localtime() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    barrier, results = threading.Barrier(2), {}

    def book(patient):
        try:
            barrier.wait()
            appointment_book(patient=patient, provider=provider, start=start)
            results[patient.pk] = "booked"
        except ValidationError as exc:
            results[patient.pk] = " ".join(exc.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(p,)) for p in patients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["That slot was just booked by someone else. Please choose another time.", "booked"]
    assert Appointment.objects.filter(provider=provider, start=start, status="booked").count() == 1


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_booking_of_a_slot():
    from django.db import IntegrityError, transaction

    provider = ProviderFactory()
    start = timezone.now() + timedelta(days=3)
    Appointment.objects.create(patient=UserFactory(), provider=provider, start=start, end=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(patient=UserFactory(), provider=provider, start=start, end=start)
    Appointment.objects.filter(provider=provider).update(status="cancelled")
    Appointment.objects.create(patient=UserFactory(), provider=provider, start=start, end=start)  # a cancelled slot is free again


@pytest.mark.django_db(transaction=True)
def test_two_patients_confirming_one_slot_by_chat_at_once_one_is_booked_the_other_told_and_offered_another():
    from chatbot.services import conversation_start, message_send

    ProviderFactory(name="Dr Heart Lee", specialty="Cardiology")
    patients = [UserFactory(role="patient"), UserFactory(role="patient")]
    chats = [conversation_start(user=p) for p in patients]
    for patient, chat in zip(patients, chats):
        assert "at 10:00" in message_send(user=patient, conversation=chat, text="Book Dr Heart Lee tomorrow at 10:00").text
    barrier, replies = threading.Barrier(2), {}

    def confirm(patient, chat):
        try:
            barrier.wait()
            replies[patient.pk] = message_send(user=patient, conversation=chat, text="yes").text
        finally:
            connection.close()  # each thread had its own connection: a real second client of the database

    threads = [threading.Thread(target=confirm, args=pair) for pair in zip(patients, chats)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [pk for pk, text in replies.items() if text.startswith("Booked: Dr Heart Lee")]
    lost = [text for pk, text in replies.items() if pk not in won]
    assert len(won) == 1 and len(lost) == 1, replies
    assert "That slot was just booked by someone else" in lost[0] and "Nothing was changed" in lost[0]
    assert "Please answer yes or no" in lost[0]  # the next free slot is offered at once
    start = Appointment.objects.get(status="booked").start
    assert Appointment.objects.filter(start=start, status="booked").count() == 1
    assert Appointment.objects.get(status="booked").patient_id == won[0]
