"""Learning from few corrections, through the product's own path, measured on held-out data.

For each kind with public labelled data, every correction goes: a served output (the serving model's prediction,
recorded), a flag by the person who saw it, the task it opens with its pre-annotation, an annotator's answer (the
dataset's own labels), a reviewer's accept. Every `--every` corrections: a snapshot, a `feature` run, the gate; after
25, 50, 100 and 200 corrections the trained version's held-out metric (records never flagged, never trained on, never
used for choosing) next to the untrained default's. Two orders over the same flagged pool: the queue's active-learning
order (`task_next` with the uncertainty strategy and its diversity option; after each run the newest trained version,
promoted or not, re-scores the open tasks' queue confidence) and random order (a seeded random open task).

CPU-frugal: the feature strategy never changes the encoder, so this process keeps the frozen encoder's output per
token window / text (and saves it under var/bench-loop/) and every later run, re-scoring and evaluation only runs the
head; the numbers are the same as without the cache.

    nice -n 10 .venv/bin/python bench/loop.py [--kinds resumes.ner,summarizer.clauses,chatbot.intent]
        [--steps 25,50,100,200] [--every 25] [--epochs 30] [--uncertainty entropy] [--outside-weight 1.0]
        [--orders active,random] [--tag NAME]
    .venv/bin/python bench/loop.py --report      # merges bench/results/loop-*.json into loop.json and prints the table
Writes bench/results/loop-<kind>[-<tag>].json row by row.
"""

import argparse
import csv
import hashlib
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
RESULTS = ROOT / "bench" / "results"
SEED = 13


# --- data: (pool, held_out) per kind; held_out is never flagged, trained on or used to choose ------------------------


def dotin(kind, held_out=40):
    from resumes.formats import clean_spans

    path = DATA / "resumes" / "dotin" / "train.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    records = []
    for r in rows:
        spans, _ = clean_spans(r["text"], r.get("entities") or [], kind.labels)
        records.append({"id": f"dotin-{r['id']}", "group": f"dotin-{r['id']}", "input": r["text"], "target": spans})
    return records[:-held_out], records[-held_out:]


def cuad(kind, held_out=15, pool_contracts=40):
    """Pool: the imported form of CUAD (labelled passages plus as many sampled unlabelled ones) of some contracts;
    held out: every passage of other contracts, as lawyers meet them (one key term shown per category)."""
    from summarizer.formats import cuad_items, cuad_key, cuad_labels, cuad_passages, read_cuad_folder

    contracts, rows = read_cuad_folder(DATA / "contracts" / "cuad")
    random.Random(SEED).shuffle(rows)
    test_rows, pool_rows = rows[:held_out], rows[held_out : held_out + pool_contracts]
    test = []
    for row in test_rows:
        passages, _ = cuad_passages(contracts[cuad_key(row["Filename"])], cuad_labels(row))
        test += [
            {"id": f"{row['Filename']}@{p.start}", "group": row["Filename"], "input": p.text, "target": labels}
            for p, labels in passages
        ]
    pool = [
        {"id": key, "group": item["group"], "input": item["input"], "target": item["result"]}
        for key, item in cuad_items(contracts, pool_rows, seed=SEED)
    ]
    return pool, test


def medicationqa(kind, held_out=100):
    """Real consumer questions (MedicationQA): their intent is 'question' by construction; no public set labels the others."""
    with (DATA / "medical" / "medicationqa" / "medicationqa.csv").open(encoding="utf-8") as f:
        questions = list(
            dict.fromkeys(r["Question"].strip() for r in csv.DictReader(f) if r.get("Question", "").strip())
        )
    records = [
        {"id": f"mqa-{i}", "group": f"mqa-{i}", "input": q, "target": "question"} for i, q in enumerate(questions)
    ]
    random.Random(SEED).shuffle(records)
    return records[held_out:], records[:held_out]


SOURCES = {"resumes.ner": dotin, "summarizer.clauses": cuad, "chatbot.intent": medicationqa}


# --- a frozen-encoder cache: the feature strategy never changes the encoder ------------------------------------------

_features: dict = {}
_features_loaded_from: Path | None = None


