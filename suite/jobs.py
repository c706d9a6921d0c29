"""One life for every background job row: queued -> claimed by a named worker -> beating -> finished, failed, or put
back in the queue when its worker dies. Nothing stays "processing" forever, on any broker.

Documents (`summarizer.Document`), resumes (`resumes.Resume`) and training runs (`ml.TrainingRun`) each declare one
`Lifecycle` beside their model and call it instead of writing their own conditional updates; an export job
(`annotation.ExportJob`) adopts it the same way:

    # models.py, after the model: which statuses mean what, and what failing writes besides the reason
    EXPORTS = jobs.register(jobs.Lifecycle(
        ExportJob, task="annotation.tasks.export_build", queued="queued", running="running", failed="failed",
        stale_after=timedelta(seconds=EXPORT_TIME_LIMIT + 300), reason_field="error", code_field=None,
        fail_fields=lambda now: {"finished_at": now}, retry_hint="Start the export again.",
    ))

    # services.py
    EXPORTS.enqueue(job.pk, fresh=True)          # inside the transaction that created (or retried) the row:
                                                  # stamps queued_at, resets attempts, sends the task on commit
    claim = EXPORTS.claim(job_id)                 # atomic conditional update; records WHICH worker (claimed_by, the
    if not claim:                                 # Celery hostname) and when (claimed_at). None: a live worker has it,
        return                                    # or it is finished: do nothing.
    EXPORTS.beat(job_id, claim=claim, rows=n)     # progress doubles as heartbeat; False: taken from you, stop
                                                  # (raise jobs.Lost from deep inside, catch it in the service)
    with EXPORTS.heartbeat(job_id, claim=claim):  # beats from a thread through long silent steps
        ...
    EXPORTS.mine(job_id, claim).update(status="succeeded", ...)   # finish only while the claim is still yours
    EXPORTS.fail(job_id, claim=claim, code="too_large", reason="The export is over 2 GB; narrow the filters.")

The model needs these fields (names configurable in `Lifecycle`): `status`, `claimed_by` (CharField, blank),
`claimed_at`, `heartbeat_at` (any timestamp the job refreshes while alive, e.g. `updated_at`), `attempts`
(PositiveSmallIntegerField, default 0), `queued_at` (null allowed), and the reason field (`failure_reason`/`error`).

The beat task `suite.tasks.jobs_sweep` (every JOBS_SWEEP_SECONDS) runs `sweep_all()`, which for each lifecycle:
- finds running rows whose claimant is gone: the Celery worker that claimed it has no live heartbeat row
  (suite/worker.py; older than WORKER_HEARTBEAT_TTL, or that worker restarted after the claim), or the row itself
  showed no sign of life for `stale_after`;
- puts each back in the queue (status queued, message sent again) while `attempts` < `max_attempts`, else fails it
  with a reason saying so (a file that kills its worker every time must not loop for ever);
- sends the message again for rows queued longer than `queued_bound` (a message lost with a worker that had
  reserved it). A duplicate message is harmless: only one claim can succeed.
This is what redelivers work on the filesystem broker, which deletes a message once a worker takes it.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Model, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

_registry: list[Lifecycle] = []


def current_worker() -> str:
    """The Celery worker running this code (its node name, as in its heartbeat row), or "" outside a worker."""
    from celery import current_task

    request = getattr(current_task, "request", None)
    return (getattr(request, "hostname", None) or "")[:255] if current_task else ""


class Lost(Exception):
    """This worker's claim on a row is gone (put back by the sweep, failed, deleted): stop, and write nothing more."""


@dataclasses.dataclass(frozen=True)
class Claim:
    """A successful claim: who holds the row and since when. Pass it to `beat`, `fail` and `mine` so a worker whose
    row was put back and taken by another stops writing on it."""

    pk: int
    worker: str
    at: datetime


