"""Everything in the model runtime that writes: snapshots, runs, versions, aliases, outputs."""
import hashlib
import json
import logging
import shutil
import time
import traceback
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from suite.ml import engine, selectors, signals
from suite.ml import kinds as K
from suite.ml.models import AliasMove, DatasetSnapshot, ModelAlias, ModelOutput, ModelVersion, TrainingRun
from suite.ml.splits import SplitError, split_examples

logger = logging.getLogger(__name__)
Status = TrainingRun.Status


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- snapshots -----------------------------------------------------------------------------------


def snapshot_create(*, kind: str, examples: list[dict], origin: str, seed: int = 13, user=None) -> DatasetSnapshot:
    """Freeze examples into a file with a seeded, grouped, stratified split; refuse data that cannot train."""
    model_kind = K.get_kind(kind)
    problems = [(i, model_kind.validate_example(e)) for i, e in enumerate(examples)]
    problems = [(i, p) for i, p in problems if p]
    if problems:
        shown = "; ".join(f"example {i}: {p}" for i, p in problems[:5])
        raise ValidationError({"examples": [f"{len(problems)} unusable example(s): {shown}"]})

    unique, seen = [], set()
    for i, e in enumerate(examples):
        key = _canonical([e["input"], e["target"]])
        if key in seen:
            continue  # the same input with the same answer, twice, would weigh double and leak across splits
        seen.add(key)
        unique.append({"id": str(e.get("id") or i), "group": str(e.get("group") or e.get("id") or i), "input": e["input"], "target": e["target"]})
    if not unique:
        raise ValidationError({"examples": ["The dataset is empty: there is nothing to train on."]})
    labels = [model_kind.label_of(e) for e in unique]
    if model_kind.task_type == K.CLASSIFICATION and len(set(labels)) < 2:
        raise ValidationError({"examples": [f"Every example has the label {labels[0]!r}: a classifier needs at least two classes."]})
    try:
        splits = split_examples(unique, seed=seed, label_of=model_kind.label_of if labels[0] is not None else None)
    except SplitError as exc:
        raise ValidationError({"examples": [f"The dataset is too small to split: {exc}"]}) from None
    rows = [{**e, "split": s} for e, s in zip(unique, splits)]
    digest = hashlib.sha256(_canonical([seed, rows]).encode()).hexdigest()

    folder = settings.MODEL_ROOT / "snapshots" / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest[:16]}.jsonl"
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(_canonical(row) + "\n")
    tmp.replace(path)

    split_counts = {s: splits.count(s) for s in ("train", "validation", "test")}
    label_counts = {}
    for label in labels:
        if label is not None:
            label_counts[label] = label_counts.get(label, 0) + 1
    snapshot = DatasetSnapshot.objects.create(
        kind=kind, examples_file=str(path.relative_to(settings.MODEL_ROOT)), size=len(rows), split_counts=split_counts,
        label_counts=label_counts, seed=seed, content_hash=digest, origin=origin[:200], created_by=user,
    )
    signals.snapshot_frozen.send(sender=DatasetSnapshot, snapshot=snapshot)
    return snapshot


# --- runs ----------------------------------------------------------------------------------------


def training_run_start(
    *, kind: str, strategy: str | None = None, hyperparameters: dict | None = None, snapshot: DatasetSnapshot | None = None,
    user=None, enqueue: bool = True,
) -> TrainingRun:
    """Check everything a run needs, then queue it; the task is sent once the row is committed.

    `enqueue=False` leaves the queued run for the caller to execute in-process (`manage.py train`).
    """
    model_kind = K.get_kind(kind)
    strategy = strategy or model_kind.default_strategy
    try:
        hp = engine.hyperparameters_parse({**model_kind.default_hyperparameters, **(hyperparameters or {})}, strategy=strategy)
    except engine.HyperparameterError as exc:
        raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None
    if model_kind.task_type == K.SEQ2SEQ and not settings.SUITE_GENERATOR:
        raise ValidationError({"kind": [f"{kind} needs a generative model: set SUITE_GENERATOR to a local seq2seq model folder."]})
    if snapshot is None:
        snapshot = DatasetSnapshot.objects.filter(kind=kind).first()
        if snapshot is None:
            raise ValidationError({"snapshot": [f"No dataset snapshot exists for {kind}; freeze one first."]})
    elif snapshot.kind != kind:
        raise ValidationError({"snapshot": [f"Snapshot #{snapshot.pk} belongs to {snapshot.kind}, not {kind}."]})
    training_runs_reap(kind=kind)
    try:
        with transaction.atomic():
            run = TrainingRun.objects.create(
                kind=kind, snapshot=snapshot, strategy=strategy, hyperparameters=hp.as_dict(), created_by=user,
                stage="queued",
            )
    except IntegrityError:
        active = TrainingRun.objects.filter(kind=kind, status__in=TrainingRun.ACTIVE).first()
        which = f" (run #{active.pk}, {active.status})" if active else ""
        raise ValidationError({"kind": [f"A run of {kind} is already queued or running{which}; wait for it or cancel it."]}) from None
    if enqueue:
        _enqueue(run)
    return run