def cache_frozen_encoder(path: Path):
    """Keep EncoderNet.features per unpadded token row; every model here is a feature-strategy head on the same frozen
    packaged encoder, so the rows are what the encoder would compute again (padding positions are never read)."""
    import torch

    from suite.ml.engine import networks

    global _features_loaded_from
    _features.clear()  # one kind's rows at a time: memory stays one kind's
    if path.exists():
        _features.update(torch.load(path))
    _features_loaded_from = path
    compute = getattr(networks.EncoderNet.features, "uncached", networks.EncoderNet.features)

    def features(self, input_ids, attention_mask):
        lengths = attention_mask.sum(1).tolist()
        ids = input_ids.tolist()
        keys = [(self.token_level, tuple(row[:n])) for row, n in zip(ids, lengths)]
        missing = [i for i, k in enumerate(keys) if k not in _features]
        if missing:
            width = max(lengths[i] for i in missing)
            with torch.no_grad():
                fresh = compute(self, input_ids[missing, :width], attention_mask[missing, :width]).float()
            for row, i in enumerate(missing):
                _features[keys[i]] = fresh[row, : lengths[i]].clone() if self.token_level else fresh[row].clone()
        if self.token_level:
            out = torch.zeros(len(keys), input_ids.shape[1], self.head.in_features)
            for i, k in enumerate(keys):
                out[i, : lengths[i]] = _features[k]
            return out
        return torch.stack([_features[k] for k in keys])

    features.uncached = compute
    networks.EncoderNet.features = features

    def restore():
        global _features_loaded_from
        networks.EncoderNet.features, _features_loaded_from = compute, None
        _features.clear()

    return restore


def save_features() -> None:
    import torch

    if _features_loaded_from is not None:  # written aside then renamed: a parallel run never reads half a file
        partial = _features_loaded_from.with_suffix(f".{os.getpid()}.tmp")
        torch.save(_features, partial)
        partial.replace(_features_loaded_from)


# --- the product's path ----------------------------------------------------------------------------------------------


def setup(var: Path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")
    os.environ["VAR_DIR"] = str(var)
    import django

    django.setup()
    import torch
    from django.core.management import call_command

    torch.set_num_threads(1)
    call_command("migrate", verbosity=0)


def reset():
    """A clean database and model folder state for each arm: the loop starts from the untrained default every time."""
    from annotation.models import Annotation, AnnotationTask, Assignment, Flag
    from suite.ml import engine
    from suite.ml.models import (
        AliasMove,
        DatasetSnapshot,
        GoldenSet,
        ModelAlias,
        ModelOutput,
        ModelVersion,
        TrainingRun,
    )

    for model in (Flag, Annotation, Assignment, AnnotationTask, AliasMove, ModelAlias, ModelOutput):
        model.objects.all().delete()
    ModelVersion.objects.update(parent=None, training_run=None)
    for model in (ModelVersion, TrainingRun, GoldenSet, DatasetSnapshot):
        model.objects.all().delete()
    engine.forget()


def users():
    """A patient who flags, an annotator, a reviewer; made afresh each arm (a rerun in the same database too)."""
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    get_user_model().objects.filter(username__startswith="loop-").delete()
    return tuple(UserFactory(role=role, username=f"loop-{role}") for role in ("patient", "annotator", "reviewer"))


def serve_and_flag(kind, pool, owner):
    """Each pool record is shown to its owner through the serving model and flagged: a task with its pre-annotation."""
    from annotation import services as annotation
    from suite.ml import selectors
    from suite.ml import services as ml

    version = selectors.production_version(kind=kind.name)
    predictions = kind.predict([r["input"] for r in pool], version=version)
    for record, prediction in zip(pool, predictions):
        output = ml.model_output_record(
            kind=kind.name,
            input=record["input"],
            output=prediction,
            version=version,
            score=prediction.get("score"),
            owner=owner,
        )
        annotation.flag_create(output=output, user=owner, reason="wrong")


def rescore_queue(kind, version):
    """The newest trained version (promoted or not) re-scores how sure it is of each open task: the queue's order.
    The product re-fills only empty suggestions, with the production version (annotation.services.preannotation_run);
    the pre-annotation people see stays what was served."""
    from annotation import services as annotation
    from annotation.models import AnnotationTask

    open_tasks = list(AnnotationTask.objects.filter(kind=kind.name, status="open"))
    if not open_tasks or version is None:
        return
    predictions = kind.predict_with([t.input for t in open_tasks], version)
    for task, prediction in zip(open_tasks, predictions):
        task.prediction_score = annotation.queue_confidence(prediction, prediction.get("score"))
    AnnotationTask.objects.bulk_update(open_tasks, ["prediction_score"])


def correct(kind, truth, annotator, reviewer, n, order, rng):
    """n corrections: the annotator takes items (the queue's order, or a random open one), answers, the reviewer accepts."""
    from annotation import services as annotation
    from annotation.models import AnnotationTask, Assignment

    done = 0
    while done < n:
        if order == "active":
            task = annotation.task_next(user=annotator, kind=kind.name)
        else:
            open_ids = sorted(AnnotationTask.objects.filter(kind=kind.name, status="open").values_list("id", flat=True))
            task = AnnotationTask.objects.get(pk=rng.choice(open_ids)) if open_ids else None
            if task is not None:
                Assignment.objects.create(task=task, annotator=annotator)
        if task is None:
            break
        answer = annotation.annotation_submit(task=task, user=annotator, result=truth[_key(task.input)])
        annotation.annotation_review(annotation=answer, reviewer=reviewer, accept=True)
        done += 1
    return done


def _key(value) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True).encode()).hexdigest()


