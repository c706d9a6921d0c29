"""One job lifecycle (suite/jobs.py): claims name their worker, and work whose worker died goes back in the queue
(or fails with a reason after its attempts), on the default filesystem broker too."""

import datetime
import subprocess
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suite import jobs
from suite.models import WorkerHeartbeat
from summarizer import services
from summarizer.models import DOCUMENTS, Document
from tests.conftest import BIN, ROOT, CeleryWorker, child_env
from tests.factories import UserFactory

CONTRACT = (
    "SUPPLY AGREEMENT. This Supply Agreement is made between Alpha Corp and Beta LLC. "
    "This Agreement shall be governed by the laws of the State of New York. "
    "Either party may terminate this Agreement upon thirty days written notice."
)


class HoldingWorker(CeleryWorker):
    """A real worker that also imports tests/suite/hold_worker.py: it claims a hold-* document and stays inside it."""

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "suite",
                "worker",
                "-Q",
                "default,inference,training,gpu",
                "--pool",
                "solo",
                "-n",
                self.name,
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--include",
                "tests.suite.hold_worker",
            ],
            cwd=ROOT,
            env=child_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()


def wait_for(read, check, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = read()
        if check(value):
            return value
        time.sleep(0.25)
    raise AssertionError(f"not reached within {timeout}s; last: {value!r}")


def test_a_document_whose_worker_was_killed_is_queued_again_by_the_sweep_and_a_second_worker_finishes_it(
    celery_worker_process,
    transactional_db,
    settings,
    tmp_path,
):
    # The filesystem broker (the default) deletes a message once a worker takes it; Redis (`make test-integration`)
    # would give it back only after its 6 h visibility timeout. Either way only the sweep redelivers it in time.
    celery_worker_process.stop()  # only the worker that will die may take the document
    holder = HoldingWorker(tmp_path)
    holder.name = f"holder-{uuid.uuid4().hex[:6]}@localhost"
    try:
        holder.start()
        holder.wait_heartbeat()
        lawyer = UserFactory(role="lawyer")
        document = services.document_upload(
            user=lawyer, file=SimpleUploadedFile("hold-contract.txt", CONTRACT.encode())
        )
        claimed = wait_for(lambda: Document.objects.get(pk=document.pk), lambda d: d.status == "processing", timeout=60)
        assert claimed.claimed_by == holder.name and claimed.claimed_at is not None and claimed.attempts == 1
    finally:
        holder.kill()  # kill -9: no shutdown handler runs, its heartbeat row simply stops being refreshed

    settings.WORKER_HEARTBEAT_TTL = 2  # the default is 60 s; the sweep runs every 30 s: back in the queue within 90 s
    time.sleep(3)
    assert Document.objects.get(pk=document.pk).status == "processing"  # stranded until the sweep runs
    swept = jobs.sweep_all()

    assert swept["summarizer.Document"]["requeued"] == [document.pk]
    queued = Document.objects.get(pk=document.pk)
    assert (queued.status, queued.stage, queued.claimed_by) == ("uploaded", "queued", "")
    celery_worker_process.start()
    celery_worker_process.wait_heartbeat()
    done = wait_for(lambda: Document.objects.get(pk=document.pk), lambda d: d.status in ("done", "failed"))
    assert done.status == "done", done.failure_reason
    assert done.claimed_by == celery_worker_process.name and done.attempts == 2
    assert done.result["key_terms"]


# --- the rules, on rows set up by hand --------------------------------------------------------------------------


def _document(**fields) -> Document:
    document = services.document_upload(
        user=UserFactory(role="lawyer"), file=SimpleUploadedFile("c.txt", CONTRACT.encode())
    )
    Document.objects.filter(pk=document.pk).update(**fields)
    return Document.objects.get(pk=document.pk)


def _beating(hostname: str, *, started: datetime.datetime, seen: datetime.datetime | None = None) -> None:
    seen = seen or timezone.now()
    WorkerHeartbeat.objects.create(hostname=hostname, queues=["inference"], started_at=started, last_seen=seen)


def _killed(hostname: str) -> None:
    """What kill -9 leaves: the worker's heartbeat row, no longer refreshed."""
    now = timezone.now()
    _beating(hostname, started=now - datetime.timedelta(hours=1), seen=now - datetime.timedelta(minutes=2))


@pytest.mark.django_db
def test_a_claim_is_taken_once_and_records_which_worker_took_it_and_when():
    document = _document()

    claim = DOCUMENTS.claim(document.pk, worker="w1@host")
    assert claim and claim.worker == "w1@host"
    assert DOCUMENTS.claim(document.pk, worker="w2@host") is None  # a live claim is never taken over

    document.refresh_from_db()
    assert (document.status, document.claimed_by, document.attempts) == ("processing", "w1@host", 1)
    assert timezone.now() - document.claimed_at < datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_work_of_a_live_worker_is_left_alone_and_of_a_dead_or_restarted_one_is_queued_again(
    settings,
    django_capture_on_commit_callbacks,
):
    settings.WORKER_HEARTBEAT_TTL = 60
    now = timezone.now()
    claimed = now - datetime.timedelta(minutes=3)
    _beating("live@a", started=now - datetime.timedelta(hours=1))
    _beating("restarted@b", started=now - datetime.timedelta(minutes=1))  # same name, new process since the claim
    live = _document(status="processing", claimed_by="live@a", claimed_at=claimed, attempts=1)
    restarted = _document(status="processing", claimed_by="restarted@b", claimed_at=claimed, attempts=1)
    _killed("gone@c")
    dead = _document(status="processing", claimed_by="gone@c", claimed_at=claimed, attempts=1)
    # A command (manage.py train, a bench) is no Celery worker: only the row's own heartbeat can tell it died.
    command = _document(status="processing", claimed_by="manage.py process", claimed_at=claimed, attempts=1)

    with django_capture_on_commit_callbacks() as sends:
        swept = DOCUMENTS.sweep()

    assert sorted(swept.requeued) == sorted([restarted.pk, dead.pk]) and swept.failed == []
    assert len(sends) == 2  # each put back with its message sent again
    assert Document.objects.get(pk=live.pk).status == "processing"
    assert Document.objects.get(pk=command.pk).status == "processing"
    assert {Document.objects.get(pk=pk).status for pk in swept.requeued} == {"uploaded"}


@pytest.mark.django_db
def test_a_document_whose_worker_died_on_every_attempt_fails_with_a_reason_instead_of_looping(
    django_capture_on_commit_callbacks,
):
    stale = timezone.now() - datetime.timedelta(minutes=5)
    _killed("gone@c")
    document = _document(status="processing", claimed_by="gone@c", claimed_at=stale, attempts=DOCUMENTS.max_attempts)

    with django_capture_on_commit_callbacks() as sends:
        swept = DOCUMENTS.sweep()

    document.refresh_from_db()
    assert swept.failed == [document.pk] and sends == []
    assert (document.status, document.stage, document.failure_code) == ("failed", "failed", "worker_lost")
    assert "gone@c stopped" in document.failure_reason and "tried 3 times" in document.failure_reason
    assert "Retry it, or delete the document" in document.failure_reason
    assert not document.is_active  # the owner can retry or delete it


@pytest.mark.django_db
def test_a_document_queued_past_the_bound_has_its_message_sent_again_once_per_bound(django_capture_on_commit_callbacks):
    waiting = _document(queued_at=timezone.now() - DOCUMENTS.queued_bound - datetime.timedelta(seconds=1))
    fresh = _document()

    with django_capture_on_commit_callbacks() as sends:
        first = DOCUMENTS.sweep()
        second = DOCUMENTS.sweep()

    assert first.resent == [waiting.pk] and second.resent == [] and len(sends) == 1
    assert Document.objects.get(pk=fresh.pk).status == "uploaded"


def test_the_sweep_runs_on_the_beat_schedule_often_enough_to_redeliver_within_two_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["jobs-sweep"]
    assert entry["task"] == "suite.tasks.jobs_sweep"
    assert entry["schedule"] + settings.WORKER_HEARTBEAT_TTL <= 120
    assert {lc.name for lc in jobs.lifecycles()} >= {"summarizer.Document", "resumes.Resume", "ml.TrainingRun"}


@pytest.mark.django_db
def test_a_resume_whose_worker_died_is_queued_again_with_its_claim_cleared(django_capture_on_commit_callbacks):
    from resumes.models import RESUMES, Resume
    from resumes.services import resume_upload

    resume = resume_upload(
        user=UserFactory(role="candidate"), file=SimpleUploadedFile("cv.txt", b"Jane Doe\nEngineer"), enqueue=False
    )
    claimed = timezone.now() - datetime.timedelta(minutes=3)
    _killed("gone@c")
    Resume.objects.filter(pk=resume.pk).update(
        status="processing", claimed_by="gone@c", claimed_at=claimed, heartbeat_at=claimed, attempts=1
    )

    with django_capture_on_commit_callbacks() as sends:
        swept = RESUMES.sweep()

    resume.refresh_from_db()
    assert swept.requeued == [resume.pk] and len(sends) == 1
    assert (resume.status, resume.claimed_by, resume.attempts) == ("uploaded", "", 1)


@pytest.mark.django_db
def test_a_training_run_whose_worker_died_is_failed_at_once_not_replayed():
    from suite.ml import services as ml_services
    from suite.ml.models import RUNS, TrainingRun
    from tests.testkinds.kinds import sentiment_examples

    snapshot = ml_services.snapshot_create(kind="tests.sentiment", examples=sentiment_examples(), origin="test")
    claimed = timezone.now() - datetime.timedelta(minutes=3)
    _killed("gone@c")
    run = TrainingRun.objects.create(
        kind="tests.sentiment",
        snapshot=snapshot,
        strategy="feature",
        status="running",
        worker="gone@c",
        started_at=claimed,
        heartbeat_at=timezone.now(),
        attempts=1,
    )  # its own heartbeat is fresh: only the worker's silence tells it died

    swept = RUNS.sweep()

    run.refresh_from_db()
    assert swept.failed == [run.pk] and swept.requeued == []
    assert (run.status, run.stage) == ("failed", "failed") and run.finished_at is not None
    assert "gone@c stopped" in run.error and run.error.endswith("Restart the run to try again.")


@pytest.mark.django_db
def test_a_worker_whose_document_was_put_back_and_taken_by_another_can_no_longer_write_on_it(
    django_capture_on_commit_callbacks,
):
    document = _document()
    assert DOCUMENTS.claim(document.pk, worker="slow@a")
    three_minutes_ago = timezone.now() - datetime.timedelta(minutes=3)
    Document.objects.filter(pk=document.pk).update(claimed_at=three_minutes_ago)
    first = jobs.Claim(document.pk, "slow@a", three_minutes_ago)
    _killed("slow@a")  # it looked dead (its heartbeat stopped), so the sweep put its document back
    with django_capture_on_commit_callbacks():
        assert DOCUMENTS.sweep().requeued == [document.pk]
    second = DOCUMENTS.claim(document.pk, worker="fresh@b")

    assert DOCUMENTS.beat(document.pk, claim=first, stage="scoring") is False
    assert DOCUMENTS.fail(document.pk, claim=first, reason="late") is False
    assert DOCUMENTS.beat(document.pk, claim=second, stage="scoring") is True
    document.refresh_from_db()
    assert (document.status, document.claimed_by, document.failure_reason) == ("processing", "fresh@b", "")