def _enqueue(run: TrainingRun) -> None:
    from suite.ml import tasks

    task = tasks.generative_training_run_execute if K.get_kind(run.kind).task_type == K.SEQ2SEQ else tasks.training_run_execute

    def send():
        result = task.delay(run.pk)
        TrainingRun.objects.filter(pk=run.pk).update(celery_task_id=result.id)

    transaction.on_commit(send)


def training_run_restart(*, run: TrainingRun, user=None) -> TrainingRun:
    if run.is_active:
        raise ValidationError({"run": [f"Run #{run.pk} is still {run.status}."]})
    new = training_run_start(
        kind=run.kind, strategy=run.strategy, hyperparameters=run.hyperparameters, snapshot=run.snapshot, user=user
    )
    TrainingRun.objects.filter(pk=new.pk).update(restarted_from=run)
    new.restarted_from = run
    return new


def training_run_cancel(*, run: TrainingRun) -> TrainingRun:
    """A queued run is cancelled at once; a running one stops at its next progress write."""
    if run.status == Status.QUEUED:
        TrainingRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
            status=Status.CANCELLED, stage="cancelled before it started", finished_at=timezone.now()
        )
    elif run.status == Status.RUNNING:
        TrainingRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    else:
        raise ValidationError({"run": [f"Run #{run.pk} has already {run.status}."]})
    run.refresh_from_db()
    return run


def training_runs_reap(*, kind: str | None = None, timeout: int | None = None) -> list[int]:
    """Fail running runs whose worker stopped sending heartbeats, so the kind can train again."""
    timeout = settings.ML_RUN_HEARTBEAT_TIMEOUT if timeout is None else timeout
    cutoff = timezone.now() - timedelta(seconds=timeout)
    stale = TrainingRun.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    if kind:
        stale = stale.filter(kind=kind)
    reaped = []
    for run in stale:
        updated = TrainingRun.objects.filter(pk=run.pk, status=Status.RUNNING, heartbeat_at__lt=cutoff).update(
            status=Status.FAILED, finished_at=timezone.now(), stage="failed",
            error=f"The worker stopped responding: no heartbeat since {run.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC "
            f"({timeout} s allowed). Restart the run to try again.",
        )
        if updated:
            reaped.append(run.pk)
            logger.warning("training run %s reaped: no heartbeat since %s", run.pk, run.heartbeat_at)
    return reaped


class _RunProgress:
    """Writes progress and heartbeat to the run row at most every ML_PROGRESS_INTERVAL seconds."""

    def __init__(self, run_id: int):
        self.run_id, self.last, self.cancel = run_id, 0.0, False

    def __call__(self, fraction: float, stage: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < settings.ML_PROGRESS_INTERVAL:
            return
        self.last = now
        TrainingRun.objects.filter(pk=self.run_id).update(
            progress=round(min(max(fraction, 0.0), 1.0), 4), stage=stage[:200], heartbeat_at=timezone.now()
        )
        self.cancel = TrainingRun.objects.filter(pk=self.run_id, cancel_requested=True).exists()


def training_run_execute(*, run_id: int, worker: str = "") -> TrainingRun:
    """Train, validate each epoch, test once, save a version, then let the gate decide. Failures are recorded."""
    claimed = TrainingRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), worker=worker[:255], stage="starting"
    )
    run = TrainingRun.objects.get(pk=run_id)
    if not claimed:
        logger.info("training run %s is %s; nothing to do", run_id, run.status)
        return run
    progress = _RunProgress(run_id)
    try:
        run = _train_and_gate(run, progress)
    except engine.Cancelled:
        TrainingRun.objects.filter(pk=run_id).update(status=Status.CANCELLED, stage="cancelled", finished_at=timezone.now())
    except Exception as exc:
        logger.exception("training run %s failed", run_id)
        TrainingRun.objects.filter(pk=run_id).update(
            status=Status.FAILED, stage="failed", finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"[:10_000],
        )
    run.refresh_from_db()
    signals.run_finished.send(sender=TrainingRun, run=run)
    return run


