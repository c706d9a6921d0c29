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

from suite import jobs
from suite.ml import engine, selectors, serving, signals
from suite.ml import gate as G
from suite.ml import kinds as K
from suite.ml.models import RUNS, AliasMove, DatasetSnapshot, GoldenSet, ModelAlias, ModelOutput, ModelVersion, TrainingRun
from suite.ml.splits import SplitError, split_examples

logger = logging.getLogger(__name__)
Status = TrainingRun.Status


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- snapshots -----------------------------------------------------------------------------------


def _refuse_unusable(model_kind: K.ModelKind, examples: list[dict]) -> None:
    """Examples the kind cannot train on are refused, the first five named, for snapshots and golden sets alike."""
    problems = [(i, model_kind.validate_example(e)) for i, e in enumerate(examples)]
    problems = [(i, p) for i, p in problems if p]
    if problems:
        shown = "; ".join(f"example {i}: {p}" for i, p in problems[:5])
        raise ValidationError({"examples": [f"{len(problems)} unusable example(s): {shown}"]})


def snapshot_create(*, kind: str, examples: list[dict], origin: str, seed: int = 13, user=None) -> DatasetSnapshot:
    """Freeze examples into a file with a seeded, grouped, stratified split; refuse data that cannot train."""
    model_kind = K.get_kind(kind)
    if not examples:
        raise ValidationError({"examples": [f"{kind} has no accepted examples ({origin}): the dataset is empty, nothing to freeze. Accept annotations or import a labelled dataset first."]})
    _refuse_unusable(model_kind, examples)

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


def snapshot_freeze(*, kind: str, user=None, seed: int = 13) -> DatasetSnapshot:
    """Freeze every accepted example of a kind (all sources, the one path) into a snapshot."""
    return snapshot_create(kind=kind, examples=selectors.accepted_examples(kind=kind), origin="accepted annotations", seed=seed, user=user)


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
    fits = engine.SHALLOW_STRATEGIES.get(strategy)
    if fits is not None and model_kind.task_type not in fits:
        fit_names = ", ".join(fits)
        raise ValidationError({"strategy": [f"{strategy} trains only {fit_names} kinds, not {model_kind.task_type}."]})
    if model_kind.task.generative and not settings.SUITE_GENERATOR:
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

    task = tasks.generative_training_run_execute if K.get_kind(run.kind).task.generative else tasks.training_run_execute

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
    """Fail running runs whose worker stopped sending heartbeats, so the kind can train again (the beat's jobs sweep
    does the same for every kind; starting a run does it for its own kind at once)."""
    stale_after = None if timeout is None else timedelta(seconds=timeout)
    rows = TrainingRun.objects.filter(kind=kind) if kind else None
    return RUNS.sweep(stale_after=stale_after, rows=rows).failed


class _Abandoned(Exception):
    """The run row is no longer running (reaped or cancelled elsewhere): stop, and write nothing more on it."""


def _heartbeat_interval() -> float:
    timeout = settings.ML_RUN_HEARTBEAT_TIMEOUT
    return getattr(settings, "ML_HEARTBEAT_INTERVAL", None) or max(0.2, min(30.0, timeout / 10))


class _RunProgress:
    """Writes progress to the run row at most every ML_PROGRESS_INTERVAL seconds, and each phase as it starts."""

    def __init__(self, run_id: int, phases: list | None = None, claim: jobs.Claim | None = None):
        self.run_id, self.last, self.cancel, self.claim = run_id, 0.0, False, claim
        self.phases, self.phase = list(phases or []), None

    def enter(self, phase: str) -> None:
        if phase == self.phase:
            return
        self.phase = phase
        self.phases.append({"name": phase, "at": timezone.now().isoformat()})
        self._write(progress=None, stage=phase, phases=self.phases)

    def _write(self, **fields) -> None:
        if not RUNS.beat(self.run_id, claim=self.claim, **{k: v for k, v in fields.items() if v is not None}):
            raise _Abandoned()

    def __call__(self, fraction: float, stage: str, *, force: bool = False) -> None:
        self.enter(_phase_of(stage))  # a new phase is recorded as it starts, however soon after the last write
        now = time.monotonic()
        if not force and now - self.last < settings.ML_PROGRESS_INTERVAL:
            return
        self.last = now
        self._write(progress=round(min(max(fraction, 0.0), 1.0), 4), stage=stage[:200])
        self.cancel = TrainingRun.objects.filter(pk=self.run_id, cancel_requested=True).exists()


