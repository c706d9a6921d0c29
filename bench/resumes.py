"""Benchmark of the careers app: resumes.ner untrained vs trained (per-label P/R/F1 on held-out dotin resumes),
parse throughput, and recommendation latency over the NYC postings and over 100,000 generated postings.

Also the profile a candidate sees, field by field, on the 30 hand-written resumes of bench/data/resumes (uploaded and
parsed through the product's own upload and parse services; two-column ones as PDFs).

Runs in its own temporary VAR_DIR with the real encoder (all-MiniLM-L6-v2):
    .venv/bin/python bench/resumes.py [--train 260] [--heldout 40] [--epochs N] [--hp '{"learning_rate": 1e-4}']
    .venv/bin/python bench/resumes.py --profiles-only     # the profile fields alone (seconds, no training)
    .venv/bin/python bench/resumes.py --tagger-only       # resumes.ner alone, the crf strategy (or --strategy), minutes
Prints Markdown tables and writes bench/results/resumes.json (or resumes-profiles.json with --profiles-only).
"""

import argparse
import atexit
import io
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PARSER = argparse.ArgumentParser(description=__doc__)
PARSER.add_argument("--train", type=int, default=260, help="dotin resumes to snapshot for training (the first ones)")
PARSER.add_argument("--heldout", type=int, default=40, help="dotin resumes held out for evaluation (the last ones)")
PARSER.add_argument("--epochs", type=int, default=None, help="default: the kind's")
PARSER.add_argument("--hp", default="{}", help="JSON hyperparameters over the kind's defaults")
PARSER.add_argument("--strategy", default=None, help="default: the kind's")
PARSER.add_argument("--queries", type=int, default=50, help="profiles to time recommendations with")
PARSER.add_argument("--generated", type=int, default=100_000)
PARSER.add_argument("--profiles-only", action="store_true", help="only the profile fields on bench/data/resumes")
PARSER.add_argument(
    "--tagger-only",
    action="store_true",
    help="only resumes.ner: a crf run (or --strategy) on the first --train, scored on the held-out rest",
)
ARGS = PARSER.parse_args()

VAR = tempfile.mkdtemp(prefix="fineloop-bench-resumes-")
atexit.register(shutil.rmtree, VAR, ignore_errors=True)
os.environ["VAR_DIR"] = VAR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")
os.environ.pop("SUITE_ENCODER", None)  # the real, packaged encoder

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DOTIN = DATA / "resumes" / "dotin" / "train.jsonl"


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q)) if values else None


PROFILES = ROOT / "bench" / "data" / "resumes"
PROFILE_FIELDS = ("name", "email", "phone", "current_title", "degree", "companies", "total_experience")


def _norm(value) -> str:
    import re

    return re.sub(r"[^\w]+", " ", str(value or "").lower()).strip()


def _resume_file(path: Path) -> tuple[str, bytes]:
    """A written resume as the candidate would upload it: text, or a PDF whose two columns sit side by side."""
    raw = path.read_text()
    if "<<<LEFT>>>" not in raw:
        return path.stem + ".txt", raw.encode()
    from tests.resumes.support import two_column_pdf

    left = raw.split("<<<LEFT>>>")[1].split("<<<RIGHT>>>")[0]
    right = raw.split("<<<RIGHT>>>")[1].split("<<<END>>>")[0]
    return path.stem + ".pdf", two_column_pdf(left, right)


# The hand-written sets, each with what it may claim: the first two were read while the rules were written.
PROFILE_SETS = {
    "written": (PROFILES, "resumes written before the rules, then used while developing them"),
    "unseen": (PROFILES / "unseen", "resumes written after the rules, later used while developing them"),
    "unseen2": (PROFILES / "unseen2", "written blind (without reading the parser); after its one blind run two causes it showed were fixed"),
}