@dataclasses.dataclass(frozen=True)
class Swept:
    requeued: list[int] = dataclasses.field(default_factory=list)
    failed: list[int] = dataclasses.field(default_factory=list)
    resent: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Lifecycle:
    """How one model's rows live as jobs: its statuses, its fields, its task and its limits."""

    model: type[Model]
    task: str | Callable[[Model], str]  # the Celery task (by name) that processes one row, called with its id
    queued: str
    running: str
    failed: str
    # No sign of life for this long: whoever claimed it is gone (or hung), even if its worker lives.
    stale_after: timedelta
    max_attempts: int = 3  # claims before a row whose worker keeps dying is failed instead of queued again
    queued_bound: timedelta | None = timedelta(minutes=15)  # queued this long: send its message again (None: never)
    fail_fields: Callable[[datetime], dict] = lambda now: {}  # what failing writes besides status and reason
    claim_fields: Callable[[datetime], dict] = lambda now: {}
    requeue_fields: Callable[[datetime], dict] = lambda now: {}
    retry_hint: str = "Retry it."
    status_field: str = "status"
    worker_field: str = "claimed_by"
    claimed_at_field: str = "claimed_at"
    heartbeat_field: str = "heartbeat_at"
    attempts_field: str = "attempts"
    queued_at_field: str = "queued_at"
    reason_field: str = "failure_reason"
    code_field: str | None = "failure_code"

    @property
    def name(self) -> str:
        return self.model._meta.label

    # --- reading ---------------------------------------------------------------------------------

    def _silent(self, cutoff: datetime) -> Q:
        """Rows whose last sign of life (heartbeat, else the claim) is older than `cutoff`, or that have none."""
        hb, claimed = self.heartbeat_field, self.claimed_at_field
        if hb == claimed:
            return Q(**{f"{hb}__lt": cutoff}) | Q(**{f"{hb}__isnull": True})
        return Q(**{f"{hb}__lt": cutoff}) | Q(**{f"{hb}__isnull": True}) & (
            Q(**{f"{claimed}__lt": cutoff}) | Q(**{f"{claimed}__isnull": True})
        )

    def is_stale(self, row: Model, *, now: datetime | None = None) -> bool:
        """Running with no sign of life for longer than `stale_after` (read from the row, no query)."""
        if getattr(row, self.status_field) != self.running:
            return False
        cutoff = (now or timezone.now()) - self.stale_after
        last = getattr(row, self.heartbeat_field) or getattr(row, self.claimed_at_field)
        return last is None or last < cutoff

    # --- writing, from the service that owns the row --------------------------------------------

    def enqueue(self, pk: int, *, fresh: bool = False) -> None:
        """Mark the row queued now and send its task once the surrounding transaction commits.

        `fresh` (an upload or a person's retry) starts the attempt count again."""
        fields = {self.queued_at_field: timezone.now()}
        if fresh:
            fields[self.attempts_field] = 0
        self.model.objects.filter(pk=pk).update(**fields)
        transaction.on_commit(lambda: self.send(pk))

    def send(self, pk: int):
        from suite.celery import app

        name = self.task if isinstance(self.task, str) else self.task(self.model.objects.get(pk=pk))
        return app.send_task(name, args=[pk])

    def claim(self, pk: int, *, worker: str | None = None, **fields) -> Claim | None:
        """Take the row for this worker if it is queued, or running but silent past `stale_after` (a redelivered
        task taking over from a dead one). One conditional UPDATE: of two workers, exactly one wins (None)."""
        now = timezone.now()
        worker = (current_worker() if worker is None else worker)[:255]
        abandoned = Q(
            **{self.status_field: self.running, f"{self.attempts_field}__lt": self.max_attempts}
        ) & self._silent(now - self.stale_after)
        taken = self.model.objects.filter(Q(**{self.status_field: self.queued}) | abandoned, pk=pk).update(
            **{
                self.status_field: self.running,
                self.worker_field: worker,
                self.claimed_at_field: now,
                self.heartbeat_field: now,
                self.attempts_field: F(self.attempts_field) + 1,
            },
            **self.claim_fields(now),
            **fields,
        )
        return Claim(pk, worker, now) if taken else None

    def mine(self, pk: int, claim: Claim | None = None):
        """The row while it is running, and, given a claim, still held by it (a queryset to update)."""
        rows = self.model.objects.filter(pk=pk, **{self.status_field: self.running})
        if claim is not None:
            rows = rows.filter(**{self.worker_field: claim.worker, self.claimed_at_field: claim.at})
        return rows

    def beat(self, pk: int, *, claim: Claim | None = None, **fields) -> bool:
        """Heartbeat, with any progress fields. False when the row is no longer running, or no longer held by
        `claim` (failed, cancelled, or put back by the sweep): the caller should stop and write nothing more."""
        return bool(self.mine(pk, claim).update(**{self.heartbeat_field: timezone.now()}, **fields))

    def fail(
        self, pk: int, *, reason: str, code: str = "error", claim: Claim | None = None, running_only: bool = True
    ) -> bool:
        """Failed, with a reason a person can act on (what happened and what to do)."""
        rows = self.mine(pk, claim) if running_only else self.model.objects.filter(pk=pk)
        return bool(rows.update(**self._failed(reason=reason, code=code, now=timezone.now())))

    def _failed(self, *, reason: str, code: str, now: datetime) -> dict:
        """What failing writes: the status, the reason (and its code where the model keeps one), `fail_fields`."""
        fields = {self.status_field: self.failed, self.reason_field: reason, **self.fail_fields(now)}
        if self.code_field:
            fields[self.code_field] = code
        return fields

    def heartbeat(self, pk: int, *, interval: float = 10.0, claim: Claim | None = None) -> Heartbeat:
        """A thread beating on the row until stopped, or until the claim is lost (use as a context manager)."""
        return Heartbeat(self, pk, interval, claim)

    # --- the sweep -------------------------------------------------------------------------------

    def sweep(self, *, now: datetime | None = None, stale_after: timedelta | None = None, rows=None) -> Swept:
        """Put back (or fail) running rows whose claimant is gone, and resend rows queued too long. See the module."""
        now = now or timezone.now()
        stale_after = self.stale_after if stale_after is None else stale_after
        workers = _Workers(now)
        rows = self.model.objects.all() if rows is None else rows
        swept = Swept()
        fields = ["pk", self.worker_field, self.claimed_at_field, self.heartbeat_field, self.attempts_field]
        running = rows.filter(**{self.status_field: self.running})
        silent = set(running.filter(self._silent(now - stale_after)).values_list("pk", flat=True))
        for pk, worker, claimed_at, last, attempts in running.values_list(*fields):
            if pk in silent:
                since, allowed = _utc(last or claimed_at or now), int(stale_after.total_seconds())
                reason = f"The worker stopped responding: no heartbeat since {since} ({allowed} s allowed)."
            else:
                reason = workers.gone(worker, claimed_at)
            if reason is None:
                continue
            mine = self.mine(pk, Claim(pk, worker, claimed_at))  # unless someone else took it meanwhile
            if attempts >= self.max_attempts:
                tries = (
                    f" It was tried {attempts} times and its worker died each time." if self.max_attempts > 1 else ""
                )
                given_up = self._failed(reason=f"{reason}{tries} {self.retry_hint}", code="worker_lost", now=now)
                if mine.update(**given_up):
                    swept.failed.append(pk)
                    logger.warning("%s #%s failed: %s", self.name, pk, reason)
            elif mine.update(
                **{self.status_field: self.queued, self.worker_field: "", self.queued_at_field: now},
                **self.requeue_fields(now),
            ):
                swept.requeued.append(pk)
                logger.warning("%s #%s put back in the queue: %s", self.name, pk, reason)
                self._resend(pk)
        if self.queued_bound is not None:
            waiting = rows.filter(
                Q(**{f"{self.queued_at_field}__lt": now - self.queued_bound})
                | Q(**{f"{self.queued_at_field}__isnull": True}),
                **{self.status_field: self.queued},
            )
            for pk in list(waiting.values_list("pk", flat=True)):
                if self.model.objects.filter(pk=pk, **{self.status_field: self.queued}).update(
                    **{self.queued_at_field: now}
                ):
                    swept.resent.append(pk)
                    self._resend(pk)
        return swept

    def _resend(self, pk: int) -> None:
        def send():
            try:
                self.send(pk)
            except Exception:  # broker down: the row is queued, and the next sweep past queued_bound sends it again
                logger.exception("could not send %s #%s to the broker", self.name, pk)

        transaction.on_commit(send)


