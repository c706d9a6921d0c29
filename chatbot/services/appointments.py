"""Appointments: free slots from providers' hours, bookings the database keeps unique, cancel, reschedule, .ics."""
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from chatbot.models import Appointment, Provider

SLOT_TAKEN = "That slot was just booked by someone else. Please choose another time."


def _local(dt: datetime) -> datetime:
    return timezone.localtime(dt) if timezone.is_aware(dt) else timezone.make_aware(dt)


def slot_starts(provider: Provider, day: date) -> list[datetime]:
    """Every slot of the provider's working hours on that day, booked or not."""
    if day.isoweekday() not in provider.weekdays:
        return []
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=provider.start_hour))
    end = start.replace(hour=provider.end_hour)
    step = timedelta(minutes=provider.slot_minutes)
    out = []
    while start + step <= end:
        out.append(start)
        start += step
    return out


def slots_free(*, provider: Provider, day: date, now: datetime | None = None) -> list[datetime]:
    """The slots of that day still free and still ahead."""
    now = now or timezone.now()
    taken = set(Appointment.objects.filter(provider=provider, status=Appointment.Status.BOOKED, start__date=day).values_list("start", flat=True))
    return [s for s in slot_starts(provider, day) if s > now and s not in taken]


def _check_slot(provider: Provider, start: datetime) -> datetime:
    if not provider.active:
        raise ValidationError({"provider": [f"{provider.name} is not taking appointments."]})
    start = _local(start)
    if start <= timezone.now():
        raise ValidationError({"start": ["That time is in the past. Choose a time from now on."]})
    if start not in slot_starts(provider, start.date()):
        days = ", ".join(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d - 1] for d in sorted(provider.weekdays))
        raise ValidationError({"start": [
            f"{provider.name} sees patients {days}, {provider.start_hour:02d}:00-{provider.end_hour:02d}:00, "
            f"in {provider.slot_minutes}-minute slots; {start:%a %d %b %H:%M} is not one of them."
        ]})
    return start


def appointment_book(*, patient, provider: Provider, start: datetime, reason: str = "") -> Appointment:
    """Book a free slot. The partial unique constraint decides between two patients booking it at once."""
    start = _check_slot(provider, start)
    if Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start=start).exists():
        raise ValidationError({"start": ["You already have an appointment at that time."]})
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                patient=patient, provider=provider, start=start, end=start + timedelta(minutes=provider.slot_minutes), reason=reason[:300]
            )
    except IntegrityError:
        raise ValidationError({"start": [SLOT_TAKEN]}) from None


def appointment_cancel(*, appointment: Appointment, user) -> Appointment:
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk, patient=user)
        if appointment.status == Appointment.Status.CANCELLED:
            raise ValidationError({"appointment": ["This appointment is already cancelled."]})
        if appointment.start <= timezone.now():
            raise ValidationError({"appointment": ["This appointment has already started or passed; it cannot be cancelled."]})
        appointment.status, appointment.cancelled_at = Appointment.Status.CANCELLED, timezone.now()
        appointment.save(update_fields=["status", "cancelled_at"])
    return appointment


def appointment_reschedule(*, appointment: Appointment, user, start: datetime) -> Appointment:
    """Move to a new slot of the same provider: the new booking and the cancellation stand or fall together."""
    with transaction.atomic():
        old = Appointment.objects.select_for_update().get(pk=appointment.pk, patient=user)
        if old.status != Appointment.Status.BOOKED:
            raise ValidationError({"appointment": ["This appointment is cancelled; book a new one instead."]})
        if _local(start) == old.start:
            raise ValidationError({"start": ["That is the time the appointment already has."]})
        old.status, old.cancelled_at = Appointment.Status.CANCELLED, timezone.now()
        old.save(update_fields=["status", "cancelled_at"])
        return appointment_book(patient=user, provider=old.provider, start=start, reason=old.reason)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def appointment_ics(*, appointment: Appointment) -> str:
    """The booking as an iCalendar file (RFC 5545), times in UTC."""
    fmt = "%Y%m%dT%H%M%SZ"
    utc = dt_timezone.utc
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//FineLoop//Health assistant//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        "BEGIN:VEVENT", f"UID:appointment-{appointment.pk}@fineloop",
        f"DTSTAMP:{appointment.created_at.astimezone(utc).strftime(fmt)}",
        f"DTSTART:{appointment.start.astimezone(utc).strftime(fmt)}", f"DTEND:{appointment.end.astimezone(utc).strftime(fmt)}",
        f"SUMMARY:{_ics_text(f'Appointment with {appointment.provider.name} ({appointment.provider.specialty})')}",
        f"DESCRIPTION:{_ics_text(appointment.reason or 'Booked with the FineLoop health assistant')}",
        f"STATUS:{'CANCELLED' if appointment.status == Appointment.Status.CANCELLED else 'CONFIRMED'}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
