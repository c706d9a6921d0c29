"""Learning from few corrections, through the product's own path, measured on held-out data.

For a kind with public labelled data, each correction goes: a served output (the serving model's prediction,
recorded), a flag by the person who saw it, the task it opens with its pre-annotation, an annotator's answer
(the dataset's own labels), a reviewer's accept. After 25, 50, 100 (and 200) corrections: a snapshot, a training
run, the gate, and the trained version's held-out metric (records the snapshot never held), in the queue's
active-learning order and in random order. Prints a table and writes bench/results/loop.json.

Runs on the real MiniLM encoder with the CPU-friendly feature strategy; its own database under var/bench-loop.
    nice -n 10 .venv/bin/python bench/loop.py [--steps 25,50,100] [--kinds resumes.ner] [--epochs 4]
"""
import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "loop.json"
HELD_OUT = 40  # the last records of each dataset: never flagged, never trained on


def dotin(kind):
    from resumes.formats import clean_spans

    rows = [json.loads(line) for line in (DATA / "resumes" / "dotin" / "train.jsonl").open(encoding="utf-8") if line.strip()]
    out = []
    for r in rows:
        spans, _ = clean_spans(r["text"], r.get("entities") or [], kind.labels)
        out.append({"id": f"dotin-{r['id']}", "input": r["text"], "target": spans})
    return out


SOURCES = {"resumes.ner": dotin}


def setup(var: Path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")
    os.environ["VAR_DIR"] = str(var)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reset():
    """A clean database for each arm: the loop starts from the untrained default every time."""
    from annotation.models import Annotation, AnnotationTask, Assignment, Flag
    from suite.ml.models import AliasMove, DatasetSnapshot, GoldenSet, ModelAlias, ModelOutput, ModelVersion, TrainingRun

    for model in (Flag, Annotation, Assignment, AnnotationTask, AliasMove, ModelAlias, ModelOutput):
        model.objects.all().delete()
    ModelVersion.objects.update(parent=None, training_run=None)
    for model in (ModelVersion, TrainingRun, GoldenSet, DatasetSnapshot):
        model.objects.all().delete()


def users():
    from tests.factories import UserFactory

    return (UserFactory(role="patient"), UserFactory(role="annotator"), UserFactory(role="reviewer"))


def serve_and_flag(kind, pool, owner):
    """Each pool record is shown to its owner through the serving model and flagged: a task with a pre-annotation."""
    from annotation.services import flag_create
    from suite.ml import selectors
    from suite.ml import services as ml

    version = selectors.production_version(kind=kind.name)
    predictions = kind.predict([r["input"] for r in pool], version=version)
    for record, prediction in zip(pool, predictions):
        output = ml.model_output_record(kind=kind.name, input=record["input"], output=prediction, version=version,
                                        score=prediction.get("score"), owner=owner)
        flag_create(output=output, user=owner, reason="wrong")


def correct(kind, truth, annotator, reviewer, n, order, rng):
    """n corrections: the annotator takes items (queue order, or a random open one), answers, the reviewer accepts."""
    from annotation.models import AnnotationTask, Assignment
    from annotation.services import annotation_review, annotation_submit, task_next

    done = 0
    while done < n:
        if order == "active":
            task = task_next(user=annotator, kind=kind.name)
        else:
            open_ids = list(AnnotationTask.objects.filter(kind=kind.name, status="open").values_list("id", flat=True))
            if not open_ids:
                task = None
            else:
                task = AnnotationTask.objects.get(pk=rng.choice(open_ids))
                Assignment.objects.create(task=task, annotator=annotator)
        if task is None:
            break
        annotation = annotation_submit(task=task, user=annotator, result=truth[task.input])
        annotation_review(annotation=annotation, reviewer=reviewer, accept=True)
        done += 1
    return done


def train_and_measure(kind, held_out, epochs):
    from suite.ml import engine, selectors
    from suite.ml import services as ml

    snapshot = ml.snapshot_freeze(kind=kind.name)
    run = ml.training_run_start(kind=kind.name, strategy="feature", hyperparameters={"epochs": epochs}, snapshot=snapshot, enqueue=False)
    started = time.monotonic()
    run = ml.training_run_execute(run_id=run.pk, worker="bench/loop.py")
    seconds = time.monotonic() - started
    if run.status != "succeeded":
        return {"status": run.status, "error": run.error.splitlines()[0] if run.error else ""}
    version = run.version
    trained = kind.evaluate(held_out, predictor=kind.serve(engine.load(version).predict))
    return {
        "status": run.status, "snapshot": snapshot.size, "split": snapshot.split_counts, "version": version.number,
        "promoted": run.gate["promoted"], "interval": {k: run.gate["interval"][k] for k in ("difference", "low", "high")},
        "golden_passed": run.gate["golden"]["passed"], "held_out": trained, "seconds": round(seconds, 1),
        "serving_after": (selectors.production_version(kind=kind.name) or None) and selectors.production_version(kind=kind.name).number,
    }


def arm(kind, records, held_out, steps, order, epochs, seed=13):
    rng = random.Random(seed)
    reset()
    patient, annotator, reviewer = users()
    pool = records[:]
    rng.shuffle(pool)  # the order people happened to flag them in
    truth = {r["input"]: r["target"] for r in pool}
    serve_and_flag(kind, pool, patient)
    rows, corrected = [], 0
    for step in steps:
        corrected += correct(kind, truth, annotator, reviewer, step - corrected, order, rng)
        result = train_and_measure(kind, held_out, epochs)
        rows.append({"kind": kind.name, "order": order, "corrections": corrected, **result})
        _all_rows.append(rows[-1])
        print(json.dumps(rows[-1]), flush=True)
        write(partial=True)
    return rows


_all_rows: list = []
_meta: dict = {}


def write(partial=False):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({**_meta, "partial": partial, "rows": _all_rows}, indent=2))


def table(rows, default):
    lines = ["| kind | order | corrections | held-out F1 | precision | recall | gain over default | gate | seconds |",
             "|---|---|---:|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        h = r.get("held_out") or {}
        d = default.get(r["kind"], {})
        gain = (h.get("f1", 0) - d.get("f1", 0)) if h else None
        gate = ("promoted" if r.get("promoted") else "candidate") if r.get("status") == "succeeded" else r.get("status")
        lines.append(f"| {r['kind']} | {r['order']} | {r['corrections']} | {h.get('f1', float('nan')):.3f} | {h.get('precision', float('nan')):.3f} | "
                     f"{h.get('recall', float('nan')):.3f} | {gain if gain is None else f'{gain:+.3f}'} | {gate} | {r.get('seconds', '')} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", default="25,50,100,200")
    parser.add_argument("--kinds", default="resumes.ner")
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no public data at {DATA}: nothing to measure")
        return
    setup(ROOT / "var" / "bench-loop")
    from suite.ml import kinds as K

    steps = [int(s) for s in args.steps.split(",")]
    _meta.update(date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), steps=steps, strategy="feature", epochs=args.epochs,
                 held_out=HELD_OUT, default={})
    for name in args.kinds.split(","):
        kind = K.get_kind(name)
        records = SOURCES[name](kind)
        held_out, pool = records[-HELD_OUT:], records[:-HELD_OUT][: max(steps) + 20]
        _meta["default"][name] = kind.evaluate(held_out, predictor=kind.default_predict)
        print(name, "default on held-out:", json.dumps(_meta["default"][name]), flush=True)
        for order in ("active", "random"):
            arm(kind, pool, held_out, steps, order, args.epochs)
    write()
    print(table(_all_rows, _meta["default"]))


if __name__ == "__main__":
    main()
