import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotation.services.snapshots import snapshot_freeze
from suite.ml.kinds import UnknownKind


class Command(BaseCommand):
    help = "Freeze the accepted annotations of a model kind into a dataset snapshot (seeded, grouped, stratified split)."

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, kind: str, seed: int, as_json: bool, **options):
        try:
            snapshot = snapshot_freeze(kind=kind, seed=seed)
        except UnknownKind as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        report = {
            "id": snapshot.pk, "kind": snapshot.kind, "size": snapshot.size, "split_counts": snapshot.split_counts,
            "label_counts": snapshot.label_counts, "seed": snapshot.seed, "content_hash": snapshot.content_hash,
        }
        if as_json:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            splits = ", ".join(f"{k} {v}" for k, v in snapshot.split_counts.items())
            self.stdout.write(f"Snapshot #{snapshot.pk} of {kind}: {snapshot.size} examples ({splits}); hash {snapshot.content_hash[:12]}")