def base_model_path(kind: K.ModelKind) -> str:
    """What a kind fine-tunes: the generative model for seq2seq kinds, the sentence encoder for the rest."""
    from suite.ml.encoder import encoder_path

    return settings.SUITE_GENERATOR if kind.task_type == K.SEQ2SEQ else encoder_path()


def _train_and_gate(run: TrainingRun, progress: _RunProgress) -> TrainingRun:
    kind = K.get_kind(run.kind)
    hp = engine.hyperparameters_parse(run.hyperparameters, strategy=run.strategy)
    data = selectors.snapshot_examples(snapshot=run.snapshot)
    progress(0.0, "loading the base model", force=True)
    model = engine.build(kind, base=base_model_path(kind), strategy=run.strategy, hp=hp)

    def on_epoch(record):
        run.epochs = [*run.epochs, {"epoch": record.epoch, "train_loss": record.train_loss, "validation": record.validation, "seconds": record.seconds}]
        TrainingRun.objects.filter(pk=run.pk).update(epochs=run.epochs, heartbeat_at=timezone.now())

    served = kind.serve(model.predict)  # the gate judges what would be served, not the bare network
    fit = model.fit(
        data["train"], data["validation"], hp,
        evaluate=lambda examples: kind.evaluate(examples, predictor=served),
        primary_metric=kind.primary_metric, on_progress=progress, on_epoch=on_epoch, should_stop=lambda: progress.cancel,
    )
    progress(0.97, "scoring the test split", force=True)
    test_metrics = kind.evaluate(data["test"], predictor=served)
    production = selectors.production_version(kind=run.kind)
    baseline = kind.evaluate(data["test"], version=production) if production else kind.evaluate(
        data["test"], predictor=kind.default_predict
    )

    with transaction.atomic():
        number = (ModelVersion.objects.filter(kind=run.kind).aggregate(n=Max("number"))["n"] or 0) + 1
        folder = settings.MODEL_ROOT / run.kind / f"v{number}"
        if folder.exists():  # left by a run that died before its row was written
            shutil.rmtree(folder)
        model.save(folder)
        metrics = {"validation": fit.epochs[fit.best_epoch - 1].validation if fit.best_epoch else {}, "test": test_metrics}
        (folder / "metrics.json").write_text(json.dumps({**metrics, "best_epoch": fit.best_epoch, "epochs": len(fit.epochs)}, indent=2))
        version = ModelVersion.objects.create(
            kind=run.kind, number=number, artifact_dir=str(folder.relative_to(settings.MODEL_ROOT)), strategy=run.strategy,
            metrics=metrics, snapshot=run.snapshot, snapshot_hash=run.snapshot.content_hash, parent=production, training_run=run,
        )
        gate = gate_decide(kind=kind, new=test_metrics, current=baseline, current_version=production)
        alias = ModelAlias.Name.PRODUCTION if gate["promoted"] else ModelAlias.Name.CANDIDATE
        alias_move(kind=run.kind, alias=alias, version=version, reason=AliasMove.Reason.GATE, note=gate["why"])
        TrainingRun.objects.filter(pk=run.pk).update(
            status=Status.SUCCEEDED, progress=1.0, stage="done", finished_at=timezone.now(), best_epoch=fit.best_epoch,
            test_metrics=test_metrics, baseline_metrics=baseline, gate=gate, heartbeat_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def gate_decide(*, kind: K.ModelKind, new: dict, current: dict, current_version: ModelVersion | None) -> dict:
    """Promote only a strictly better test metric, measured on the same split as the serving model."""
    metric = kind.primary_metric
    a, b = float(new.get(metric, 0.0)), float(current.get(metric, 0.0))
    against = f"production v{current_version.number}" if current_version else "the untrained default"
    promoted = a > b
    verdict = "beats" if promoted else ("ties" if a == b else "does not beat")
    return {
        "metric": metric, "new": a, "current": b, "against": against, "promoted": promoted,
        "why": f"{metric} {a:.4f} {verdict} {against} ({b:.4f}) on the same test split",
    }


# --- aliases -------------------------------------------------------------------------------------


@transaction.atomic
def alias_move(*, kind: str, alias: str, version: ModelVersion, reason: str, user=None, note: str = "") -> AliasMove:
    current = ModelAlias.objects.select_for_update().filter(kind=kind, name=alias).first()
    previous = current.version if current else None
    if current:
        current.version = version
        current.save(update_fields=["version", "updated_at"])
    else:
        ModelAlias.objects.create(kind=kind, name=alias, version=version)
    move = AliasMove.objects.create(
        kind=kind, alias=alias, from_version=previous, to_version=version, reason=reason, note=note, moved_by=user
    )
    signals.alias_moved.send(sender=AliasMove, move=move)
    return move


def version_promote(*, kind: str, number: int, user=None, note: str = "") -> AliasMove:
    K.get_kind(kind)
    version = ModelVersion.objects.filter(kind=kind, number=number).first()
    if version is None:
        raise ValidationError({"version": [f"{kind} has no version {number}."]})
    current = selectors.production_version(kind=kind)
    if current and current.pk == version.pk:
        raise ValidationError({"version": [f"{kind} v{number} is already in production."]})
    return alias_move(kind=kind, alias=ModelAlias.Name.PRODUCTION, version=version, reason=AliasMove.Reason.PROMOTE, user=user, note=note or "promoted by hand")


def version_rollback(*, kind: str, user=None) -> AliasMove:
    """Move production back to the version it held before its last move."""
    K.get_kind(kind)
    last = AliasMove.objects.filter(kind=kind, alias=ModelAlias.Name.PRODUCTION).first()
    if last is None or last.from_version is None:
        raise ValidationError({"kind": [f"{kind} has no earlier production version to roll back to."]})
    return alias_move(
        kind=kind, alias=ModelAlias.Name.PRODUCTION, version=last.from_version, reason=AliasMove.Reason.ROLLBACK,
        user=user, note=f"rolled back from v{last.to_version.number}",
    )


# --- periodic retraining -------------------------------------------------------------------------

_example_sources = []


def example_source_register(source) -> None:
    """A provider of accepted examples `source(kind_name, since) -> list[dict]` (the annotation app)."""
    if source not in _example_sources:
        _example_sources.append(source)


def accepted_examples(*, kind: str, since=None) -> list[dict]:
    return [e for source in _example_sources for e in source(kind, since)]


def retraining_due_start() -> list[TrainingRun]:
    """Start a run for each kind with at least its threshold of accepted examples since its last run."""
    started = []
    for kind in K.all_kinds():
        threshold = kind.retrain_threshold or settings.ML_RETRAIN_MIN_NEW_EXAMPLES
        last = TrainingRun.objects.filter(kind=kind.name).order_by("-created_at").first()
        if last and last.is_active:
            continue
        new = accepted_examples(kind=kind.name, since=last.created_at if last else None)
        if len(new) < threshold:
            continue
        try:
            snapshot = snapshot_create(kind=kind.name, examples=accepted_examples(kind=kind.name), origin="accepted annotations (scheduled)")
            started.append(training_run_start(kind=kind.name, snapshot=snapshot))
        except ValidationError as exc:
            logger.warning("scheduled retraining of %s skipped: %s", kind.name, exc.messages)
    return started


# --- outputs -------------------------------------------------------------------------------------


def model_output_record(
    *, kind: str, input, output, version: ModelVersion | None = None, score: float | None = None,
    latency_ms: float | None = None, owner=None, subject=None,
) -> ModelOutput:
    """Record an output a person saw; call inside the transaction that writes the domain row."""
    return ModelOutput.objects.create(
        kind=kind, version=version, input=input, output=output, score=score, latency_ms=latency_ms, owner=owner,
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=str(subject.pk) if subject is not None else "",
    )