def profile_fields(folder: Path = PROFILES) -> dict:
    """Field-by-field profile accuracy on the hand-labelled resumes, through resume_upload and resume_parse.

    Exact match after case and punctuation are set aside; companies as precision/recall over each resume's list;
    total experience within 12 months of the union of the labelled timeline. Precision = right / answered.
    """
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from resumes.pipeline import dates as DD
    from resumes.services import resume_parse, resume_upload
    from tests.factories import UserFactory

    labels = json.loads((folder / "labels.json").read_text())
    user = UserFactory(role="candidate")
    today = date.today().strftime("%Y-%m")
    tally = {f: {"right": 0, "answered": 0, "total": 0} for f in PROFILE_FIELDS}
    company = {"right": 0, "found": 0, "labelled": 0}
    misses, seconds = [], 0.0
    for rid, want in labels.items():
        name, data = _resume_file(folder / f"{rid}.txt")
        started = time.perf_counter()
        resume = resume_parse(resume_id=resume_upload(user=user, file=SimpleUploadedFile(name, data), enqueue=False).pk)
        seconds += time.perf_counter() - started
        p = resume.parse_result if resume.status == "done" else {}
        got = {
            "name": p.get("name"),
            "email": p.get("email"),
            "phone": p.get("phone"),
            "current_title": p.get("current_title"),
            "degree": (p.get("education") or [{}])[0].get("degree") if p.get("education") else "",
            "total_experience": p.get("total_experience_months"),
        }
        # No timeline (a resume without dates): the honest answer is no total, or none counted.
        timeline = want["timeline"]
        expected_months = DD.total_months([(a, today if b == "present" else b) for a, b in timeline]) if timeline else None
        for field in PROFILE_FIELDS:
            if field == "companies":
                continue
            tally[field]["total"] += 1
            value = got[field]
            if field == "total_experience":
                tally[field]["answered"] += 1
                ok = not value if expected_months is None else value is not None and abs(value - expected_months) <= 12
                shown = (value, expected_months)
            else:
                tally[field]["answered"] += bool(value)
                ok = _norm(value) == _norm(want[field])
                shown = (value, want[field])
            tally[field]["right"] += ok
            if not ok:
                misses.append({"resume": rid, "field": field, "got": shown[0], "want": shown[1]})
        found = [_norm(j.get("company")) for j in p.get("experience", []) if j.get("company")]
        labelled = [_norm(c) for c in want["companies"]]
        right = sum(min(found.count(c), labelled.count(c)) for c in set(labelled))
        company.update(
            right=company["right"] + right,
            found=company["found"] + len(found),
            labelled=company["labelled"] + len(labelled),
        )
        if sorted(found) != sorted(labelled):
            misses.append({"resume": rid, "field": "companies", "got": found, "want": labelled})
        tally["companies"]["total"] += 1
        tally["companies"]["answered"] += bool(found)
        tally["companies"]["right"] += sorted(found) == sorted(labelled)
    out = {}
    for field, t in tally.items():
        out[field] = {
            "accuracy": round(t["right"] / t["total"], 4),
            "precision": round(t["right"] / t["answered"], 4) if t["answered"] else None,
            "answered": t["answered"],
            "total": t["total"],
        }
    out["companies"]["entity_precision"] = round(company["right"] / max(1, company["found"]), 4)
    out["companies"]["entity_recall"] = round(company["right"] / max(1, company["labelled"]), 4)
    return {
        "resumes": len(labels),
        "two_column": sum("<<<LEFT>>>" in (folder / f"{r}.txt").read_text() for r in labels),
        "fields": out,
        "misses": misses,
        "upload_and_parse_per_second": round(len(labels) / seconds, 2),
    }


def profile_table(result: dict, title: str = "hand-written resumes") -> str:
    rows = [
        f"Profile fields on {result['resumes']} {title} ({result['two_column']} two-column PDFs), "
        f"uploaded and parsed through the product's services; goal >= 0.90 each",
        "",
        "| field | right (of all) | precision (right / answered) | answered |",
        "|---|---|---|---|",
    ]
    for field, m in result["fields"].items():
        extra = (
            f" (per company: P {m['entity_precision']:.2f} / R {m['entity_recall']:.2f})"
            if field == "companies"
            else ""
        )
        label = "total experience (within 12 months)" if field == "total_experience" else field.replace("_", " ")
        rows.append(
            f"| {label} | {m['accuracy']:.2f} | {m['precision'] if m['precision'] is None else format(m['precision'], '.2f')}{extra} | {m['answered']}/{m['total']} |"
        )
    return "\n".join(rows)


def main_profiles():
    call_command("migrate", verbosity=0)
    result = {part: profile_fields(folder) for part, (folder, _) in PROFILE_SETS.items()}
    table = "\n\n".join(profile_table(result[part], title) for part, (_, title) in PROFILE_SETS.items())
    print(table)
    for part in PROFILE_SETS:
        for miss in result[part]["misses"]:
            print(f"  {part} miss:", miss)
    result["table"] = table
    result["date"] = time.strftime("%Y-%m-%d")
    out = ROOT / "bench" / "results" / "resumes-profiles.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"wrote {out}")
    return result


