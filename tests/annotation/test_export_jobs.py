"""Export jobs live by the one job lifecycle (suite/jobs.py): claimed by a named worker, taken over when it dies."""
from datetime import timedelta

import pytest
from django.utils import timezone

from annotation import services
from annotation.models import EXPORTS, ExportJob
from suite import jobs


def _running(*, silent_for: timedelta, attempts: int = 1) -> ExportJob:
    then = timezone.now() - silent_for
    return ExportJob.objects.create(
        kind="tests.sentiment", format="jsonl", status=ExportJob.Status.RUNNING, claimed_by="gone@host",
        claimed_at=then, heartbeat_at=then, started_at=then, attempts=attempts,
    )


@pytest.mark.django_db
def test_exports_are_looked_after_by_the_beat_sweep():
    assert EXPORTS in jobs.lifecycles() and EXPORTS.model is ExportJob


@pytest.mark.django_db
def test_a_redelivered_message_leaves_an_export_a_live_worker_builds_alone():
    job = _running(silent_for=timedelta(seconds=5))

    again = services.export_job_build(job_id=job.pk)

    assert again.status == "running" and again.claimed_by == "gone@host" and again.attempts == 1


@pytest.mark.django_db
def test_an_export_whose_worker_fell_silent_is_taken_over_and_built(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    job = _running(silent_for=timedelta(hours=1))

    built = services.export_job_build(job_id=job.pk)

    assert built.status == "succeeded", built.error
    assert built.attempts == 2 and built.claimed_by != "gone@host" and built.file and built.finished_at


@pytest.mark.django_db
def test_the_sweep_queues_a_dead_export_again_then_fails_it_with_a_reason_after_its_attempts():
    retried = _running(silent_for=timedelta(hours=1))
    spent = _running(silent_for=timedelta(hours=1), attempts=EXPORTS.max_attempts)

    swept = EXPORTS.sweep()

    assert retried.pk in swept.requeued and spent.pk in swept.failed
    retried.refresh_from_db()
    spent.refresh_from_db()
    assert retried.status == "queued" and retried.claimed_by == ""
    assert spent.status == "failed" and "Start the export again." in spent.error and spent.finished_at is not None