def train(kind, hp):
    """A snapshot of the accepted answers, a feature run in this process (the worker's own code), the gate."""
    from annotation import services as annotation
    from suite.ml import services as ml

    snapshot = annotation.snapshot_freeze(kind=kind.name, seed=SEED)
    run = ml.training_run_start(
        kind=kind.name, strategy="feature", hyperparameters=hp, snapshot=snapshot, enqueue=False
    )
    started = time.monotonic()
    run = ml.training_run_execute(run_id=run.pk, worker="bench/loop.py")
    return snapshot, run, time.monotonic() - started


def held_out_metrics(kind, held_out, version) -> dict:
    predictor = kind.default_predict if version is None else (lambda xs: kind.predict_with(xs, version))
    predictions = predictor([e["input"] for e in held_out])
    replay = dict(zip((_key(e["input"]) for e in held_out), predictions))
    metrics = kind.evaluate(held_out, predictor=lambda xs: [replay[_key(x)] for x in xs])
    if kind.name == "summarizer.clauses":
        metrics.update(key_term_counts(held_out, predictions))
    return {k: v for k, v in metrics.items() if not isinstance(v, dict)}


def key_term_counts(examples, predictions) -> dict:
    """Precision and recall behind summarizer.clauses' key_term_f1 (one passage shown per category and contract)."""
    from summarizer.pipeline import clauses as C

    by_group: dict[str, list] = {}
    for example, prediction in zip(examples, predictions):
        by_group.setdefault(example["group"], []).append((set(example["target"]), prediction))
    tp = fp = fn = 0
    for passages in by_group.values():
        wanted = set().union(*(gold for gold, _ in passages))
        for label in C.LABELS:
            shown = [
                (p.get("scores", {}).get(label, 0.0), gold) for gold, p in passages if label in p.get("labels", [])
            ]
            if shown:
                hit = label in max(shown, key=lambda s: s[0])[1]
                tp, fp, fn = tp + hit, fp + (not hit), fn + (label in wanted and not hit)
            else:
                fn += label in wanted
    return {
        "key_term_precision": tp / (tp + fp) if tp + fp else 0.0,
        "key_term_recall": tp / (tp + fn) if tp + fn else 0.0,
        "key_terms_wanted": tp + fn,
    }


