"""Train resumes.ner's CRF on the latest snapshot of accepted annotations; serve it when it beats what serves now.

manage.py import_annotations dotin ../shared/data/resumes/dotin/train.jsonl --kind resumes.ner --accepted
manage.py snapshot resumes.ner        # or let this command freeze one when none exists
manage.py train_entity_tagger [--snapshot ID] [--no-promote]
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--snapshot", type=int, help="a resumes.ner snapshot id (default: the latest, else a new one)"
        )
        parser.add_argument("--no-promote", action="store_true", help="measure only; never serve the result")
        parser.add_argument("--max-iterations", type=int, default=150)
        parser.add_argument("--grid", default="", help="(c1, c2) pairs to try, as JSON: [[0.2, 0.01]] (default: GRID)")

    def handle(self, *args, **opts):
        from resumes.ml import NER
        from resumes.services.entity_model import entity_tagger_train
        from suite.ml.models import DatasetSnapshot

        import json

        from resumes.services.entity_model import GRID

        try:
            grid = tuple(tuple(float(v) for v in pair) for pair in json.loads(opts["grid"])) if opts["grid"] else GRID
        except (ValueError, TypeError):
            raise CommandError("--grid must be JSON pairs of numbers, such as [[0.2, 0.01]].") from None
        snapshot = None
        if opts["snapshot"]:
            snapshot = DatasetSnapshot.objects.filter(pk=opts["snapshot"], kind=NER).first()
            if snapshot is None:
                raise CommandError(f"No {NER} snapshot #{opts['snapshot']}.")
        try:
            report = entity_tagger_train(
                snapshot=snapshot,
                grid=grid,
                promote=not opts["no_promote"],
                max_iterations=opts["max_iterations"],
                log=lambda line: self.stdout.write(line),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        test = report["test"]
        self.stdout.write(f"test micro P {test['precision']:.3f} R {test['recall']:.3f} F1 {test['f1']:.3f}")
