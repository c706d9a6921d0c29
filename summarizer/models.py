"""Uploaded documents and what the pipeline made of them."""
import datetime

from django.conf import settings
from django.db import models

from suite import jobs

# Longer than the processing task's hard time limit: a document processing this long without progress lost its worker.
STALE_AFTER = datetime.timedelta(minutes=20)


class Document(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded"
        PROCESSING = "processing"
        DONE = "done"
        FAILED = "failed"

    class DocType(models.TextChoices):
        AUTO = "auto"
        CONTRACT = "contract"
        PAPER = "paper"
        OTHER = "other"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    file_type = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.FloatField(default=0.0)
    failure_code = models.CharField(max_length=40, blank=True)
    failure_reason = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=255, blank=True, help_text="the worker processing it (Celery node name)")
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="times a worker took it since upload or retry")
    queued_at = models.DateTimeField(null=True, blank=True)
    requested_type = models.CharField(max_length=10, choices=DocType.choices, default=DocType.AUTO)
    requested_sentences = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    pages = models.JSONField(default=list, blank=True)
    doc_type = models.CharField(max_length=10, blank=True)
    result = models.JSONField(default=dict, blank=True)
    model_versions = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return self.original_name

    @property
    def page_count(self) -> int:
        return len(self.pages or [])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.UPLOADED or (self.status == self.Status.PROCESSING and not self.is_stale)

    @property
    def is_stale(self) -> bool:
        """Processing with no sign of life for longer than a task may run: its worker died."""
        return DOCUMENTS.is_stale(self)


# Progress writes refresh updated_at, so it is the document's heartbeat.
DOCUMENTS = jobs.register(jobs.Lifecycle(
    Document, task="summarizer.tasks.document_process", queued=Document.Status.UPLOADED,
    running=Document.Status.PROCESSING, failed=Document.Status.FAILED, stale_after=STALE_AFTER,
    heartbeat_field="updated_at",
    claim_fields=lambda now: {"stage": "extracting", "progress": 0.05},
    requeue_fields=lambda now: {"stage": "queued", "progress": 0.0, "updated_at": now},
    fail_fields=lambda now: {"stage": "failed", "progress": 0.0, "updated_at": now},
    retry_hint="Retry it, or delete the document: a file that stops the worker every time may be too large or damaged.",
))


class DocumentOutput(models.Model):
    """A model output shown on a document's page, by role (the summary, the doc type, one key term)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="outputs")
    output = models.ForeignKey("ml.ModelOutput", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20)  # summary, doctype, key_term, correction
    category = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
