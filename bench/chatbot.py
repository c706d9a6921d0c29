"""Benchmark of the health assistant: prints a Markdown table and writes bench/results/chatbot.json.

Run from the repository root: .venv/bin/python bench/chatbot.py [--articles N] [--questions Q] [--turns T]

It builds its own database and files in a fresh temporary folder (VAR_DIR) and removes it at the end.
- retrieval: N answered MedQuAD pairs are imported with their answers only (the questions are held out of the
  index); Q of their questions are asked; hit@1, hit@5 and MRR@10 of the pair's own answer, per search mode.
- triage: recall on the written emergency list, false-alarm rate on the ordinary list (tests/chatbot/messages.py).
- latency: gunicorn serves the app; 10 conversations at once each send T messages over HTTP (token auth);
  p50/p95 of the reply time, no LLM configured, the real all-MiniLM-L6-v2 encoder.
"""
import argparse
import atexit
import datetime
import gzip
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "chatbot.json"
MEDQUAD = ROOT.parent / "shared" / "data" / "medical" / "medquad" / "medquad_all.jsonl.gz"
CONVERSATIONS = 10
P95_GOAL_MS = 300.0

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--articles", type=int, default=3000, help="answered MedQuAD pairs to index (all: 16407)")
parser.add_argument("--questions", type=int, default=500, help="held-out questions asked for retrieval quality")
parser.add_argument("--turns", type=int, default=20, help="messages per conversation in the latency run")
ARGS = parser.parse_args()

VAR = tempfile.mkdtemp(prefix="fineloop-bench-chatbot-")
atexit.register(shutil.rmtree, VAR, ignore_errors=True)
os.environ["VAR_DIR"] = VAR
for name in ("MEDIA_ROOT", "MODEL_ROOT", "STATIC_ROOT", "DATABASE_URL", "SUITE_ENCODER", "CHATBOT_LLM"):
    os.environ.pop(name, None)
os.environ["DJANGO_SETTINGS_MODULE"] = "suite.settings"

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402


