"""Reads of the model runtime."""
import json

from django.conf import settings

from suite.ml import kinds as K
from suite.ml.models import AliasMove, DatasetSnapshot, ModelAlias, ModelVersion, TrainingRun


def alias_version(*, kind: str, alias: str) -> ModelVersion | None:
    row = ModelAlias.objects.select_related("version").filter(kind=kind, name=alias).first()
    return row.version if row else None


def production_version(*, kind: str) -> ModelVersion | None:
    return alias_version(kind=kind, alias=ModelAlias.Name.PRODUCTION)


def production_versions(*, kinds: list[str]) -> dict[str, ModelVersion | None]:
    """The serving version of several kinds in one query (None where a kind still runs its default)."""
    rows = ModelAlias.objects.select_related("version").filter(kind__in=kinds, name=ModelAlias.Name.PRODUCTION)
    found = {row.kind: row.version for row in rows}
    return {kind: found.get(kind) for kind in kinds}


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
