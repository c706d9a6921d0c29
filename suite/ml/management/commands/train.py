import json
import threading

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from suite.ml import kinds as K
from suite.ml import engine, services
from suite.ml.models import DatasetSnapshot, TrainingRun


def run_report(run: TrainingRun) -> dict:
    version = getattr(run, "version", None) if run.status == TrainingRun.Status.SUCCEEDED else None
    return {
        "run_id": run.pk,
        "kind": run.kind,
        "status": run.status,
        "strategy": run.strategy,
        "snapshot": run.snapshot_id,
        "version": version.number if version else None,
        "metrics": version.metrics if version else {},
        "baseline": run.baseline_metrics,
        "promoted": bool(run.gate.get("promoted")),
        "why": run.gate.get("why", ""),
        "gate": run.gate,
        "epochs": run.epochs,
        "error": run.error.splitlines()[0] if run.error else "",
    }


class Command(BaseCommand):
    help = "Fine-tune a model kind on its latest dataset snapshot (or --snapshot / --examples) and gate the result."

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("--strategy", choices=engine.STRATEGIES)
        parser.add_argument("--epochs", type=int)
        parser.add_argument("--lr", type=float, dest="learning_rate")
        parser.add_argument("--batch-size", type=int, dest="batch_size")
        parser.add_argument("--freeze-layers", type=int, dest="frozen_layers")
        parser.add_argument("--snapshot", type=int, help="dataset snapshot id (default: the kind's latest)")
        parser.add_argument("--examples", help="a JSONL file of examples to freeze into a new snapshot first")
        parser.add_argument("--async", action="store_true", dest="run_async", help="queue the run for a worker and return")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **o):
        try:
            kind = K.get_kind(o["kind"])
            snapshot = self._snapshot(kind.name, o)
            hp = {k: o[k] for k in ("epochs", "learning_rate", "batch_size", "frozen_layers") if o[k] is not None}
            run = services.training_run_start(
                kind=kind.name, strategy=o["strategy"], hyperparameters=hp, snapshot=snapshot, enqueue=o["run_async"]
            )
        except K.UnknownKind as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None

        if o["run_async"]:
            self._print({"run_id": run.pk, "kind": run.kind, "status": run.status}, o["json"], f"Queued run #{run.pk} of {run.kind}.")
            return
        run = self._execute_with_progress(run, quiet=o["json"])
        report = run_report(run)
        if o["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self._print_human(report)
        if run.status != TrainingRun.Status.SUCCEEDED:
            raise CommandError(f"Run #{run.pk} {run.status}: {report['error']}")

    def _snapshot(self, kind: str, o) -> DatasetSnapshot | None:
        if o["examples"]:
            try:
                with open(o["examples"], encoding="utf-8") as lines:
                    examples = [json.loads(line) for line in lines if line.strip()]
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"Cannot read examples from {o['examples']}: {exc}") from None
            return services.snapshot_create(kind=kind, examples=examples, origin=f"file {o['examples']}")
        if o["snapshot"]:
            snapshot = DatasetSnapshot.objects.filter(pk=o["snapshot"]).first()
            if snapshot is None:
                raise CommandError(f"No dataset snapshot #{o['snapshot']}.")
            return snapshot
        return None

    def _execute_with_progress(self, run: TrainingRun, *, quiet: bool) -> TrainingRun:
        """Train here, in this process, while the bar follows the progress the run writes to its row."""
        def execute():
            try:
                services.training_run_execute(run_id=run.pk, worker="manage.py train")
            finally:
                connection.close()  # this thread's own connection; left open it would pin the database

        worker = threading.Thread(target=execute)
        worker.start()
        with tqdm(total=100, unit="%", disable=quiet, desc=f"{run.kind} #{run.pk}", file=self.stderr) as bar:
            while worker.is_alive():
                worker.join(0.5)
                run.refresh_from_db()
                bar.n = round(run.progress * 100)
                bar.set_postfix_str(run.stage[:60])
                bar.refresh()
        run.refresh_from_db()
        return run

    def _print(self, data: dict, as_json: bool, text: str):
        self.stdout.write(json.dumps(data) if as_json else text)

    def _print_human(self, r: dict):
        self.stdout.write(f"Run #{r['run_id']} of {r['kind']} ({r['strategy']}): {r['status']}")
        for e in r["epochs"]:
            val = ", ".join(f"{k} {v:.4f}" for k, v in e["validation"].items() if isinstance(v, float))
            self.stdout.write(f"  epoch {e['epoch']}: train loss {e['train_loss']:.4f}; validation {val}")
        if r["version"]:
            for split, metrics in r["metrics"].items():
                shown = ", ".join(f"{k} {v:.4f}" for k, v in metrics.items() if isinstance(v, float))
                self.stdout.write(f"  {split}: {shown}")
            self.stdout.write(f"  version v{r['version']}: {'promoted to production' if r['promoted'] else 'kept as candidate'}")
            self.stdout.write(f"  gate: {'promoted' if r['promoted'] else 'kept as candidate'}")
            for part in ("interval", "golden"):
                if r["gate"].get(part):
                    self.stdout.write(f"    {part}: {'passed' if r['gate'][part]['passed'] else 'refused'}: {r['gate'][part]['why']}")