def arm(kind, pool, held_out, *, steps, every, order, hp, out, seed=SEED):
    from django.conf import settings
    from django.core.exceptions import ValidationError

    rng = random.Random(seed)  # the flag order and the random picks; splits keep SEED
    reset()
    patient, annotator, reviewer = users()
    pool = pool[:]
    rng.shuffle(pool)  # the order people happened to flag them in: the same for both arms
    truth = {_key(r["input"]): r["target"] for r in pool}
    started = time.monotonic()
    serve_and_flag(kind, pool, patient)
    print(f"{kind.name} {order}: {len(pool)} flagged in {time.monotonic() - started:.0f} s", flush=True)
    settings.ANNOTATION_QUEUE_DIVERSITY = order == "active"
    corrected, checkpoints = 0, sorted(set(steps) | (set(range(every, max(steps) + 1, every)) if every else set()))
    for checkpoint in checkpoints:
        got = correct(kind, truth, annotator, reviewer, checkpoint - corrected, order, rng)
        corrected += got
        if got == 0:
            break
        try:
            snapshot, run, seconds = train(kind, hp)
        except ValidationError as exc:  # the product refuses the snapshot (e.g. one class only): say so, stop this arm
            row = {
                "kind": kind.name,
                "order": order,
                "corrections": corrected,
                "status": "refused",
                "error": " ".join(exc.messages),
            }
            out["rows"].append(row)
            print(json.dumps(row), flush=True)
            write(out)
            break
        version = run.version if run.status == "succeeded" else None
        row = {
            "kind": kind.name,
            "order": order,
            "corrections": corrected,
            "status": run.status,
            "snapshot": snapshot.split_counts,
            "seconds": round(seconds, 1),
        }
        if version is None:
            row["error"] = (run.error or "").splitlines()[:1]
        else:
            gate = run.gate
            row.update(
                version=version.number,
                promoted=gate["promoted"],
                interval={k: gate["interval"].get(k) for k in ("difference", "low", "high")},
                golden={k: gate["golden"].get(k) for k in ("examples", "new", "current", "passed")},
            )
            if order == "active":
                rescore_queue(kind, version)
            if corrected in steps:
                row["held_out"] = held_out_metrics(kind, held_out, version)
        out["rows"].append(row)
        print(json.dumps(row), flush=True)
        write(out)
        save_features()
    return out


def write(out):
    RESULTS.mkdir(parents=True, exist_ok=True)
    Path(out["file"]).write_text(json.dumps({k: v for k, v in out.items() if k != "file"}, indent=2))


# --- the report --------------------------------------------------------------------------------------------------------

METRIC_COLUMNS = {  # kind: (metric, precision, recall)
    "resumes.ner": ("f1", "precision", "recall"),
    "summarizer.clauses": ("key_term_f1", "key_term_precision", "key_term_recall"),
    "chatbot.intent": ("accuracy", None, None),
}


def table(results: list[dict]) -> str:
    lines = [
        "| kind | metric | order | corrections | train/val/test | held-out | precision | recall | vs default | gate (95% interval of the gain) |",
        "|---|---|---|---:|---|---:|---:|---:|---:|---|",
    ]
    fmt = lambda v: "—" if v is None else f"{v:.3f}"
    for result in results:
        name = result["kind"] + (f" ({result['tag']})" if result.get("tag") else "")
        metric, p, r = METRIC_COLUMNS[result["kind"]]
        d = result["default"]
        lines.append(
            f"| {name} | {metric} | untrained default | 0 | — | {fmt(d.get(metric))} | {fmt(d.get(p))} | {fmt(d.get(r))} | — | — |"
        )
        for row in sorted(result["rows"], key=lambda row: (row["order"], row["corrections"])):
            h = row.get("held_out")
            if row.get("status") == "refused":
                lines.append(
                    f"| {name} | {metric} | {row['order']} | {row['corrections']} | — | — | — | — | — | snapshot refused: {row['error']} |"
                )
            if not h:
                continue
            s = row["snapshot"]
            iv = row.get("interval") or {}
            gate = (
                f"{'promoted' if row['promoted'] else 'candidate'} [{iv.get('low', 0):+.3f}, {iv.get('high', 0):+.3f}]"
            )
            gain = h[metric] - d[metric]
            lines.append(
                f"| {name} | {metric} | {row['order']} | {row['corrections']} | {s['train']}/{s['validation']}/{s['test']} | "
                f"{fmt(h.get(metric))} | {fmt(h.get(p))} | {fmt(h.get(r))} | {gain:+.3f} | {gate} |"
            )
    return "\n".join(lines)


def active_vs_random(result: dict) -> list[dict]:
    metric = METRIC_COLUMNS[result["kind"]][0]
    by = {(r["order"], r["corrections"]): r["held_out"][metric] for r in result["rows"] if r.get("held_out")}
    return [
        {
            "corrections": n,
            "active": by[("active", n)],
            "random": by[("random", n)],
            "active_better": by[("active", n)] > by[("random", n)],
        }
        for n in sorted({c for _, c in by})
        if ("active", n) in by and ("random", n) in by
    ]


