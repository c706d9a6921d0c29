"""Reads of the model runtime."""
import json
import statistics
import threading
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from suite.ml import kinds as K
from suite.ml.models import AliasMove, DatasetSnapshot, GoldenSet, ModelAlias, ModelVersion, TrainingRun


def alias_version(*, kind: str, alias: str) -> ModelVersion | None:
    row = ModelAlias.objects.select_related("version").filter(kind=kind, name=alias).first()
    return row.version if row else None


# Every process keeps the serving versions it looked up, tagged with the serving generation; any alias move
# (in any process) changes the generation, so the next request of every process sees the new version.
_serving: dict = {"generation": None, "versions": {}}
_serving_lock = threading.Lock()


def serving_generation() -> tuple:
    """A cheap fingerprint of every alias move: one indexed aggregate, no join."""
    moves = AliasMove.objects.aggregate(last=Max("id"), n=Count("id"), at=Max("moved_at"))
    return (moves["last"], moves["n"], moves["at"].isoformat() if moves["at"] else None)


def production_versions(*, kinds: list[str]) -> dict[str, ModelVersion | None]:
    """The serving version of several kinds (None where a kind still runs its default), checked per request."""
    generation = serving_generation()
    with _serving_lock:
        if _serving["generation"] != generation:
            _serving["generation"], _serving["versions"] = generation, {}
        known = dict(_serving["versions"])
    missing = [kind for kind in kinds if kind not in known]
    if missing:
        rows = ModelAlias.objects.select_related("version").filter(kind__in=missing, name=ModelAlias.Name.PRODUCTION)
        found = {row.kind: row.version for row in rows}
        fetched = {kind: found.get(kind) for kind in missing}
        with _serving_lock:
            if _serving["generation"] == generation:
                _serving["versions"].update(fetched)
        known.update(fetched)
    return {kind: known[kind] for kind in kinds}


def production_version(*, kind: str) -> ModelVersion | None:
    return production_versions(kinds=[kind])[kind]


def production_moved_at(*, kind: str):
    """When the kind's production alias last moved (None: the untrained default has always served)."""
    return AliasMove.objects.filter(kind=kind, alias=ModelAlias.Name.PRODUCTION).aggregate(at=Max("moved_at"))["at"]


def accepted_examples(*, kind: str, since=None) -> list[dict]:
    """Every accepted example of a kind from every registered source: the one path manual snapshots and
    scheduled retraining both take."""
    from suite.ml.services import example_sources

    K.get_kind(kind)
    return [e for source in example_sources() for e in source(kind, since)]


def golden_set(*, kind: str) -> GoldenSet | None:
    return GoldenSet.objects.filter(kind=kind).first()


def _parse(at: str) -> datetime:
    return datetime.fromisoformat(at)


def _phase_durations(kind: str, limit: int = 5) -> dict[str, float]:
    """Median seconds of each phase over the kind's last finished runs (the estimates a live run shows)."""
    seconds: dict[str, list[float]] = {}
    for run in TrainingRun.objects.filter(kind=kind, status=TrainingRun.Status.SUCCEEDED).exclude(phases=[]).only("phases")[:limit]:
        phases = run.phases
        for here, after in zip(phases, phases[1:]):
            seconds.setdefault(here["name"], []).append((_parse(after["at"]) - _parse(here["at"])).total_seconds())
    return {name: statistics.median(values) for name, values in seconds.items()}


def run_phases(*, run: TrainingRun) -> list[dict]:
    """The run's phases in order: done ones with their seconds, the current one with its elapsed time and an
    estimate of what is left, pending ones with the kind's usual duration."""
    from suite.ml.services import PHASES

    now = timezone.now()
    seen = {p["name"]: p for p in run.phases}
    names = [p["name"] for p in run.phases] + [n for n in PHASES if n not in seen and n != "done"]
    if run.status == TrainingRun.Status.SUCCEEDED and "done" not in names:
        names.append("done")
    usual = _phase_durations(run.kind) if run.is_active else {}
    out = []
    for i, name in enumerate(names):
        row = {"name": name, "state": "pending", "seconds": None, "estimate_seconds": usual.get(name)}
        if name in seen:
            start = _parse(seen[name]["at"])
            following = next((seen[n] for n in names[i + 1 :] if n in seen), None)
            if following is not None:
                row.update(state="done", seconds=round((_parse(following["at"]) - start).total_seconds(), 1), estimate_seconds=None)
            elif name == "done" or not run.is_active:
                row.update(state="done" if name == "done" else run.status, seconds=None, estimate_seconds=None)
            else:
                elapsed = (now - start).total_seconds()
                row.update(state="current", seconds=round(elapsed, 1))
                if name == "training" and run.progress > 0.02:
                    # Training progress runs from 0 to 0.95; what is left follows the pace so far.
                    done = min(run.progress / 0.95, 1.0)
                    row["estimate_seconds"] = round(elapsed * (1 - done) / done, 1)
                elif row["estimate_seconds"] is not None:
                    row["estimate_seconds"] = round(max(row["estimate_seconds"] - elapsed, 0.0), 1)
        elif not run.is_active:
            continue  # a finished run lists what it went through, not what it skipped
        out.append(row)
    return out


def snapshot_examples(*, snapshot: DatasetSnapshot) -> dict[str, list[dict]]:
    """The frozen examples of a snapshot, by split."""
    out = {"train": [], "validation": [], "test": []}
    with (settings.MODEL_ROOT / snapshot.examples_file).open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            out[row.pop("split")].append(row)
    return out


def kind_overview() -> list[dict]:
    """Every registered kind with its serving versions and latest run."""
    aliases = {(a.kind, a.name): a.version for a in ModelAlias.objects.select_related("version")}
    out = []
    for kind in K.all_kinds():
        out.append(
            {
                "name": kind.name,
                "task_type": kind.task_type,
                "metric": kind.primary_metric,
                "description": kind.description,
                "production": aliases.get((kind.name, "production")),
                "candidate": aliases.get((kind.name, "candidate")),
                "latest_run": TrainingRun.objects.filter(kind=kind.name).first(),
                "versions": ModelVersion.objects.filter(kind=kind.name).count(),
                "snapshots": DatasetSnapshot.objects.filter(kind=kind.name).count(),
            }
        )
    return out


def version_list(*, kind: str):
    return ModelVersion.objects.filter(kind=kind).select_related("training_run", "parent")


def alias_history(*, kind: str):
    return AliasMove.objects.filter(kind=kind).select_related("from_version", "to_version", "moved_by")


def run_list(*, kind: str | None = None):
    runs = TrainingRun.objects.select_related("snapshot")
    return runs.filter(kind=kind) if kind else runs


def snapshot_list(*, kind: str):
    return DatasetSnapshot.objects.filter(kind=kind)


def alias_list(*, kind: str):
    return ModelAlias.objects.filter(kind=kind).select_related("version").order_by("name")