def pairs(limit: int) -> list[dict]:
    out = []
    with gzip.open(MEDQUAD, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("answer", "").strip():
                out.append(row)
    random.Random(13).shuffle(out)  # a seeded sample across all sources, not the first files only
    return out[:limit]


def retrieval(rows: list[dict]) -> dict:
    from chatbot.services.knowledge import articles_import, knowledge_index, medquad_records

    sample_file = Path(VAR) / "medquad_sample.jsonl"
    sample_file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    started = time.perf_counter()
    articles_import(medquad_records(sample_file))
    index = knowledge_index()
    build_s = time.perf_counter() - started
    questions = rows[: ARGS.questions]
    out = {"articles": len(rows), "chunks": len(index), "questions": len(questions), "index_build_s": round(build_s, 1)}
    for mode in ("bm25", "dense", "fusion"):
        hits1 = hits5 = rr = 0.0
        started = time.perf_counter()
        for row in questions:
            ranked = []
            for hit in index.search(row["question"], 30, mode=mode):
                if hit.chunk.source_id not in ranked:
                    ranked.append(hit.chunk.source_id)
            rank = ranked.index(row["qid"]) + 1 if row["qid"] in ranked[:10] else None
            hits1 += rank == 1
            hits5 += bool(rank and rank <= 5)
            rr += 1 / rank if rank else 0
        n = len(questions)
        out[mode] = {"hit@1": round(hits1 / n, 3), "hit@5": round(hits5 / n, 3), "mrr@10": round(rr / n, 3),
                     "ms_per_query": round((time.perf_counter() - started) * 1000 / n, 2)}
    return out


def triage() -> dict:
    from chatbot.pipeline.triage import triage_rules
    from tests.chatbot.messages import EMERGENCY_MESSAGES, ORDINARY_MESSAGES

    caught = sum(triage_rules(t).level == "emergency" for t in EMERGENCY_MESSAGES)
    false = sum(triage_rules(t).level == "emergency" for t in ORDINARY_MESSAGES)
    return {"emergency_messages": len(EMERGENCY_MESSAGES), "recall": round(caught / len(EMERGENCY_MESSAGES), 3),
            "ordinary_messages": len(ORDINARY_MESSAGES), "false_alarm_rate": round(false / len(ORDINARY_MESSAGES), 3)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url, token, body=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None, method="POST" if body is not None else "GET",
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def latency(rows: list[dict]) -> dict:
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    tokens = [Token.objects.create(user=UserFactory(username=f"bench{i}", role="patient")).key for i in range(CONVERSATIONS)]
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = open(Path(VAR) / "gunicorn.log", "wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "suite.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2",
         "--worker-class", "gthread", "--threads", "8", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    atexit.register(lambda: server.poll() is None and server.terminate())
    base = f"http://127.0.0.1:{port}/api/chatbot"
    deadline = time.monotonic() + 120
    while True:
        try:
            _call(f"{base}/providers/", tokens[0])
            break
        except Exception:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError((Path(VAR) / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.5)
    questions = [r["question"] for r in rows]
    extra = ["Book a general practice appointment next Tuesday afternoon", "no", "What are my appointments?", "hello",
             "I have chest pain and I can't breathe", "What are its side effects?"]
    # Warm-up: both workers load the encoder and the index once.
    warm = _call(f"{base}/conversations/", tokens[0], {"title": "warm-up"})["id"]
    for q in questions[:12]:
        _call(f"{base}/conversations/{warm}/messages/", tokens[0], {"text": q})
    times, errors = [], []

    def talk(i):
        rng = random.Random(i)
        conversation = _call(f"{base}/conversations/", tokens[i], {"title": f"bench {i}"})["id"]
        for _ in range(ARGS.turns):
            text = rng.choice(extra) if rng.random() < 0.25 else rng.choice(questions)
            started = time.perf_counter()
            try:
                _call(f"{base}/conversations/{conversation}/messages/", tokens[i], {"text": text})
                times.append((time.perf_counter() - started) * 1000)
            except Exception as exc:  # counted, not hidden
                errors.append(str(exc))

    threads = [threading.Thread(target=talk, args=(i,)) for i in range(CONVERSATIONS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    server.terminate()
    server.wait(timeout=30)
    times.sort()
    return {"conversations": CONVERSATIONS, "replies": len(times), "errors": len(errors),
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(times[-1], 1), "replies_per_s": round(len(times) / wall, 1), "goal_p95_ms": P95_GOAL_MS}


def main():
    if not MEDQUAD.exists():
        sys.exit(f"{MEDQUAD} is missing")
    call_command("migrate", verbosity=0)
    rows = pairs(ARGS.articles)
    result = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "database": "sqlite"},
        "retrieval": retrieval(rows), "triage": triage(),
    }
    result["latency"] = latency(rows)
    r, t, lat = result["retrieval"], result["triage"], result["latency"]
    print(f"\nRetrieval on MedQuAD: {r['articles']} answered pairs ({r['chunks']} chunks), {r['questions']} held-out questions\n")
    print("| search | hit@1 | hit@5 | MRR@10 | ms/query |\n|---|---|---|---|---|")
    for mode in ("bm25", "dense", "fusion"):
        m = r[mode]
        print(f"| {mode} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr@10']:.3f} | {m['ms_per_query']:.1f} |")
    print(f"\n| triage | value |\n|---|---|\n| emergency recall ({t['emergency_messages']} messages) | {t['recall']:.3f} |\n"
          f"| false alarms ({t['ordinary_messages']} ordinary messages) | {t['false_alarm_rate']:.3f} |")
    print(f"\n| reply latency, {lat['conversations']} concurrent conversations, no LLM | value |\n|---|---|\n"
          f"| replies (errors) | {lat['replies']} ({lat['errors']}) |\n| p50 | {lat['p50_ms']} ms |\n| p95 | {lat['p95_ms']} ms (goal < {P95_GOAL_MS:.0f}) |\n"
          f"| max | {lat['max_ms']} ms |\n| throughput | {lat['replies_per_s']} replies/s |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
