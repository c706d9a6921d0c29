"""The model runtime's rows: frozen datasets, training runs, immutable versions, aliases, outputs."""
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from suite import jobs


class DatasetSnapshot(models.Model):
    """The accepted examples of a kind, frozen into a file with each example's split."""

    kind = models.CharField(max_length=100, db_index=True)
    examples_file = models.CharField(max_length=500, help_text="JSONL under MODEL_ROOT/snapshots/")
    size = models.PositiveIntegerField()
    split_counts = models.JSONField(default=dict)
    label_counts = models.JSONField(default=dict)
    seed = models.PositiveIntegerField(default=13)
    content_hash = models.CharField(max_length=64, db_index=True)
    origin = models.CharField(max_length=200, help_text="where the examples came from: annotations, an import")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} snapshot #{self.pk} ({self.size} examples)"


class TrainingRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        CANCELLED = "cancelled"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    class Strategy(models.TextChoices):
        FULL = "full", "Full fine-tuning (every layer)"
        LAYERWISE = "layerwise", "Layer-wise (embeddings and bottom layers frozen)"
        FEATURE = "feature", "Feature-based (frozen encoder, trained head)"
        LORA = "lora", "LoRA adapters"
        SPARSE = "sparse", "Linear model on word n-grams (no encoder)"
        CRF = "crf", "Conditional random field on token features (no encoder)"

    kind = models.CharField(max_length=100, db_index=True)
    snapshot = models.ForeignKey(DatasetSnapshot, on_delete=models.PROTECT, related_name="runs")
    strategy = models.CharField(max_length=20, choices=Strategy.choices)
    hyperparameters = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    stage = models.CharField(max_length=200, blank=True)
    epochs = models.JSONField(default=list, help_text="per epoch: train loss and validation metrics")
    best_epoch = models.PositiveIntegerField(null=True, blank=True)
    test_metrics = models.JSONField(default=dict, blank=True)
    baseline_metrics = models.JSONField(default=dict, blank=True, help_text="the serving model on the same test split")
    gate = models.JSONField(default=dict, blank=True, help_text="promotion decision with both numbers")
    phases = models.JSONField(default=list, blank=True, help_text="each phase the run went through: name and start time")
    error = models.TextField(blank=True)
    celery_task_id = models.CharField(max_length=255, blank=True)
    worker = models.CharField(max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="times a worker took it")
    queued_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    cancel_requested = models.BooleanField(default=False)
    restarted_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Single flight: at most one queued or running run per kind, enforced by the database.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status__in=["queued", "running"]), name="ml_one_active_run_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.kind} run #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


def _run_task(run: TrainingRun) -> str:
    from suite.ml import kinds

    generative = kinds.get_kind(run.kind).task.generative
    return "suite.ml.tasks.generative_training_run_execute" if generative else "suite.ml.tasks.training_run_execute"


# A run whose worker died is failed, not replayed blindly (max_attempts=1): staff restart it from the run page.
RUNS = jobs.register(jobs.Lifecycle(
    TrainingRun, task=_run_task, queued=TrainingRun.Status.QUEUED, running=TrainingRun.Status.RUNNING,
    failed=TrainingRun.Status.FAILED, stale_after=timedelta(seconds=settings.ML_RUN_HEARTBEAT_TIMEOUT), max_attempts=1,
    worker_field="worker", claimed_at_field="started_at", reason_field="error", code_field=None,
    claim_fields=lambda now: {"stage": "starting"}, fail_fields=lambda now: {"stage": "failed", "finished_at": now},
    retry_hint="Restart the run to try again.",
))


class ModelVersion(models.Model):
    """An immutable trained model: its artifact folder never changes once written."""

    kind = models.CharField(max_length=100, db_index=True)
    number = models.PositiveIntegerField()
    artifact_dir = models.CharField(max_length=500, help_text="relative to MODEL_ROOT")
    strategy = models.CharField(max_length=20, blank=True)
    metrics = models.JSONField(default=dict, help_text="per split")
    snapshot = models.ForeignKey(DatasetSnapshot, null=True, blank=True, on_delete=models.PROTECT)
    snapshot_hash = models.CharField(max_length=64, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    training_run = models.OneToOneField(
        TrainingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="version"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="ml_version_number_per_kind")]

    def __str__(self):
        return f"{self.kind} v{self.number}"

    @property
    def artifact_path(self):
        return settings.MODEL_ROOT / self.artifact_dir


class ModelAlias(models.Model):
    class Name(models.TextChoices):
        PRODUCTION = "production"
        CANDIDATE = "candidate"

    kind = models.CharField(max_length=100)
    name = models.CharField(max_length=20, choices=Name.choices)
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="aliases")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="ml_one_alias_per_kind")]

    def __str__(self):
        return f"{self.kind}@{self.name} -> v{self.version.number}"


class AliasMove(models.Model):
    """Every move of an alias: by a gate, a promotion or a rollback, and by whom."""

    class Reason(models.TextChoices):
        GATE = "gate"
        PROMOTE = "promote"
        ROLLBACK = "rollback"

    kind = models.CharField(max_length=100, db_index=True)
    alias = models.CharField(max_length=20, choices=ModelAlias.Name.choices)
    # None on either side is the untrained default.
    from_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    forced = models.BooleanField(default=False, help_text="promoted although it scored below what it replaced")
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_at", "-id"]


class GoldenSet(models.Model):
    """Examples of a kind every candidate must keep getting right: frozen from the first snapshot, grown by staff."""

    kind = models.CharField(max_length=100, unique=True)
    examples = models.JSONField(default=list)
    frozen_from = models.ForeignKey(DatasetSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.kind} golden set ({len(self.examples)} examples)"


class ModelOutput(models.Model):
    """An output a person saw: what produced it, from what, how fast, for whom, attached to which domain row."""

    kind = models.CharField(max_length=100, db_index=True)
    version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="outputs")
    input = models.JSONField()
    output = models.JSONField()
    score = models.FloatField(null=True, blank=True)
    latency_ms = models.FloatField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="model_outputs"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["kind", "version"])]

    def __str__(self):
        return f"{self.kind} output #{self.pk}"
