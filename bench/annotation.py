"""Benchmark of the annotation app: prints a Markdown table and writes bench/results/annotation.json
(annotation-postgresql.json when DATABASE_URL points at PostgreSQL).

Run from the repository root: .venv/bin/python bench/annotation.py [--items N] [--quick]

It builds its own database and files in a fresh temporary folder (VAR_DIR), never var/fineloop.sqlite3,
and removes the folder at the end. With DATABASE_URL set (PostgreSQL) the rows go there instead and are
deleted again afterwards.

- next task: 8 annotator threads, each taking an item with `task_next` and answering it with
  `annotation_submit` (so the queue moves), over a queue of N open items; only `task_next` is timed.
- export: `annotations_export` for `jsonl` and `labelstudio` on N/10 and N accepted items, each in a
  fresh process (this script with `--export-worker`): once untimed-for-memory for seconds and RSS
  growth, once under tracemalloc for the Python-allocated peak.
"""
import argparse
import atexit
import datetime
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The embedded default and the scaled-out database each keep their own latest result.
RESULTS = ROOT / "bench" / "results" / (
    "annotation-postgresql.json" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "annotation.json"
)

ANNOTATORS = 8
QUEUE_KIND = "bench.queue"
LABELS = ("yes", "no")
FORMATS = ("jsonl", "labelstudio")
P99_GOAL_MS = 50.0
EXPORT_GOAL_S = 30.0
WORDS = ("model data patient contract salary summary training label review clause symptom skill "
         "invoice appointment doctor lawyer resume interview deadline payment").split()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="items in the queue and in the larger export")
    parser.add_argument("--rounds", type=int, default=None, help="task_next calls per annotator (default 200, 20 with --quick)")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (2,000 items, 20 rounds)")
    # Internal: one export measured in a fresh process.
    parser.add_argument("--export-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick and args.items == 100_000:
        args.items = 2_000
    if args.rounds is None:
        args.rounds = 20 if args.quick else 200
    return args


ARGS = parse_args()
OWN_VAR_DIR = None
if ARGS.export_worker and not os.environ.get("VAR_DIR"):
    sys.exit("--export-worker is internal: it runs inside a benchmark's own VAR_DIR")
if not ARGS.export_worker:
    # Our own database and files: set before settings are read.
    OWN_VAR_DIR = tempfile.mkdtemp(prefix="fineloop-bench-")
    atexit.register(shutil.rmtree, OWN_VAR_DIR, ignore_errors=True)  # also when imported, or stopped by an error
    os.environ["VAR_DIR"] = OWN_VAR_DIR
    os.environ.pop("MEDIA_ROOT", None)
    os.environ.pop("MODEL_ROOT", None)
    os.environ.pop("STATIC_ROOT", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from suite.ml import kinds as K  # noqa: E402


def export_kind_name(size: int) -> str:
    return f"bench.export_{size}"


def _register(name: str) -> None:
    try:
        K.get_kind(name)
        return
    except K.UnknownKind:
        pass
    K.register(type(f"Bench_{name.replace('.', '_')}", (K.ModelKind,), {
        "name": name, "task_type": K.CLASSIFICATION, "labels": LABELS,
        "description": "benchmark kind: is the text about yes or no?",
        "default_predict": lambda self, inputs: [{"label": "yes", "score": 0.5, "scores": {}} for _ in inputs],
    }))


def export_sizes(items: int) -> list[int]:
    return sorted({max(1, items // 10), items})


def register_kinds(items: int) -> None:
    """The bench's own classification kinds (test kinds exist only in test settings)."""
    _register(QUEUE_KIND)
    for size in export_sizes(items):
        _register(export_kind_name(size))


# --- export worker (a fresh process per measurement) -------------------------------------------


def export_worker(args) -> None:
    import resource
    import tracemalloc

    from annotation import services

    _register(args.kind)
    connection.ensure_connection()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    base_rss = _rss_kib("VmRSS")
    hwm_reset = _reset_peak_rss()
    if args.tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    rows = services.annotations_export(format=args.format, kind=args.kind, path=args.path)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    if hwm_reset:  # the peak since the reset: the export's own, above the resident set it started from
        growth, how = _rss_kib("VmHWM") - base_rss, "VmHWM after a clear_refs reset, minus VmRSS before"
    else:
        growth, how = after - before, "ru_maxrss after minus before"
    connection.close()
    print(json.dumps({
        "rows": rows, "seconds": seconds, "python_peak_bytes": peak, "rss_growth_kib": growth, "rss_how": how,
        "rss_base_kib": base_rss, "bytes": Path(args.path).stat().st_size,
    }))


def _rss_kib(field: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _rss_kib("VmHWM") > 0 and _rss_kib("VmHWM") <= _rss_kib("VmRSS") + 1024


# --- data ----------------------------------------------------------------------------------------


def sentence(rng: random.Random, i: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(8 + i % 12)) + f" #{i}."


def generate(items: int, seed: int = 7) -> dict:
    """N open queue items plus N/10 and N accepted items for the exports, with bulk_create."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from annotation.models import Annotation, AnnotationProject, AnnotationTask
    from suite.ml.models import ModelVersion
    from suite.services import role_group

    rng = random.Random(seed)
    User = get_user_model()
    now = timezone.now()
    batch = 2_000
    with transaction.atomic():
        annotator_group, reviewer_group = role_group("annotator"), role_group("reviewer")
        annotators = []
        for n in range(ANNOTATORS):
            user = User.objects.create(username=f"bench-annotator-{n}")
            user.groups.add(annotator_group)
            annotators.append(user)
        reviewer = User.objects.create(username="bench-reviewer")
        reviewer.groups.add(reviewer_group)
        queue = AnnotationProject.objects.create(name="bench queue", kind=QUEUE_KIND, overlap=1)

    # A transaction per batch: PostgreSQL checks deferred foreign keys at commit, and one commit of
    # 300,000 rows checked against tables it has never analysed takes minutes.
    flagged = 0
    for start in range(0, items, batch):
        tasks = []
        for i in range(start, min(items, start + batch)):
            flags = rng.choice((1, 2, 3, 5)) if rng.random() < 0.1 else 0
            flagged += flags > 0
            score = round(rng.random(), 4) if rng.random() < 0.7 else None
            tasks.append(AnnotationTask(
                project=queue, kind=QUEUE_KIND, feedback_type="classification", input=sentence(rng, i),
                group=f"doc-{i // 5}", prediction=rng.choice(LABELS) if score is not None else None,
                prediction_score=score, source=AnnotationTask.Source.FLAG if flags else AnnotationTask.Source.IMPORT,
                flag_count=flags,
            ))
        with transaction.atomic():
            AnnotationTask.objects.bulk_create(tasks)
    analyze()

    for size in export_sizes(items):
        kind = export_kind_name(size)
        with transaction.atomic():
            version = ModelVersion.objects.create(kind=kind, number=1, artifact_dir=f"{kind}/v1", strategy="full")
            project = AnnotationProject.objects.create(name=f"bench export {size}", kind=kind)
        for start in range(0, size, batch):
            chunk = [
                AnnotationTask(
                    project=project, kind=kind, feedback_type="classification", input=sentence(rng, i),
                    group=f"doc-{i // 5}", prediction=rng.choice(LABELS), prediction_version=version,
                    prediction_score=round(rng.random(), 4), source=AnnotationTask.Source.IMPORT,
                    status=AnnotationTask.Status.ACCEPTED, accepted_at=now,
                )
                for i in range(start, min(size, start + batch))
            ]
            with transaction.atomic():
                chunk = AnnotationTask.objects.bulk_create(chunk)
                Annotation.objects.bulk_create([
                    Annotation(
                        task=task, annotator=annotators[task.pk % ANNOTATORS], result=result,
                        parent_prediction=task.prediction, changed=result != task.prediction,
                        seconds_spent=round(rng.uniform(2, 60), 1), status=Annotation.Status.ACCEPTED,
                        reviewer=reviewer, reviewed_at=now,
                    )
                    for task, result in ((task, rng.choice(LABELS)) for task in chunk)
                ])
        analyze()
    return {"annotators": [u.pk for u in annotators], "flagged": flagged}


def analyze() -> None:
    """Fresh statistics, as a database that grew to this size would have."""
    from annotation.models import Annotation, AnnotationTask, Assignment

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            for model in (AnnotationTask, Annotation, Assignment):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def cleanup() -> None:
    """On a shared database (PostgreSQL) take the bench's rows away again."""
    from django.contrib.auth import get_user_model

    from annotation.models import AnnotationProject
    from suite.ml.models import ModelVersion

    with transaction.atomic():
        AnnotationProject.objects.filter(kind__startswith="bench.").delete()
        ModelVersion.objects.filter(kind__startswith="bench.").delete()
        get_user_model().objects.filter(username__startswith="bench-").delete()


# --- next-task latency ---------------------------------------------------------------------------


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def annotate_rounds(user_ids: list[int], rounds: int, kind: str | None) -> dict:
    """Each user in its own thread: task_next (timed), then annotation_submit for the served task."""
    from django.contrib.auth import get_user_model

    from annotation import services

    User = get_user_model()
    timings: list[float] = []
    served, empty, errors = 0, 0, []
    lock = threading.Lock()
    barrier = threading.Barrier(len(user_ids))

    def annotator(user_id: int):
        nonlocal served, empty
        mine, got, none = [], 0, 0
        try:
            user = User.objects.get(pk=user_id)
            services.task_next(user=user, kind=kind)  # warm: roles cached on the user, connection open
            barrier.wait()
            for _ in range(rounds):
                start = time.perf_counter()
                task = services.task_next(user=user, kind=kind)
                mine.append((time.perf_counter() - start) * 1000)
                if task is None:
                    none += 1
                    continue
                got += 1
                services.annotation_submit(task=task, user=user, result=random.choice(LABELS), seconds_spent=3.0)
        except Exception as exc:  # reported, not swallowed
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
            barrier.abort()
        finally:
            connection.close()
            with lock:
                timings.extend(mine)
                served += got
                empty += none

    threads = [threading.Thread(target=annotator, args=(uid,)) for uid in user_ids]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    if errors:
        raise RuntimeError("annotator thread failed: " + "; ".join(errors[:3]))
    timings.sort()
    return {"timings": timings, "served": served, "empty": empty, "wall": wall}


def database_label() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (embedded default: WAL, IMMEDIATE transactions, writers queue on a fair lock)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} (DATABASE_URL)"


def latency_section(args, users: list[int]) -> list[dict]:
    db = database_label().split(" (")[0]
    rows = []
    runs = [
        ("8 annotators", users, args.rounds),
        ("1 annotator (no contention)", users[:1], max(10, args.rounds // 4)),
    ]
    for label, ids, rounds in runs:
        result = annotate_rounds(ids, rounds, kind=QUEUE_KIND)
        t = result["timings"]
        note = (f"{len(ids)} thread(s) x {rounds} rounds of task_next(kind=...) + annotation_submit over "
                f"{args.items:,} open items; {db}")
        p99 = percentile(t, 99)
        for name, value in (("p50", percentile(t, 50)), ("p95", percentile(t, 95)), ("p99", p99), ("max", t[-1])):
            row_note = note
            if name == "p99" and len(ids) == ANNOTATORS:
                row_note = f"goal < {P99_GOAL_MS:.0f} ms: " + ("met" if p99 < P99_GOAL_MS else "MISSED") + "; " + note
            rows.append({"section": "next task", "measure": f"{label}: {name}", "value": round(value, 2), "unit": "ms", "note": row_note})
        rows.append({"section": "next task", "measure": f"{label}: calls timed", "value": len(t), "unit": "calls",
                     "note": f"{result['served']:,} served and submitted, {result['empty']} empty, "
                             f"{len(t) / result['wall']:.1f} calls/s overall (incl. submit) in {result['wall']:.1f} s"})
    return rows


# --- exports -------------------------------------------------------------------------------------


def run_worker(fmt: str, kind: str, path: Path, traced: bool) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--export-worker",
               "--format", fmt, "--kind", kind, "--path", str(path)] + (["--tracemalloc"] if traced else [])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), check=False)
    if done.returncode:
        raise RuntimeError(f"export worker failed ({fmt}, {kind}):\n{done.stderr[-3000:]}")
    path.unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_section(args) -> list[dict]:
    out_dir = Path(os.environ["VAR_DIR"]) / "bench-exports"
    out_dir.mkdir(parents=True, exist_ok=True)
    rows, peaks = [], {}
    sizes = export_sizes(args.items)
    for fmt in FORMATS:
        for size in sizes:
            kind = export_kind_name(size)
            path = out_dir / f"{kind}.{fmt}"
            timed = run_worker(fmt, kind, path, traced=False)
            traced = run_worker(fmt, kind, path, traced=True)
            assert timed["rows"] == size == traced["rows"], (timed, traced, size)
            rate = size / timed["seconds"]
            py_peak = traced["python_peak_bytes"] / 2**20
            rss = timed["rss_growth_kib"] / 1024
            peaks[fmt, size] = (py_peak, rss)
            what = f"{fmt}, {size:,} items"
            goal = ""
            if size == max(sizes):
                goal = f"goal {args.items:,} items < {EXPORT_GOAL_S:.0f} s: " + ("met; " if timed["seconds"] < EXPORT_GOAL_S else "MISSED; ")
            fresh = f"fresh process, file {timed['bytes'] / 2**20:.1f} MiB"
            rows += [
                {"section": "export", "measure": f"{what}: throughput", "value": round(rate), "unit": "items/s", "note": fresh},
                {"section": "export", "measure": f"{what}: time", "value": round(timed["seconds"], 2), "unit": "s", "note": goal + fresh},
                {"section": "export", "measure": f"{what}: Python peak", "value": round(py_peak, 2), "unit": "MiB",
                 "note": "tracemalloc peak of Python allocations during the export (separate run, slower, not timed)"},
                {"section": "export", "measure": f"{what}: RSS growth", "value": round(rss, 1), "unit": "MiB",
                 "note": f"peak resident set during the export above the {timed['rss_base_kib'] / 1024:.0f} MiB it started at "
                         f"(Django loaded): {timed['rss_how']}"},
            ]
    small, large = sizes[0], sizes[-1]
    if small != large:
        for fmt in FORMATS:
            ratio = peaks[fmt, large][0] / peaks[fmt, small][0]
            rows.append({
                "section": "export", "measure": f"{fmt}: Python peak {large:,} / {small:,}", "value": round(ratio, 2), "unit": "x",
                "note": f"{large // small}x the items; flat goal (well under {large // small}x, here <= 2x): " + ("met" if ratio <= 2 else "MISSED"),
            })
    shutil.rmtree(out_dir, ignore_errors=True)
    return rows


# --- report --------------------------------------------------------------------------------------


def table(rows: list[dict]) -> str:
    lines = ["| section | measure | value | unit | note |", "|---|---|---:|---|---|"]
    lines += [f"| {r['section']} | {r['measure']} | {r['value']:,} | {r['unit']} | {r['note']} |" for r in rows]
    return "\n".join(lines)


def _code_version() -> str:
    """The commit measured, with '-dirty' when the working tree differs from it."""
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
        return done.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main(args) -> None:
    from django.core.management import call_command

    code = _code_version()  # before anything runs: the code that is measured
    register_kinds(args.items)
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        cleanup()  # rows left by an interrupted earlier run
    try:
        start = time.perf_counter()
        data = generate(args.items)
        generated_s = time.perf_counter() - start
        sizes = export_sizes(args.items)
        rows = [{
            "section": "data", "measure": "generate with bulk_create", "value": round(generated_s, 1), "unit": "s",
            "note": f"{args.items:,} open queue items ({data['flagged']:,} flagged, ~70% with a prediction score) "
                    f"+ {' and '.join(f'{s:,}' for s in sizes)} accepted items with annotations; {ANNOTATORS} annotators",
        }]
        rows += latency_section(args, data["annotators"])
        rows += export_section(args)
        db = database_label()
    finally:
        if connection.vendor != "sqlite":
            cleanup()
        connection.close()
    import django as dj

    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "django": dj.get_version(),
            "database": db,
        },
        "code": code,
        "items": args.items,
        "rounds": args.rounds,
        "quick": args.quick,
        "rows": rows,
    }
    print(table(rows))
    print(f"\nDatabase: {db}")
    if args.quick:  # a smoke run does not overwrite the recorded results
        print(f"Quick run: {RESULTS.relative_to(ROOT)} left as it was")
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if ARGS.export_worker:
        export_worker(ARGS)
    else:
        try:
            main(ARGS)
        finally:
            shutil.rmtree(OWN_VAR_DIR, ignore_errors=True)
