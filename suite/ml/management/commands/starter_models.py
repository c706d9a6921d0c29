"""Starter models in one command: import the public datasets found in a data folder, freeze snapshots, train and
gate every kind that has data, through the product's own commands and services (`make models DATA=...`)."""
import gzip
import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from suite.ml import kinds as K
from suite.ml import services
from suite.ml.engine import STRATEGIES
from suite.ml.management.commands.train import run_report
from suite.ml.models import TrainingRun

# Which public dataset teaches which kind, and through which import format of the annotation catalogue.
# A dataset that is absent is skipped; the chatbot kinds have no public labelled set here.
CATALOGUE = [
    {"kind": "resumes.ner", "format": "dotin", "files": ["resumes/dotin/train.jsonl"]},
    {"kind": "summarizer.clauses", "format": "cuad", "files": ["contracts/cuad/contracts.jsonl.gz", "contracts/cuad/master_clauses.csv.gz"]},
    {"kind": "summarizer.salience", "format": "scitldr", "files": ["papers/scitldr/train.jsonl.gz"]},
]


def _open_text(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def _head_lines(path: Path, limit: int) -> list[str]:
    with _open_text(path) as lines:
        out = []
        for line in lines:
            if line.strip():
                out.append(line if line.endswith("\n") else line + "\n")
                if limit and len(out) >= limit:
                    break
        return out


def sliced_source(entry: dict, data: Path, limit: int, folder: Path) -> Path:
    """The file the importer reads: the dataset itself, or its first `limit` records in a temporary file."""
    paths = [data / f for f in entry["files"]]
    if entry["format"] == "cuad":  # the importer takes a zip of contracts.jsonl(.gz) and master_clauses.csv(.gz)
        contracts, clauses = paths
        target = folder / "cuad.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("contracts.jsonl", "".join(_head_lines(contracts, limit)))
            with _open_text(clauses) as csv_text:
                archive.writestr("master_clauses.csv", csv_text.read())
        return target
    (source,) = paths
    if not limit:
        return source
    target = folder / Path(source.name.removesuffix(".gz")).name
    target.write_text("".join(_head_lines(source, limit)), encoding="utf-8")
    return target


class Command(BaseCommand):
    help = (
        "Import the public datasets found under --data, freeze a snapshot per kind and train it through the gate "
        "(small CPU-friendly defaults; --limit slices each dataset)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", default="../shared/data", help="the public data folder (default ../shared/data)")
        parser.add_argument("--limit", type=int, default=200, help="records per dataset (0: all); default 200")
        parser.add_argument("--kind", action="append", dest="kinds", help="only these kinds (repeatable)")
        parser.add_argument("--strategy", default=None, choices=list(STRATEGIES), help="default: each kind's own")
        parser.add_argument("--epochs", type=int, default=3)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, data: str, limit: int, kinds, strategy: str | None, epochs: int, as_json: bool, **options):
        folder = Path(data)
        if not folder.is_dir():
            raise CommandError(f"No data folder at {folder.resolve()}: pass DATA=path/to/shared/data.")
        if limit < 0:
            raise CommandError("--limit must be 0 (everything) or more.")
        entries = [e for e in CATALOGUE if not kinds or e["kind"] in kinds]
        report = []
        for entry in entries:
            row = {"kind": entry["kind"], "dataset": entry["files"][0]}
            report.append(row)
            try:
                K.get_kind(entry["kind"])
            except K.UnknownKind:
                row["skipped"] = "kind not registered"
                continue
            missing = [f for f in entry["files"] if not (folder / f).exists()]
            if missing:
                row["skipped"] = f"not found: {', '.join(missing)}"
                self._say(as_json, f"{entry['kind']}: skipped ({row['skipped']})")
                continue
            row.update(self._one(entry, folder, limit, strategy, epochs, as_json))
        if as_json:
            self.stdout.write(json.dumps({"kinds": report}, indent=2))

    def _say(self, as_json: bool, text: str):
        if not as_json:
            self.stdout.write(text)

    def _one(self, entry: dict, data: Path, limit: int, strategy: str | None, epochs: int, as_json: bool) -> dict:
        kind = entry["kind"]
        strategy = strategy or K.get_kind(kind).default_strategy
        with tempfile.TemporaryDirectory(prefix="starter-") as tmp:
            source = sliced_source(entry, data, limit, Path(tmp))
            out = io.StringIO()
            try:
                call_command("import_annotations", entry["format"], str(source), kind=kind, accepted=True, stdout=out)
            except CommandError as exc:
                self._say(as_json, f"{kind}: import failed: {exc}")
                return {"error": f"import: {exc}"}
        self._say(as_json, f"{kind}: {out.getvalue().strip().splitlines()[0] if out.getvalue().strip() else 'imported'}")
        try:
            snapshot = services.snapshot_freeze(kind=kind)
            run = services.training_run_start(
                kind=kind, strategy=strategy, hyperparameters={"epochs": epochs}, snapshot=snapshot, enqueue=False
            )
        except ValidationError as exc:
            self._say(as_json, f"{kind}: not trained: {' '.join(exc.messages)}")
            return {"error": " ".join(exc.messages)}
        splits = snapshot.split_counts
        self._say(as_json, f"{kind}: snapshot #{snapshot.pk}, {snapshot.size} examples "
                           f"(train {splits.get('train')}, validation {splits.get('validation')}, test {splits.get('test')}); training run #{run.pk} ({strategy}, {epochs} epochs)")
        run = services.training_run_execute(run_id=run.pk, worker="manage.py starter_models")
        result = run_report(run)
        if run.status != TrainingRun.Status.SUCCEEDED:
            self._say(as_json, f"{kind}: run #{run.pk} {run.status}: {result['error']}")
            return {"snapshot": snapshot.pk, "run": run.pk, "status": run.status, "error": result["error"]}
        gate = run.gate
        self._say(as_json, f"{kind}: v{result['version']} {'PROMOTED to production' if gate['promoted'] else 'kept as candidate'}")
        for part in ("interval", "golden"):
            if gate.get(part):
                self._say(as_json, f"  {part}: {'passed' if gate[part]['passed'] else 'refused'}: {gate[part]['why']}")
        return {"snapshot": snapshot.pk, "run": run.pk, "status": run.status, "version": result["version"], "gate": gate}