def main():
    if not DOTIN.exists():
        sys.exit(f"{DOTIN} is missing: the benchmark reads ../shared/data")
    call_command("migrate", verbosity=0)
    from annotation.services import items_import
    from resumes.formats import DotinResumes
    from resumes.ml import NER
    from resumes.pipeline import matcher as M
    from resumes.pipeline.entities import LABELS
    from resumes.services import import_jobs_nyc, job_index_build
    from resumes.services.matching import job_index, recommend_for_profile
    from resumes.services.resumes import parse_text
    from suite.ml import engine
    from suite.ml import kinds as K
    from suite.ml import metrics as MET
    from suite.ml import services as ml_services
    from suite.ml.encoder import get_encoder

    kind = K.get_kind(NER)
    importer = DotinResumes()
    items = [item for _, item in importer.parse(io.BytesIO(DOTIN.read_bytes()), kind=kind)]
    heldout = items[-ARGS.heldout :]
    train = items[
        : max(0, min(ARGS.train, len(items) - ARGS.heldout))
    ]  # never a held-out resume, whatever the file holds
    results = {
        "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(), "torch_threads": None},
        "dotin": {
            "resumes": len(items),
            "train": len(train),
            "heldout": len(heldout),
            "spans_dropped": dict(importer.dropped),
        },
    }
    import torch

    results["machine"]["torch_threads"] = torch.get_num_threads()

    def per_label(predict):
        started = time.perf_counter()
        predictions = predict([x["input"] for x in heldout])
        seconds = time.perf_counter() - started
        truth = [[tuple(s) for s in x["result"]] for x in heldout]
        guess = [[tuple(s[:3]) for s in p["spans"]] for p in predictions]
        scores = MET.span_metrics(truth, guess)
        return scores, len(heldout) / seconds

    results["reference"] = reference_import()  # O*NET/ESCO: the skills taxonomy and the CRF's gazetteers
    # --- untrained: sections, patterns, the starting taxonomy --------------------------------
    untrained, untrained_rate = per_label(kind.default_predict)
    print(f"untrained: micro F1 {untrained['f1']:.3f}, {untrained_rate:.1f} resumes/s", flush=True)

    # --- trained on the first part of dotin -----------------------------------------------------
    items_import(kind=NER, items=train, accepted=True)
    from annotation.services import snapshot_freeze

    snapshot = snapshot_freeze(kind=NER)
    hp = {**kind.default_hyperparameters, **json.loads(ARGS.hp)}
    if ARGS.epochs:
        hp.update(epochs=ARGS.epochs, patience=ARGS.epochs)
    strategy = ARGS.strategy or kind.default_strategy
    started = time.perf_counter()
    run = ml_services.training_run_start(
        kind=NER, strategy=strategy, hyperparameters=hp, snapshot=snapshot, enqueue=False
    )
    run = ml_services.training_run_execute(run_id=run.pk)
    train_seconds = time.perf_counter() - started
    if run.status != "succeeded":
        sys.exit(f"training failed: {run.error}")
    version = run.snapshot.modelversion_set.first() if hasattr(run.snapshot, "modelversion_set") else None
    from suite.ml.models import ModelVersion

    version = ModelVersion.objects.get(training_run=run)
    trained, trained_rate = per_label(engine.load(version, kind).predict)  # the model alone
    served, _ = per_label(
        lambda inputs: kind.predict_with(inputs, version)
    )  # model + precise rules, as parsing serves it
    print(
        f"trained ({strategy}, {run.hyperparameters['epochs']} epochs, {train_seconds:.0f}s): micro F1 {trained['f1']:.3f}, "
        f"served (with rules) {served['f1']:.3f}; gate {run.gate['why']}",
        flush=True,
    )
    results["ner"] = {
        "strategy": strategy,
        "hyperparameters": run.hyperparameters,
        "train_seconds": round(train_seconds, 1),
        "snapshot_split": run.snapshot.split_counts,
        "epochs": run.epochs,
        "best_epoch": run.best_epoch,
        "gate": run.gate,
        "untrained": untrained,
        "trained": trained,
        "served": served,
    }

    # --- parse throughput: text to profile, with the serving model -----------------------------
    texts = [x["input"] for x in heldout]
    rates = {}
    for name, v in (("untrained", None), ("trained", version)):
        started = time.perf_counter()
        for text in texts:
            if v is None:
                from resumes.pipeline.entities import default_entities
                from resumes.pipeline.profile import build_profile
                from resumes.selectors import skill_taxonomy

                build_profile(text, default_entities(text, skill_taxonomy()), skill_taxonomy())
            else:
                parse_text(text, version=v)
        rates[name] = len(texts) / (time.perf_counter() - started)
    results["parse_resumes_per_second"] = {k: round(v, 2) for k, v in rates.items()}

    # --- recommendations over NYC postings and over generated postings --------------------------
    from suite.ml.models import ModelAlias

    ModelAlias.objects.filter(kind=NER).delete()  # profiles from the rule parser, so timing is of matching alone
    started = time.perf_counter()
    counts = import_jobs_nyc(DATA / "jobs" / "nyc_jobs" / "NYC_Jobs.csv.gz")
    job_index_build()
    results["nyc_import"] = {**counts, "seconds_with_embedding": round(time.perf_counter() - started, 1)}
    profiles = [parse_text(x["input"])[0] for x in items[: ARGS.queries]]
    index = job_index()
    encoder = get_encoder()
    full, core = [], []
    for profile in profiles:
        started = time.perf_counter()
        recommend_for_profile(profile, top=10, index=index)
        full.append((time.perf_counter() - started) * 1000)
    vectors = encoder.encode(
        [__import__("resumes.pipeline.profile", fromlist=["profile_text"]).profile_text(p) for p in profiles]
    )

    def time_core(idx):
        out = []
        for profile, vector in zip(profiles, vectors):
            started = time.perf_counter()
            M.rank(
                idx,
                profile_vector=vector,
                skills=[s["normalized"] for s in profile["skills"]],
                months=profile["total_experience_months"],
                location=profile["location"],
                top=10,
            )
            out.append((time.perf_counter() - started) * 1000)
        return out

    core = time_core(index)
    # 100,000 postings: NYC embeddings resampled with noise, skills and seniority drawn from real postings.
    rng = np.random.default_rng(13)
    n = ARGS.generated
    pick = rng.integers(0, index.size, n)
    emb = index.embeddings[pick] + rng.normal(0, 0.05, (n, index.embeddings.shape[1])).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    inverse = {col: name for name, col in index.skill_vocab.items()}
    skills = [[inverse[c] for c in index.skill_matrix[i].indices] for i in pick]
    big = M.build_index(
        np.arange(n) + 10_000_000, emb, skills, index.seniority[pick], [index.locations[i] for i in pick]
    )
    core_big = time_core(big)
    results["recommend_ms"] = {
        "nyc_postings": index.size,
        "generated_postings": n,
        "queries": len(profiles),
        "nyc_full": {"p50": percentile(full, 50), "p95": percentile(full, 95)},
        "nyc_ranking": {"p50": percentile(core, 50), "p95": percentile(core, 95)},
        "generated_ranking": {"p50": percentile(core_big, 50), "p95": percentile(core_big, 95)},
    }

    def cells(m):
        return f"{m.get('precision', 0):.2f} | {m.get('recall', 0):.2f} | {m.get('f1', 0):.2f}"

    split = run.snapshot.split_counts
    table = [
        f"resumes.ner on the last {len(heldout)} dotin resumes; trained on the first {len(train)} (snapshot split "
        f"{split.get('train')}/{split.get('validation')}/{split.get('test')}), {strategy}, "
        f"{len(run.epochs)} epochs, {train_seconds:.0f} s; served = trained model + e-mail/name rules",
        "",
        "| label | support | untrained P | R | F1 | trained P | R | F1 | served P | R | F1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label in LABELS:
        support = untrained["per_label"].get(label, {}).get("support", 0)
        table.append(
            f"| {label} | {support} | {cells(untrained['per_label'].get(label, {}))} | "
            f"{cells(trained['per_label'].get(label, {}))} | {cells(served['per_label'].get(label, {}))} |"
        )
    table.append(f"| **micro** | | {cells(untrained)} | {cells(trained)} | {cells(served)} |")
    r = results["recommend_ms"]
    table += [
        "",
        "| measure | value |",
        "|---|---|",
        f"| parse throughput, untrained (resumes/s) | {rates['untrained']:.1f} |",
        f"| parse throughput, trained (resumes/s) | {rates['trained']:.1f} |",
        f"| recommend, {r['nyc_postings']} NYC postings, end to end p50 / p95 (ms) | {r['nyc_full']['p50']:.1f} / {r['nyc_full']['p95']:.1f} |",
        f"| rank, {r['nyc_postings']} NYC postings p50 / p95 (ms) | {r['nyc_ranking']['p50']:.1f} / {r['nyc_ranking']['p95']:.1f} |",
        f"| rank, {n:,} generated postings p50 / p95 (ms) | {r['generated_ranking']['p50']:.1f} / {r['generated_ranking']['p95']:.1f} |",
    ]
    ModelAlias.objects.filter(kind=NER).delete()
    # With the rules alone (the trained model's alias was removed above): profile fields come from layout rules.
    results["profiles"] = {part: profile_fields(folder) for part, (folder, _) in PROFILE_SETS.items()}
    for part, (_, title) in PROFILE_SETS.items():
        table += ["", profile_table(results["profiles"][part], title)]
    print("\n".join(table))
    results["table"] = "\n".join(table)
    out = ROOT / "bench" / "results" / "resumes.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"wrote {out}")


def reference_import():
    """O*NET and ESCO as the README imports them: the entity model's gazetteers (titles, skills) live there."""
    from resumes.services import import_esco, import_onet

    started = time.perf_counter()
    counts = {"onet": import_onet(DATA / "jobs" / "onet")}
    counts["esco"] = import_esco(DATA / "jobs" / "esco" / "skills.csv.gz")
    return {**counts, "seconds": round(time.perf_counter() - started, 1)}


def main_tagger():
    """resumes.ner's CRF through the product's path: reference import, annotation import, snapshot, a crf training run
    and its gate; then the held-out resumes untrained (rules) / trained (CRF alone) / served, and parse throughput."""
    if not DOTIN.exists():
        sys.exit(f"{DOTIN} is missing: the benchmark reads ../shared/data")
    call_command("migrate", verbosity=0)
    from annotation.services import items_import, snapshot_freeze
    from resumes.formats import DotinResumes
    from resumes.ml import NER
    from resumes.pipeline.entities import LABELS
    from resumes.services.resumes import parse_text
    from suite.ml import engine, serving
    from suite.ml import kinds as K
    from suite.ml import metrics as MET
    from suite.ml import services as ml_services
    from suite.ml.models import ModelVersion

    kind = K.get_kind(NER)
    items = [item for _, item in DotinResumes().parse(io.BytesIO(DOTIN.read_bytes()), kind=kind)]
    heldout = items[-ARGS.heldout :]
    train = items[: max(0, min(ARGS.train, len(items) - ARGS.heldout))]
    texts = [x["input"] for x in heldout]
    truth = [[tuple(s) for s in x["result"]] for x in heldout]

    def measured(predict):
        cpu, wall = time.process_time(), time.perf_counter()
        spans = [[tuple(s[:3]) for s in p["spans"]] for p in predict(texts)]
        return (
            MET.span_metrics(truth, spans),
            len(texts) / (time.process_time() - cpu),
            len(texts) / (time.perf_counter() - wall),
        )

    reference = reference_import()
    print(f"reference data: {reference}", flush=True)
    rules, _, _ = measured(kind.default_predict)
    print(f"untrained (rules): micro F1 {rules['f1']:.3f}", flush=True)
    items_import(kind=NER, items=train, accepted=True)
    snapshot = snapshot_freeze(kind=NER)
    strategy = ARGS.strategy or "crf"
    started = time.perf_counter()
    run = ml_services.training_run_start(
        kind=NER, strategy=strategy, hyperparameters=json.loads(ARGS.hp), snapshot=snapshot, enqueue=False
    )
    run = ml_services.training_run_execute(run_id=run.pk)
    train_seconds = time.perf_counter() - started
    if run.status != "succeeded":
        sys.exit(f"training failed: {run.error}")
    for e in run.epochs:
        v = e["validation"]
        print(f"  grid c1={v.get('c1')} c2={v.get('c2')}: validation micro F1 {v['f1']:.3f} ({e['seconds']:.0f} s)")
    version = ModelVersion.objects.get(training_run=run)
    print(f"gate: {run.gate.get('why')}", flush=True)
    trained, _, _ = measured(engine.load(version, kind).predict)  # the CRF alone
    served, served_cpu, _ = measured(lambda xs: serving.predict_with(kind, xs, version))  # as a parse serves it
    print(f"trained micro F1 {trained['f1']:.3f}, served {served['f1']:.3f}", flush=True)
    in_production = serving.production(kind) == version
    for text in texts[:3]:
        parse_text(text, version=version)  # warm: the version loaded, gazetteers and taxonomy cached
    cpu, wall = time.process_time(), time.perf_counter()
    for text in texts:
        parse_text(text, version=version)  # text to profile, as the worker does after extraction
    parse_cpu, parse_wall = len(texts) / (time.process_time() - cpu), len(texts) / (time.perf_counter() - wall)
    from resumes.pipeline.entities import without_overlaps
    from resumes.pipeline.profile import build_profile
    from resumes.selectors import skill_taxonomy

    cpu = time.process_time()
    for text in texts:  # the rules alone, for comparison (parse_text would serve the promoted CRF)
        build_profile(text, without_overlaps(kind.default_predict([text])[0]["spans"]), skill_taxonomy())
    rules_cpu = len(texts) / (time.process_time() - cpu)
    before_path = ROOT / "bench" / "results" / "resumes.json"
    before = json.loads(before_path.read_text())["ner"]["served"] if before_path.exists() else {}

    def cells(m):
        return f"{m.get('precision', 0):.2f} | {m.get('recall', 0):.2f} | {m.get('f1', 0):.2f}"

    split = run.snapshot.split_counts
    best = run.epochs[run.best_epoch - 1]["validation"]
    table = [
        f"resumes.ner on the last {len(heldout)} dotin resumes (never imported), {time.strftime('%Y-%m-%d')}. "
        f"{strategy} run through the product's path (O*NET/ESCO import, annotation import of the first {len(train)}, "
        f"snapshot {split.get('train')}/{split.get('validation')}/{split.get('test')}, training run, gate): "
        f"{len(run.epochs)} grid points, c1={best.get('c1')} c2={best.get('c2')} picked on validation, "
        f"{train_seconds:.0f} s in all. untrained = rules; trained = the CRF alone; served = CRF + precise "
        "e-mail/name rules, as parsing serves it; transformer = the 2026-11-24 served MiniLM (resumes.json)",
        "",
        "| label | support | untrained P | R | F1 | transformer P | R | F1 | trained P | R | F1 | served P | R | F1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label in LABELS:
        support = rules["per_label"].get(label, {}).get("support", 0)
        row = [rules, before, trained, served]
        table.append(
            f"| {label} | {support} | " + " | ".join(cells(m.get("per_label", {}).get(label, {})) for m in row) + " |"
        )
    table.append(f"| **micro** | | {cells(rules)} | {cells(before)} | {cells(trained)} | {cells(served)} |")
    table += [
        "",
        "| measure | value |",
        "|---|---|",
        f"| snapshot test split, micro F1 served (against what served before) | {run.test_metrics['f1']:.3f} "
        f"({run.baseline_metrics['f1']:.3f}) |",
        f"| gate | {'promoted' if in_production else 'kept as candidate'}: {run.gate.get('why', '')} |",
        f"| tagging alone, served (resumes/s, CPU time) | {served_cpu:.1f} |",
        f"| parse with the CRF, text to profile (resumes/s, CPU time / wall clock) | {parse_cpu:.1f} / "
        f"{parse_wall:.1f} |",
        f"| parse with the rules alone (resumes/s, CPU time) | {rules_cpu:.1f} |",
    ]
    print("\n".join(table))
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "train": len(train),
        "heldout": len(heldout),
        "strategy": strategy,
        "train_seconds": round(train_seconds, 1),
        "reference": reference,
        "run": {
            "hyperparameters": run.hyperparameters, "epochs": run.epochs, "best_epoch": run.best_epoch,
            "split": split, "test": run.test_metrics, "baseline": run.baseline_metrics, "gate": run.gate,
            "promoted": in_production,
        },
        "untrained": rules,
        "trained": trained,
        "served": served,
        "transformer_2026_11_24": before,
        "resumes_per_second": {
            "tagging_served_cpu": round(served_cpu, 2), "parse_cpu": round(parse_cpu, 2),
            "parse_wall": round(parse_wall, 2), "parse_rules_cpu": round(rules_cpu, 2),
        },
        "machine": {"cpu_count": os.cpu_count(), "load": os.getloadavg()},
        "table": "\n".join(table),
    }
    path = ROOT / "bench" / "results" / "resumes-tagger.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"wrote {path}")


if __name__ == "__main__":
    main_profiles() if ARGS.profiles_only else main_tagger() if ARGS.tagger_only else main()
