"""Train resumes.ner's CRF on the product's own path: the latest snapshot (frozen now when none exists), a training
run with the crf strategy, and the gate, which serves the new version only when it beats what serves now.

manage.py import_annotations dotin ../shared/data/resumes/dotin/train.jsonl --kind resumes.ner --accepted
manage.py train_entity_tagger [--snapshot ID] [--c1 0.2] [--c2 0.01] [--points 4]
(the same as `manage.py train resumes.ner`, whose default strategy is crf, with the CRF's own knobs)
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--snapshot", type=int, help="a resumes.ner snapshot id (default: the latest, else a new one)"
        )
        parser.add_argument("--c1", type=float, dest="l1_penalty", help="L1 penalty at the grid's centre")
        parser.add_argument("--c2", type=float, dest="l2_penalty", help="L2 penalty at the grid's centre")
        parser.add_argument("--points", type=int, dest="epochs", help="grid points to try on the validation split")

    def handle(self, *args, **opts):
        from annotation.services import snapshot_freeze
        from resumes.ml import NER
        from suite.ml import engine, services
        from suite.ml.models import DatasetSnapshot

        hp = {k: opts[k] for k in ("l1_penalty", "l2_penalty", "epochs") if opts[k] is not None}
        try:
            engine.hyperparameters_parse(hp, strategy="crf")  # before a snapshot is frozen for nothing
        except engine.HyperparameterError as exc:
            raise CommandError(str(exc)) from None
        try:
            if opts["snapshot"]:
                snapshot = DatasetSnapshot.objects.filter(pk=opts["snapshot"], kind=NER).first()
                if snapshot is None:
                    raise CommandError(f"No {NER} snapshot #{opts['snapshot']}.")
            else:
                snapshot = DatasetSnapshot.objects.filter(kind=NER).first() or snapshot_freeze(kind=NER)
            run = services.training_run_start(
                kind=NER, strategy="crf", hyperparameters=hp, snapshot=snapshot, enqueue=False
            )
        except ValidationError as exc:
            raise CommandError(" ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        run = services.training_run_execute(run_id=run.pk)
        for epoch in run.epochs:
            v = epoch["validation"]
            self.stdout.write(
                f"c1={v.get('c1')} c2={v.get('c2')}: validation micro F1 {v.get('f1', 0):.3f} "
                f"({epoch['seconds']:.0f} s)"
            )
        if run.status != "succeeded":
            raise CommandError(f"Run #{run.pk} {run.status}: {run.error.splitlines()[0] if run.error else ''}")
        test, before = run.test_metrics, run.baseline_metrics
        self.stdout.write(
            f"test micro P {test['precision']:.3f} R {test['recall']:.3f} F1 {test['f1']:.3f} "
            f"against {before['f1']:.3f} "
            f"served before; gate: {run.gate.get('why', '')}"
        )