class _Workers:
    """The Celery workers' heartbeat rows (suite/worker.py), read once per sweep."""

    def __init__(self, now: datetime):
        from suite.models import WorkerHeartbeat

        self.now, self.ttl = now, timedelta(seconds=settings.WORKER_HEARTBEAT_TTL)
        rows = WorkerHeartbeat.objects.values_list("hostname", "started_at", "last_seen")
        self.beats = {host: (started, seen) for host, started, seen in rows}

    def gone(self, worker: str, claimed_at: datetime | None) -> str | None:
        """Why the worker that made this claim no longer runs it, or None while it may. A claim younger than the
        heartbeat TTL is left alone: a worker just started may not have written its first beat yet. A claimant with
        no heartbeat row is no Celery worker (`manage.py train`, a bench) and is judged by the row's own heartbeat."""
        if not worker or claimed_at is None or claimed_at >= self.now - self.ttl or worker not in self.beats:
            return None
        started, seen = self.beats[worker]
        if seen < self.now - self.ttl:
            return f"The worker {worker} stopped while running this (no heartbeat since {_utc(seen)})."
        if started > claimed_at:
            return f"The worker {worker} restarted (at {_utc(started)}) while running this."
        return None


def _utc(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


class Heartbeat(threading.Thread):
    """Beats on a job row from its own thread, so a long silent step never looks like a dead worker."""

    def __init__(self, lifecycle: Lifecycle, pk: int, interval: float, claim: Claim | None = None):
        super().__init__(name=f"heartbeat-{lifecycle.name}-{pk}", daemon=True)
        self.lifecycle, self.pk, self.interval, self.claim = lifecycle, pk, interval, claim
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(self.interval):
                try:
                    if not self.lifecycle.beat(self.pk, claim=self.claim):
                        return  # no longer running: nothing to keep alive
                except Exception:  # a locked database now and then must not end the beat
                    logger.warning("heartbeat of %s #%s not written", self.lifecycle.name, self.pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def stop(self):
        self.stopped.set()
        self.join(timeout=5)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def register(lifecycle: Lifecycle) -> Lifecycle:
    """Make the beat sweep look after this model's rows; returns the lifecycle for the module to keep."""
    if not any(existing.model is lifecycle.model for existing in _registry):
        _registry.append(lifecycle)
    return lifecycle


def lifecycles() -> list[Lifecycle]:
    return list(_registry)


def sweep_all() -> dict[str, dict]:
    """The beat task's work: sweep every registered lifecycle; what was put back, failed or resent, by model."""
    out = {}
    for lifecycle in lifecycles():
        try:
            swept = lifecycle.sweep()
        except Exception:  # one model's trouble must not stop the others being swept
            logger.exception("sweeping %s failed", lifecycle.name)
            continue
        if swept.requeued or swept.failed or swept.resent:
            out[lifecycle.name] = dataclasses.asdict(swept)
    return out
