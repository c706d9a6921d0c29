"""Benchmark of `manage.py import_kb medquad`: time and peak memory of the real command on all of MedQuAD.

Run from the repository root: .venv/bin/python bench/chatbot_import.py [--limit N] [--nice 10] [--quality N]

Default: a scratch VAR_DIR (fresh SQLite database, no index), then the command itself in a child process under
/usr/bin/time -v, three times: cold (every passage embedded), again unchanged (nothing embedded), and into a new
database beside the kept index file (passages found by their text, nothing embedded). Wall and CPU seconds, the
largest process's peak memory (time -v) and the peak of the whole process tree (proportional set size, sampled
every 0.2 s: the embedding workers are forked children sharing pages), and the load average before and during
each run, since the cores may be shared.
Writes bench/results/chatbot-import.json (the quality part, when run, is kept).

--quality N: how the index's embedding choices change retrieval, on the sample bench/chatbot.py uses (the first N
answered pairs of its seeded shuffle, 500 of their questions reworded by bench/chatbot_rewording.py with its seed):
hit@1 of the pair's own answer by the dense search alone and by the served search (focus guard, fusion), and the
embedding's CPU seconds, for float32 and bfloat16 at 256 tokens and bfloat16 at 128 tokens.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "chatbot-import.json"
from medquad_sample import MEDQUAD, answered_pairs  # noqa: E402
GOAL_S = 300.0

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--limit", type=int, default=0, help="a seeded sample of N answered pairs (default: all 16,407)")
parser.add_argument("--nice", type=int, default=5, help="niceness of the measured command (the cores are shared)")
parser.add_argument("--quality", type=int, default=0, help="compare embedding choices on N answers instead")
parser.add_argument("--questions", type=int, default=500)
ARGS = parser.parse_args()


def _env(var: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "MEDIA_ROOT", "MODEL_ROOT", "STATIC_ROOT", "SUITE_ENCODER", "CHATBOT_LLM"}
    }
    return {**env, "VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "suite.settings"}


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        total = 0
        for p in [root, *root.children(recursive=True)]:
            try:
                total += p.memory_full_info().pss  # proportional: pages the forked workers share count once
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0


def _time_v(text: str) -> dict:
    def field(name):
        found = re.search(rf"^\s*{re.escape(name)}: (.+)$", text, re.MULTILINE)
        return found.group(1).strip() if found else ""

    clock = [float(x) for x in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(v * 60**i for i, v in enumerate(reversed(clock)))
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(float(field("User time (seconds)")) + float(field("System time (seconds)")), 1),
        "max_rss_mb": round(int(field("Maximum resident set size (kbytes)")) / 1024),
    }


def run_import(var: str, source: Path, label: str) -> dict:
    """The command as an operator runs it, measured from outside."""
    cmd = [
        "nice",
        "-n",
        str(ARGS.nice),
        "/usr/bin/time",
        "-v",
        sys.executable,
        "manage.py",
        "import_kb",
        "medquad",
        str(source),
    ]
    load_before = os.getloadavg()[0]
    peak, loads, stop = [0], [], threading.Event()
    err_path = Path(var) / f"{label}.stderr"
    with open(err_path, "w") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(var), stdout=subprocess.PIPE, stderr=err, text=True)

        def sample():
            while not stop.wait(0.2):
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out = proc.communicate()[0]
        stop.set()
        sampler.join()
    err_text = err_path.read_text()
    if proc.returncode:
        sys.exit(f"{label}: import_kb failed ({proc.returncode}):\n{err_text[-3000:]}")
    measured = _time_v(err_text)
    chunks = re.search(r"index: (\d+) chunks", out)
    counts = re.search(r"articles: (\d+) new, (\d+) changed, (\d+) unchanged", out)
    bar = [line for line in re.split(r"[\r\n]", err_text) if "embedding passages" in line]
    return {
        "run": label,
        **measured,
        "tree_peak_rss_mb": round(peak[0] / 2**20),
        "passages": int(chunks.group(1)) if chunks else None,
        "articles_new": int(counts.group(1)),
        "articles_unchanged": int(counts.group(3)),
        "load_before": round(load_before, 2),
        "load_during_mean": round(sum(loads) / max(len(loads), 1), 2),
        "progress_bar_last": bar[-1].strip() if bar else "",
        "command_output": out.strip().splitlines(),
    }


def main_import():
    if not MEDQUAD.exists():
        sys.exit(f"{MEDQUAD} is missing")
    var = tempfile.mkdtemp(prefix="fineloop-bench-import-")
    try:
        source = MEDQUAD
        if ARGS.limit:
            source = Path(var) / "medquad_sample.jsonl"
            # bench/chatbot.py's seeded sample, across all subsets
            source.write_text("".join(json.dumps(row) + "\n" for row in answered_pairs(ARGS.limit)))
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=_env(var), check=True)
        runs = [run_import(var, source, "cold")]
        runs.append(run_import(var, source, "again, unchanged"))
        # A new database beside the kept index: new article ids, the same passages found by their text.
        for name in os.listdir(var):
            if name.startswith("fineloop.sqlite3"):
                os.remove(Path(var) / name)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=_env(var), check=True)
        runs.append(run_import(var, source, "new database, index kept"))
    finally:
        shutil.rmtree(var, ignore_errors=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    result = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "nice": ARGS.nice},
        "source": str(source.name),
        "goal_s": GOAL_S,
        "runs": runs,
        "quality": previous.get("quality"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"\nimport_kb medquad ({runs[0]['articles_new']} answers, {runs[0]['passages']} passages), {result['when']}, "
        f"nice {ARGS.nice}\n"
    )
    print(
        "| run | wall | CPU | peak memory (largest process / process tree PSS) | load avg before / during |\n"
        "|---|---:|---:|---:|---:|"
    )
    for r in runs:
        print(
            f"| {r['run']} | {r['wall_s']} s | {r['cpu_s']} s | {r['max_rss_mb']} MB / {r['tree_peak_rss_mb']} MB | "
            f"{r['load_before']} / {r['load_during_mean']} |"
        )
    print(f"\ngoal < {GOAL_S:.0f} s cold: {'met' if runs[0]['wall_s'] < GOAL_S else 'missed'} ({runs[0]['wall_s']} s)")


def main_quality():
    var = tempfile.mkdtemp(prefix="fineloop-bench-import-q-")
    os.environ.update(_env(var))
    import django

    django.setup()
    from django.core.management import call_command

    import suite.ml.encoder as E
    from chatbot.pipeline import knowledge as K
    from chatbot.services.conversations import retrieve
    from chatbot.services.knowledge import knowledge_forget, knowledge_index
    from chatbot_rewording import reword

    try:
        rows = answered_pairs(ARGS.quality)  # bench/chatbot.py's sample and questions, so the figures compare
        rng = random.Random(29)
        asked = [{**r, "question": reword(r, rng)} for r in rows[: ARGS.questions]]
        sample = Path(var) / "sample.jsonl"
        sample.write_text("".join(json.dumps(r) + "\n" for r in rows))
        call_command("migrate", verbosity=0)
        call_command("import_kb", "medquad", str(sample), "--no-index", stdout=open(os.devnull, "w"))
        encoder = E.get_encoder()
        variants = {
            "float32, 256 tokens": (False, 256),
            "bfloat16, 256 tokens": (True, 256),
            "bfloat16, 128 tokens": (True, 128),
        }
        out, reference = {}, None
        for name, (bf16, tokens) in variants.items():
            K.EMBED_MAX_TOKENS = tokens
            E.bf16_native = lambda bf16=bf16: bf16
            K.index_path().unlink(missing_ok=True)
            knowledge_forget()
            cpu = sum(os.times()[:4])
            started = time.perf_counter()
            index = knowledge_index(importing=True)
            cpu, wall = sum(os.times()[:4]) - cpu, time.perf_counter() - started
            if reference is None:
                reference = index.embeddings
            cosine = (index.embeddings * reference).sum(1)
            queries = encoder.encode([a["question"] for a in asked])
            dense = served = 0
            for a, q in zip(asked, queries):
                best = int((index.embeddings @ q).argmax())
                dense += index.chunks[best].source_id == a["qid"]
                docs = retrieve(a["question"])["docs"]
                served += bool(docs) and docs[0].metadata["source_id"] == a["qid"]
            out[name] = {
                "passages": len(index),
                "embed_cpu_s": round(cpu, 1),
                "embed_wall_s": round(wall, 1),
                "passages_per_cpu_s": round(len(index) / cpu, 1),
                "cosine_to_float32_mean": round(float(cosine.mean()), 5),
                "cosine_to_float32_min": round(float(cosine.min()), 5),
                "dense_hit@1": round(dense / len(asked), 3),
                "served_hit@1": round(served / len(asked), 3),
            }
            print(name, out[name], f"load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        shutil.rmtree(var, ignore_errors=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous["quality"] = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "answers": len(rows),
        "questions": len(asked),
        "variants": out,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(previous, indent=2) + "\n")
    print(
        f"\n| embedding, {len(rows)} answers, {len(asked)} reworded questions | CPU s | passages/CPU s "
        "| cosine to fp32 (min) "
        "| dense hit@1 | served hit@1 |\n|---|---:|---:|---:|---:|---:|"
    )
    for name, v in out.items():
        print(
            f"| {name} | {v['embed_cpu_s']} | {v['passages_per_cpu_s']} "
            f"| {v['cosine_to_float32_mean']} ({v['cosine_to_float32_min']}) "
            f"| {v['dense_hit@1']} | {v['served_hit@1']} |"
        )


if __name__ == "__main__":
    main_quality() if ARGS.quality else main_import()
