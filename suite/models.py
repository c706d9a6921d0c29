from django.db import models


class WorkerHeartbeat(models.Model):
    """A Celery worker's last sign of life; /healthz reads it to tell whether work will be picked up."""

    hostname = models.CharField(max_length=255, unique=True)
    queues = models.JSONField(default=list)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["hostname"]

    def __str__(self):
        return f"{self.hostname} ({', '.join(self.queues)})"
