"""Flags on model outputs, the tasks they open, annotations with the prediction they started from, reviews."""
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

from suite import jobs
from suite.ml.models import ModelOutput, ModelVersion

# The longest an export may run (its Celery time limit); preannotation gets the same.
EXPORT_TIME_LIMIT = 3600


class FeedbackType(models.TextChoices):
    CLASSIFICATION = "classification"
    SPANS = "spans"
    CORRECTION = "correction"
    PREFERENCE = "preference"
    RATING = "rating"


class AnnotationProject(models.Model):
    """A queue of items of one kind, with how many annotators label each item."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=100, db_index=True)
    overlap = models.PositiveSmallIntegerField(default=1, help_text="annotators per item, for agreement")
    instructions = models.TextField(blank=True)
    # Blind annotation: a later annotator of an item sees neither earlier answers nor how many there were.
    blind = models.BooleanField(default=False, help_text="hide earlier answers from later annotators")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="annotation_project_name_per_kind")]

    def __str__(self):
        return f"{self.name} ({self.kind})"


class AnnotationTask(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"  # waiting for annotators
        IN_REVIEW = "in_review"  # enough annotations; a reviewer decides
        ACCEPTED = "accepted"  # an accepted annotation is training data
        REJECTED = "rejected"

    class Source(models.TextChoices):
        FLAG = "flag"
        IMPORT = "import"

    project = models.ForeignKey(AnnotationProject, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=100, db_index=True)
    feedback_type = models.CharField(max_length=20, choices=FeedbackType.choices)
    output = models.OneToOneField(ModelOutput, null=True, blank=True, on_delete=models.CASCADE, related_name="annotation_task")
    input = models.JSONField()
    group = models.CharField(max_length=200, blank=True, help_text="source document, conversation or resume")
    # AI pre-annotation: what the serving model said, which version said it, how sure it was.
    prediction = models.JSONField(null=True, blank=True)
    prediction_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    prediction_score = models.FloatField(null=True, blank=True)
    # A pre-annotation imported from another tool names its model as that tool did (Label Studio's model_version).
    prediction_model = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=200, blank=True, help_text="the item's id in the tool it came from")
    personal = models.BooleanField(default=False, help_text="health data: annotators see it masked")
    subject_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    flag_count = models.PositiveIntegerField(default=0)
    # Annotators holding (or done with) this item, skips excluded; kept by the queue services, read by the queue.
    assigned_count = models.PositiveIntegerField(default=0)
    # Queue order after flags: least confident first; an item with no score counts as the least confident.
    confidence = models.GeneratedField(
        expression=Coalesce("prediction_score", Value(0.0)), output_field=models.FloatField(), db_persist=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    QUEUE_ORDER = ("-flag_count", "confidence", "created_at", "id")

    class Meta:
        ordering = ["-flag_count", "confidence", "created_at", "id"]
        indexes = [
            # The queue reads open items of a kind in exactly this order and stops after a few.
            models.Index(fields=["status", "kind", "-flag_count", "confidence", "created_at", "id"], name="annotation_queue_idx"),
        ]

    def __str__(self):
        return f"{self.kind} task #{self.pk} ({self.status})"

    @property
    def hides_suggestion(self) -> bool:
        """A blind project's item whose suggestion is an imported person's answer (no model named): later annotators
        must not see it."""
        return self.project.blind and self.source == self.Source.IMPORT and self.prediction_version_id is None and not self.prediction_model


class Flag(models.Model):
    class Reason(models.TextChoices):
        WRONG = "wrong"
        UNSAFE = "unsafe"
        INCOMPLETE = "incomplete"
        OTHER = "other"

    output = models.ForeignKey(ModelOutput, on_delete=models.CASCADE, related_name="flags")
    task = models.ForeignKey(AnnotationTask, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    comment = models.TextField(blank=True)
    correction = models.JSONField(null=True, blank=True, help_text="the flagger's own answer, if they gave one")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class Assignment(models.Model):
    """An item served to an annotator; one per pair, so nobody gets the same item twice."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned"
        SUBMITTED = "submitted"
        SKIPPED = "skipped"

    task = models.ForeignKey(AnnotationTask, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    skip_reason = models.CharField(max_length=500, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "annotator"], name="annotation_one_assignment_per_annotator")]
        indexes = [models.Index(fields=["annotator", "status"])]


class Annotation(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted"
        ACCEPTED = "accepted"
        REJECTED = "rejected"

    task = models.ForeignKey(AnnotationTask, on_delete=models.CASCADE, related_name="annotations")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations")
    # Who answered in the tool an import came from (Label Studio's completed_by), when nobody here did.
    external_annotator = models.CharField(max_length=200, blank=True)
    result = models.JSONField()
    parent_prediction = models.JSONField(null=True, blank=True, help_text="the pre-annotation it started from")
    changed = models.BooleanField(default=True, help_text="differs from the pre-annotation")
    seconds_spent = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    adjudicated = models.BooleanField(default=False, help_text="written by a reviewer deciding between annotators")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="accepted"), name="annotation_one_accepted_per_task"
            ),
        ]


class AuditEntry(models.Model):
    """Who looked at which unmasked personal record, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=50)
    task = models.ForeignKey(AnnotationTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]


class ExportJob(models.Model):
    """One export of a kind's annotations to a file to download, built by a Celery job."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    class Scope(models.TextChoices):
        ACCEPTED = "accepted"  # accepted annotations: training data
        ALL = "all"  # every task, with its accepted annotation where there is one

    kind = models.CharField(max_length=100, db_index=True)
    format = models.CharField(max_length=50)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ACCEPTED)
    options = models.JSONField(default=dict, blank=True, help_text="format options, e.g. {'style': 'messages'}")
    filters = models.JSONField(default=dict, blank=True, help_text="which rows: {'status', 'annotator', 'since', 'until', 'label'}")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="exports/", max_length=500, blank=True)
    rows = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The job lifecycle (suite/jobs.py): which worker builds it, its last sign of life, how often it was taken.
    claimed_by = models.CharField(max_length=255, blank=True, help_text="the worker building it (Celery node name)")
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="times a worker took it")
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.format} export of {self.kind} #{self.pk} ({self.status})"


# A building export beats from a thread every few seconds, so ten silent minutes mean its worker is gone.
EXPORTS = jobs.register(jobs.Lifecycle(
    ExportJob, task="annotation.tasks.export_build", queued=ExportJob.Status.QUEUED, running=ExportJob.Status.RUNNING,
    failed=ExportJob.Status.FAILED, stale_after=timedelta(minutes=10), reason_field="error", code_field=None,
    fail_fields=lambda now: {"finished_at": now}, retry_hint="Start the export again.",
))


class WebhookEvent(models.TextChoices):
    OUTPUT_FLAGGED = "output.flagged"
    ANNOTATION_ACCEPTED = "annotation.accepted"
    ANNOTATION_REJECTED = "annotation.rejected"
    SNAPSHOT_FROZEN = "snapshot.frozen"
    RUN_FINISHED = "run.finished"
    VERSION_PROMOTED = "version.promoted"
    VERSION_ROLLED_BACK = "version.rolled_back"


class Webhook(models.Model):
    """An outside URL told about events; each payload is signed with the hook's own secret."""

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="event names; see WebhookEvent")
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one hook, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending"  # queued or between retries
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # retries used up

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=50, db_index=True)
    event_id = models.CharField(max_length=40, db_index=True)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # Every attempt: {"at", "status_code", "error", "seconds"}, so the page shows the retries, not only the last.
    log = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
