from django.conf import settings
from django.db import models
from django.db.models import Q


class Conversation(models.Model):
    """A patient's conversation with the health assistant; personal, seen only by its owner."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    title = models.CharField(max_length=200)
    # Dialogue state between turns: the topic for follow-ups and a booking being filled in.
    state = models.JSONField(default=dict, blank=True)
    needs_person = models.BooleanField(default=False)
    handoff_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"]), models.Index(fields=["needs_person", "-handoff_at"])]

    def __str__(self):
        return self.title


class TriageLevel(models.TextChoices):
    NONE = "none", "None"
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"
    EMERGENCY = "emergency", "Emergency"


class Message(models.Model):
    """One turn: the patient's words, the assistant's reply or a staff member's answer."""

    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        ASSISTANT = "assistant", "Assistant"
        STAFF = "staff", "Staff"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Filled on assistant replies: what the reply was about and where it came from.
    intent = models.CharField(max_length=30, blank=True)
    triage_level = models.CharField(max_length=10, choices=TriageLevel.choices, blank=True)
    triage_reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    candidates = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    model_versions = models.JSONField(default=dict, blank=True)
    appointment = models.ForeignKey("Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    output = models.ForeignKey("ml.ModelOutput", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The patient's thumbs on an assistant reply: "up", "down" or empty.
    feedback = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.role}: {self.text[:40]}"

    @property
    def shown_text(self) -> str:
        """The reply without its warnings, which pages show apart as banners."""
        return "\n\n".join(p for p in self.text.split("\n\n") if p not in (self.warnings or []))


class Article(models.Model):
    """A knowledge-base article: the only thing the assistant answers from."""

    title = models.CharField(max_length=300)
    body = models.TextField()
    source = models.CharField(max_length=100)
    url = models.CharField(max_length=500, blank=True)
    source_id = models.CharField(max_length=100, unique=True)
    topic = models.CharField(max_length=300, blank=True)
    question_type = models.CharField(max_length=60, blank=True)
    # The question this article answers, where the source has one (MedQuAD): matched against patients' questions.
    question = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: every chat message reads MAX(updated_at) to see whether the knowledge base changed.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class PatientProfile(models.Model):
    """What the patient told us about themselves; read and changed by its owner only."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_profile")
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    medications = models.JSONField(default=list, blank=True)
    allergies = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class Provider(models.Model):
    """A clinician patients can book, with the weekly hours they see patients."""

    name = models.CharField(max_length=200, unique=True)
    specialty = models.CharField(max_length=100, db_index=True)
    # ISO weekdays (1 = Monday) and whole hours, local time.
    weekdays = models.JSONField(default=list)
    start_hour = models.PositiveSmallIntegerField(default=9)
    end_hour = models.PositiveSmallIntegerField(default=17)
    slot_minutes = models.PositiveSmallIntegerField(default=30)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["specialty", "name"]
        constraints = [models.CheckConstraint(condition=Q(start_hour__lt=models.F("end_hour")), name="provider_hours_ordered")]

    def __str__(self):
        return f"{self.name} ({self.specialty})"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            # Two patients can never hold one slot: the database refuses the second booking.
            models.UniqueConstraint(fields=["provider", "start"], condition=Q(status="booked"), name="one_booking_per_slot"),
        ]

    def __str__(self):
        return f"{self.provider.name} {self.start:%Y-%m-%d %H:%M}"


class ReplyRating(models.Model):
    """A staff member's 1-5 rating of an assistant reply."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "rater"], name="one_rating_per_rater"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_one_to_five"),
        ]