def merged_results() -> list[dict]:
    """One result per kind and variant: a run of one order only (tag `random` or `active`, or `<variant>-random`) joins
    its variant's other order."""
    merged: dict = {}
    for path in sorted(RESULTS.glob("loop-*.json")):
        result = json.loads(path.read_text())
        tag = result.get("tag") or ""
        variant = "" if tag in ("random", "active") else tag.removesuffix("-random").removesuffix("-active")
        key = (result["kind"], variant)
        if key not in merged:
            merged[key] = {**result, "tag": variant, "rows": []}
        have = {(r["order"], r["corrections"]) for r in merged[key]["rows"] if r.get("held_out")}
        merged[key]["rows"] += [
            r for r in result["rows"] if not (r.get("held_out") and (r["order"], r["corrections"]) in have)
        ]
    return list(merged.values())


def report():
    results = merged_results()
    merged = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": results,
        "active_vs_random": {f"{r['kind']} {r.get('tag') or ''}".strip(): active_vs_random(r) for r in results},
    }
    (RESULTS / "loop.json").write_text(json.dumps(merged, indent=2))
    print(table(results))
    print(json.dumps(merged["active_vs_random"], indent=1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", default="resumes.ner,summarizer.clauses,chatbot.intent")
    parser.add_argument("--steps", default="25,50,100,200")
    parser.add_argument(
        "--every",
        type=int,
        default=25,
        help="a run (and, in the active order, a re-scored queue) every N corrections; 0: only at the steps",
    )
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--uncertainty", default="entropy", choices=("least_confidence", "margin", "entropy"))
    parser.add_argument(
        "--outside-weight", type=float, default=None, help="resumes.ner: weight of the O tag in the loss"
    )
    parser.add_argument("--orders", default="active,random")
    parser.add_argument("--seed", type=int, default=SEED, help="the order people flag in and the random order's picks")
    parser.add_argument("--tag", default="")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    if args.report:
        return report()
    if not DATA.is_dir():
        print(f"no public data at {DATA}: nothing to measure")
        return
    suffix = f"-{args.tag}" if args.tag else ""
    var = (
        ROOT / "var" / "bench-loop" / (args.kinds.replace(",", "+") + suffix)
    )  # its own database: kinds run side by side
    var.mkdir(parents=True, exist_ok=True)
    setup(var)
    from django.conf import settings

    from suite.ml import kinds as K

    settings.ANNOTATION_UNCERTAINTY = args.uncertainty
    steps = [int(s) for s in args.steps.split(",")]
    for name in args.kinds.split(","):
        kind = K.get_kind(name)
        cache_frozen_encoder(var.parent / f"features-{name}.pt")
        pool, held_out = SOURCES[name](kind)
        hp = {"epochs": args.epochs, "head_learning_rate": 1e-2, "patience": 5, "max_length": 128}
        if args.outside_weight is not None and kind.task_type == K.TOKEN_CLASSIFICATION:
            hp["outside_weight"] = args.outside_weight
        out = {
            "kind": name,
            "tag": args.tag,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "steps": steps,
            "every": args.every,
            "strategy": "feature",
            "hyperparameters": hp,
            "uncertainty": args.uncertainty,
            "diversity_in_active_order": True,
            "seed": args.seed,
            "pool": len(pool),
            "held_out": len(held_out),
            "rows": [],
            "file": str(RESULTS / f"loop-{name}{suffix}.json"),
        }
        started = time.monotonic()
        out["default"] = held_out_metrics(kind, held_out, None)
        print(
            name,
            f"pool {len(pool)}, held out {len(held_out)}; default:",
            json.dumps(out["default"]),
            f"({time.monotonic() - started:.0f} s)",
            flush=True,
        )
        write(out)
        for order in args.orders.split(","):
            arm(kind, pool, held_out, steps=steps, every=args.every, order=order, hp=hp, out=out, seed=args.seed)
        out["finished"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        write(out)
        print(table([out]), flush=True)


if __name__ == "__main__":
    main()