# The phases a run goes through, in order; the run page shows each with its time and an estimate.
PHASES = ("queued", "loading the base model", "training", "scoring the test split", "gate", "done")


def _phase_of(stage: str) -> str:
    return "training" if stage.startswith("epoch ") else stage


def training_run_execute(*, run_id: int, worker: str = "") -> TrainingRun:
    """Train, validate each epoch, test once, save a version, then let the gate decide. Failures are recorded."""
    claim = RUNS.claim(run_id, worker=worker)
    run = TrainingRun.objects.get(pk=run_id)
    if not claim:
        logger.info("training run %s is %s; nothing to do", run_id, run.status)
        return run
    heartbeat = RUNS.heartbeat(run_id, interval=_heartbeat_interval(), claim=claim)
    heartbeat.start()  # before the base model loads: loading is the longest silent step
    progress = _RunProgress(run_id, [{"name": "queued", "at": run.created_at.isoformat()}], claim)
    try:
        run = _train_and_gate(run, progress)
    except _Abandoned:
        logger.warning("training run %s stopped: its row is no longer running", run_id)
    except engine.Cancelled:
        TrainingRun.objects.filter(pk=run_id, status=Status.RUNNING).update(
            status=Status.CANCELLED, stage="cancelled", finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("training run %s failed", run_id)
        TrainingRun.objects.filter(pk=run_id, status=Status.RUNNING).update(
            status=Status.FAILED, stage="failed", finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"[:10_000],
        )
    finally:
        heartbeat.stop()
    run.refresh_from_db()
    signals.run_finished.send(sender=TrainingRun, run=run)
    return run


def base_model_path(kind: K.ModelKind) -> str:
    """What a kind fine-tunes: the generative model for seq2seq kinds, the sentence encoder for the rest."""
    from suite.ml.encoder import encoder_path

    return settings.SUITE_GENERATOR if kind.task.generative else encoder_path()


def _train_and_gate(run: TrainingRun, progress: _RunProgress) -> TrainingRun:
    kind = K.get_kind(run.kind)
    hp = engine.hyperparameters_parse(run.hyperparameters, strategy=run.strategy)
    data = selectors.snapshot_examples(snapshot=run.snapshot)
    progress(0.0, "loading the base model", force=True)
    model = engine.build(kind, base=base_model_path(kind), strategy=run.strategy, hp=hp)

    def on_epoch(record):
        run.epochs = [*run.epochs, {"epoch": record.epoch, "train_loss": record.train_loss, "validation": record.validation, "seconds": record.seconds}]
        progress._write(epochs=run.epochs)

    served = kind.serve(model.predict)  # the gate judges what would be served, not the bare network
    fit = model.fit(
        data["train"], data["validation"], hp,
        evaluate=lambda examples: kind.evaluate(examples, predictor=served),
        primary_metric=kind.primary_metric, on_progress=progress, on_epoch=on_epoch, should_stop=lambda: progress.cancel,
    )
    progress(0.95, "scoring the test split", force=True)
    production = selectors.production_version(kind=run.kind)
    new_test = G.Predictions(kind, data["test"], served)
    current_test = G.Predictions(kind, data["test"], serving.predictor(kind, production))
    progress(0.97, "gate", force=True)
    golden = golden_set_for(kind=run.kind, snapshot=run.snapshot)
    gate = gate_decide(
        kind=kind, new=new_test, current=current_test, current_version=production,
        golden_new=G.Predictions(kind, golden.examples, served) if golden.examples else None,
        golden_current=G.Predictions(kind, golden.examples, serving.predictor(kind, production)) if golden.examples else None,
    )
    test_metrics, baseline = new_test.metrics, current_test.metrics

    with transaction.atomic():
        if not TrainingRun.objects.select_for_update().filter(pk=run.pk, status=Status.RUNNING).exists():
            raise _Abandoned()  # reaped or cancelled meanwhile: a failed run never turns succeeded
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
        alias = ModelAlias.Name.PRODUCTION if gate["promoted"] else ModelAlias.Name.CANDIDATE
        alias_move(kind=run.kind, alias=alias, version=version, reason=AliasMove.Reason.GATE, note=gate["why"])
        progress.enter("done")
        TrainingRun.objects.filter(pk=run.pk).update(
            status=Status.SUCCEEDED, progress=1.0, stage="done", finished_at=timezone.now(), best_epoch=fit.best_epoch,
            test_metrics=test_metrics, baseline_metrics=baseline, gate=gate, heartbeat_at=timezone.now(), error="",
        )
    run.refresh_from_db()
    return run


def gate_decide(
    *, kind: K.ModelKind, new: "G.Predictions", current: "G.Predictions", current_version: ModelVersion | None,
    golden_new: "G.Predictions | None" = None, golden_current: "G.Predictions | None" = None,
) -> dict:
    """Promote only when the paired 95% interval of the improvement clears the kind's margin on the test split AND
    the golden set shows no regression beyond the kind's tolerance; both decisions are kept with their numbers."""
    against = f"production v{current_version.number}" if current_version else "the untrained default"
    interval = G.paired_bootstrap(kind, new, current)
    if golden_new is None:
        golden = {"examples": 0, "passed": False, "why": f"the golden set of {kind.name} has no examples: add some before promoting"}
    else:
        golden = G.golden_check(kind, golden_new, golden_current)
    promoted = interval["passed"] and golden["passed"]
    a, b = interval["new"], interval["current"]
    verdict = "promoted" if promoted else "kept as candidate"
    return {
        "metric": kind.primary_metric, "new": a, "current": b, "against": against, "promoted": promoted,
        "interval": interval, "golden": golden,
        "why": f"{verdict}: against {against} on the same test split, {interval['why']}; {golden['why']}",
    }


# --- golden sets ---------------------------------------------------------------------------------


def golden_set_for(*, kind: str, snapshot: DatasetSnapshot) -> GoldenSet:
    """The kind's golden set; the first time, frozen from `snapshot`'s test split (the first snapshot trained)."""
    existing = GoldenSet.objects.filter(kind=kind).first()
    if existing is not None:
        return existing
    test = selectors.snapshot_examples(snapshot=snapshot)["test"][: K.get_kind(kind).golden_size]
    if not test:
        raise ValidationError({"golden": [f"Snapshot #{snapshot.pk} has no test examples to freeze a golden set of {kind} from."]})
    golden, _ = GoldenSet.objects.get_or_create(kind=kind, defaults={"examples": test, "frozen_from": snapshot})
    return golden


def golden_set_add(*, kind: str, examples: list[dict], user=None) -> GoldenSet:
    """Staff grow a kind's golden set; it never shrinks. Examples are checked like a snapshot's."""
    model_kind = K.get_kind(kind)
    if not examples:
        raise ValidationError({"examples": [f"No examples given: a golden set of {kind} grows by at least one example."]})
    _refuse_unusable(model_kind, examples)
    with transaction.atomic():
        golden = GoldenSet.objects.select_for_update().filter(kind=kind).first() or GoldenSet(kind=kind, examples=[])
        have = {_canonical([e["input"], e["target"]]) for e in golden.examples}
        for i, e in enumerate(examples):
            key = _canonical([e["input"], e["target"]])
            if key not in have:
                have.add(key)
                n = len(golden.examples)
                golden.examples.append({"id": str(e.get("id") or f"golden-{n}"), "group": str(e.get("group") or e.get("id") or f"golden-{n}"),
                                        "input": e["input"], "target": e["target"]})
        golden.updated_by = user
        golden.save()
    return golden


def golden_set_freeze(*, kind: str, snapshot: DatasetSnapshot, user=None) -> GoldenSet:
    """Staff freeze a kind's golden set from a snapshot's test split (only while the kind has none)."""
    if snapshot.kind != kind:
        raise ValidationError({"snapshot": [f"Snapshot #{snapshot.pk} belongs to {snapshot.kind}, not {kind}."]})
    if GoldenSet.objects.filter(kind=kind).exists():
        raise ValidationError({"golden": [f"{kind} already has a golden set; it only grows (add examples to it)."]})
    golden = golden_set_for(kind=kind, snapshot=snapshot)
    GoldenSet.objects.filter(pk=golden.pk).update(updated_by=user)
    return golden


# --- aliases -------------------------------------------------------------------------------------


@transaction.atomic
def alias_move(*, kind: str, alias: str, version: ModelVersion | None, reason: str, user=None, note: str = "", forced: bool = False) -> AliasMove:
    """Point an alias at a version; production at None serves the untrained default."""
    if version is None and alias != ModelAlias.Name.PRODUCTION:
        raise ValidationError({"version": ["Only production can go back to the untrained default."]})
    current = ModelAlias.objects.select_for_update().filter(kind=kind, name=alias).first()
    previous = current.version if current else None
    if version is None:
        if current:
            current.delete()
    elif current:
        current.version = version
        current.save(update_fields=["version", "updated_at"])
    else:
        ModelAlias.objects.create(kind=kind, name=alias, version=version)
    move = AliasMove.objects.create(
        kind=kind, alias=alias, from_version=previous, to_version=version, reason=reason, note=note, moved_by=user, forced=forced
    )
    signals.alias_moved.send(sender=AliasMove, move=move)
    return move


DEFAULT = "default"


def version_label(version: ModelVersion | None) -> str:
    return f"v{version.number}" if version else "the untrained default"


def version_target(*, kind: str, target) -> ModelVersion | None:
    """A version number (or "default") as a version row; None is the untrained default."""
    K.get_kind(kind)
    if isinstance(target, str) and target.strip().lower() == DEFAULT:
        return None
    try:
        number = int(str(target).strip().lstrip("vV"))
    except (TypeError, ValueError):
        raise ValidationError({"version": [f"{target!r} is not a version number or 'default'."]}) from None
    version = ModelVersion.objects.filter(kind=kind, number=number).first()
    if version is None:
        known = ", ".join(f"v{n}" for n in ModelVersion.objects.filter(kind=kind).order_by("number").values_list("number", flat=True))
        raise ValidationError({"version": [f"{kind} has no version {number} (it has {known or 'none yet'}; 'default' is the untrained default)."]})
    return version


def _score_on(kind: K.ModelKind, side: ModelVersion | None, snapshot: DatasetSnapshot, test: list[dict] | None, other: ModelVersion | None):
    metric = kind.primary_metric
    if side is not None and side.snapshot_id == snapshot.pk and metric in (side.metrics.get("test") or {}):
        return float(side.metrics["test"][metric]), test
    # The other side's run scored `side` on the same split when `side` was serving at its gate.
    run = other.training_run if other is not None and other.training_run_id and other.snapshot_id == snapshot.pk else None
    if run is not None and other.parent_id == (side.pk if side else None) and metric in (run.baseline_metrics or {}):
        return float(run.baseline_metrics[metric]), test
    try:
        test = test if test is not None else selectors.snapshot_examples(snapshot=snapshot)["test"]
        return float(kind.evaluate(test, predictor=serving.predictor(kind, side)).get(metric, 0.0)), test
    except Exception:  # artifact or snapshot file gone: fall back to the side's own recorded figure
        logger.warning("could not score %s on snapshot %s", version_label(side), snapshot.pk, exc_info=True)
        recorded = (side.metrics.get("test") or {}).get(metric) if side is not None else None
        return (float(recorded) if recorded is not None else None), test


def promotion_check(*, kind: str, target: ModelVersion | None, current: ModelVersion | None) -> dict | None:
    """Both sides on one gate split (the target's test split, else the current one's); None when nothing compares."""
    model_kind = K.get_kind(kind)
    snapshot = (target.snapshot if target is not None and target.snapshot_id else None) or (
        current.snapshot if current is not None and current.snapshot_id else None
    )
    if snapshot is None:
        return None
    t, test = _score_on(model_kind, target, snapshot, None, current)
    c, _ = _score_on(model_kind, current, snapshot, test, target)
    if t is None or c is None:
        return None
    return {"metric": model_kind.primary_metric, "target": t, "current": c, "split": f"snapshot #{snapshot.pk} test split", "below": t < c}


def version_promote(*, kind: str, number=None, target=None, user=None, note: str = "", force: bool = False, reason: str = "") -> AliasMove:
    """Put a version (or "default") into production. One that scored below what serves needs force and a reason."""
    target = version_target(kind=kind, target=number if target is None else target)
    current = selectors.production_version(kind=kind)
    if (current.pk if current else None) == (target.pk if target else None):
        raise ValidationError({"version": [f"{kind} already serves {version_label(target)}."]})
    check = promotion_check(kind=kind, target=target, current=current)
    forced = bool(check and check["below"])
    if forced:
        if not force:
            raise ValidationError({"confirm": [
                f"{version_label(target)} scored {check['metric']} {check['target']:.4f} against {version_label(current)}'s "
                f"{check['current']:.4f} on {check['split']}: confirm the promotion and give a reason."
            ]}, code="needs_confirmation")
        if not reason.strip():
            raise ValidationError({"reason": [f"Say why {version_label(target)} goes into production although it scored lower."]})
    text = note or "promoted by hand"
    if check:
        text += f" ({check['metric']} {check['target']:.4f} vs {check['current']:.4f} on {check['split']})"
    if reason.strip():
        text += f"; reason: {reason.strip()}"
    return alias_move(
        kind=kind, alias=ModelAlias.Name.PRODUCTION, version=target, reason=AliasMove.Reason.PROMOTE, user=user, note=text, forced=forced,
    )


def rollback_target(*, kind: str) -> tuple[bool, ModelVersion | None]:
    """(possible, version) production would roll back to: what served before the current one was put in place."""
    current = selectors.production_version(kind=kind)
    placed = AliasMove.objects.filter(kind=kind, alias=ModelAlias.Name.PRODUCTION, to_version=current).exclude(
        reason=AliasMove.Reason.ROLLBACK
    ).select_related("from_version").first()
    if placed is not None:
        return True, placed.from_version
    return current is not None, None  # a version with no recorded move still rolls back to the default


def version_rollback(*, kind: str, user=None, target=None) -> AliasMove:
    """Move production back: to `target` (a version that served before, or "default"), else to what served before
    the current one. Repeated, it always reaches the untrained default."""
    K.get_kind(kind)
    current = selectors.production_version(kind=kind)
    if target is not None and str(target).strip() != "":
        version = version_target(kind=kind, target=target)
        served = version is None or AliasMove.objects.filter(kind=kind, alias=ModelAlias.Name.PRODUCTION, to_version=version).exists()
        if not served:
            raise ValidationError({"version": [f"{kind} v{version.number} never served in production: promote it instead."]})
    else:
        possible, version = rollback_target(kind=kind)
        if not possible:
            raise ValidationError({"kind": [f"{kind} already serves the untrained default: there is nothing earlier to roll back to."]})
    if (current.pk if current else None) == (version.pk if version else None):
        raise ValidationError({"version": [f"{kind} already serves {version_label(version)}."]})
    return alias_move(
        kind=kind, alias=ModelAlias.Name.PRODUCTION, version=version, reason=AliasMove.Reason.ROLLBACK,
        user=user, note=f"rolled back from {version_label(current)}",
    )


# --- periodic retraining -------------------------------------------------------------------------

_example_sources = []


def example_source_register(source) -> None:
    """A provider of accepted examples `source(kind_name, since) -> list[dict]` (the annotation app)."""
    if source not in _example_sources:
        _example_sources.append(source)


def example_sources() -> list:
    return list(_example_sources)


def accepted_examples(*, kind: str, since=None) -> list[dict]:
    """Every accepted example of a kind (selectors.accepted_examples; kept here for callers that write)."""
    return selectors.accepted_examples(kind=kind, since=since)


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
