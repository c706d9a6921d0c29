"""Benchmark of the health assistant: prints a Markdown table and writes bench/results/chatbot.json.

Run from the repository root: .venv/bin/python bench/chatbot.py [--articles N] [--questions Q] [--turns T]

It builds its own database and files in a fresh temporary folder (VAR_DIR) and removes it at the end.
- retrieval: N answered MedQuAD pairs are imported with their answers only (the questions are held out of the
  index); Q of their questions are asked; hit@1, hit@5 and MRR@10 of the pair's own answer, per search mode.
  The fusion weight and the answer-confidence thresholds are chosen on a *tuning* slice: T other questions of
  indexed pairs (never the Q reported) and U questions of pairs left out of the index; the tuning tables are
  printed for the record, the reported rows use the constants in chatbot/pipeline (set from such a run).
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
MEDICATIONQA = ROOT.parent / "shared" / "data" / "medical" / "medicationqa" / "medicationqa.csv"
CONVERSATIONS = 10
P95_GOAL_MS = 300.0
WORKERS, THREADS = int(os.environ.get("BENCH_WORKERS", "2")), int(os.environ.get("BENCH_THREADS", "5"))

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--articles", type=int, default=3000, help="answered MedQuAD pairs to index (all: 16407)")
parser.add_argument("--questions", type=int, default=500, help="held-out questions asked for retrieval quality")
parser.add_argument("--tune", type=int, default=300, help="other held-out questions, used only to choose fusion weight and thresholds")
parser.add_argument("--unanswerable", type=int, default=300, help="questions whose pair is not indexed, for the refusal rate")
parser.add_argument("--turns", type=int, default=20, help="messages per conversation in the latency run")
parser.add_argument("--no-latency", action="store_true", help="retrieval and triage only")
parser.add_argument("--medicationqa-only", action="store_true",
                    help="MedicationQA consumer questions against the knowledge base in the database (bench/results/chatbot-medicationqa.json)")
parser.add_argument("--medicationqa-limit", type=int, default=0, help="only the first N MedicationQA questions")
parser.add_argument("--triage-only", action="store_true", help="triage on the frozen list only (bench/results/chatbot-triage.json)")
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


def _ranked(index, hits) -> list[str]:
    ranked = []
    for i in hits:
        sid = index.chunks[i].source_id
        if sid not in ranked:
            ranked.append(sid)
    return ranked


def _quality(ranks: list) -> dict:
    n = len(ranks)
    return {"hit@1": round(sum(r == 1 for r in ranks) / n, 3), "hit@5": round(sum(bool(r and r <= 5) for r in ranks) / n, 3),
            "mrr@10": round(sum(1 / r for r in ranks if r) / n, 3)}


def _rank(ranked: list[str], qid: str):
    return ranked.index(qid) + 1 if qid in ranked[:10] else None


def retrieval(rows: list[dict], unanswerable: list[dict]) -> dict:
    from chatbot.pipeline import answers as A
    from chatbot.pipeline.knowledge import DENSE_WEIGHT, _top, fuse
    from chatbot.pipeline.text import coverage, terms
    from chatbot.services.knowledge import articles_import, knowledge_index, medquad_records
    from suite.ml.encoder import get_encoder

    sample_file = Path(VAR) / "medquad_sample.jsonl"
    sample_file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    started = time.perf_counter()
    # The asked questions stay out of the index: articles keep focus and type, never the question being measured.
    articles_import((where, {**record, "question": ""}) for where, record in medquad_records(sample_file))
    index = knowledge_index(importing=True)
    build_s = time.perf_counter() - started
    reported, tuning = rows[: ARGS.questions], rows[ARGS.questions : ARGS.questions + ARGS.tune]
    out = {"articles": len(rows), "chunks": len(index), "questions": len(reported), "tuning_questions": len(tuning),
           "unanswerable_questions": len(unanswerable), "index_build_s": round(build_s, 1), "dense_weight": DENSE_WEIGHT}

    def scores(batch):
        """BM25 and cosine scores of every chunk for each question: computed once, then every method is cheap."""
        started = time.perf_counter()
        vectors = get_encoder().encode([r["question"] for r in batch])
        encode_ms = (time.perf_counter() - started) * 1000 / max(len(batch), 1)
        return [(index.bm25.scores(terms(r["question"])), index.embeddings @ v) for r, v in zip(batch, vectors)], encode_ms

    methods = {
        "bm25": lambda b, d: _top(b, 30, positive_only=True),
        "dense": lambda b, d: _top(d, 30),
        "rrf": lambda b, d: [i for i, _ in fuse(b, d, 30, method="rrf", weight=0.5)],
        "fusion": lambda b, d: [i for i, _ in fuse(b, d, 30, weight=DENSE_WEIGHT)],
    }
    report_scores, encode_ms = scores(reported)
    for name, method in methods.items():
        started = time.perf_counter()
        ranks = [_rank(_ranked(index, method(b, d)), r["qid"]) for r, (b, d) in zip(reported, report_scores)]
        search_ms = (time.perf_counter() - started) * 1000 / len(reported)
        out[name] = {**_quality(ranks), "ms_per_query": round(search_ms + (0 if name == "bm25" else encode_ms), 2)}

    # Tuning slice: the weight grid, then confidence thresholds; none of it touches the reported questions.
    tune_scores, _ = scores(tuning)
    grid = {}
    for method in ("weighted", "rrf"):
        for weight in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
            ranks = [_rank(_ranked(index, [i for i, _ in fuse(b, d, 30, method=method, weight=weight)]), r["qid"]) for r, (b, d) in zip(tuning, tune_scores)]
            grid[f"{method} w_dense={weight}"] = _quality(ranks)
    out["tuning_grid"] = grid
    out["tuning_best"] = max(grid, key=lambda key: (grid[key]["mrr@10"], grid[key]["hit@1"]))

    def top_passage(row, b, d):
        """What the reply would judge: the best fused chunk's word coverage and dense lift."""
        i = fuse(b, d, 1, weight=DENSE_WEIGHT)[0][0]
        chunk, baseline = index.chunks[i], float(d.mean())
        lift = max(0.0, (float(d[i]) - baseline) / max(1.0 - baseline, 1e-6))
        return chunk.source_id == row["qid"], coverage(terms(row["question"]), f"{chunk.title} {chunk.text}"), lift

    def answered(rows_, scores_, threshold):
        tops = [top_passage(r, b, d) for r, (b, d) in zip(rows_, scores_)]
        ok = [(right, c >= A.CONFIDENCE_THRESHOLD or (threshold is not None and lift >= threshold)) for right, c, lift in tops]
        return {"answered": round(sum(a for _, a in ok) / len(ok), 3), "answered_right": round(sum(a and r for r, a in ok) / len(ok), 3)}

    unanswerable_scores, _ = scores(unanswerable)
    confidence = {}
    for threshold in (None, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65):
        key = "words only" if threshold is None else f"words or lift >= {threshold}"
        confidence[key] = {"indexed": answered(tuning, tune_scores, threshold), "not_indexed": answered(unanswerable, unanswerable_scores, threshold)}
    out["tuning_confidence"] = confidence
    out["dense_lift_threshold"] = A.DENSE_LIFT_THRESHOLD
    for key, threshold in (("words only", None), ("words or lift", A.DENSE_LIFT_THRESHOLD)):
        out.setdefault("confidence", {})[key] = {"indexed": answered(reported, report_scores, threshold)}
    return out


FROZEN_TRIAGE = ROOT / "bench" / "data" / "chatbot" / "triage_eval.jsonl"
# Written on 2026-12-02 before any triage change of that round and never printed while tuning: the blind list.
BLIND_TRIAGE = ROOT / "bench" / "data" / "chatbot" / "triage_blind.jsonl"


def triage(path: Path = FROZEN_TRIAGE) -> dict:
    """The served triage (chatbot.triage's default: the learned model over the rule floor) on a frozen list,
    written apart from the training messages and the rules; also the rules alone, for comparison."""
    from collections import Counter

    from chatbot import ml
    from chatbot.pipeline.triage import triage_rules
    from suite.ml import kinds as K

    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    served = [p["label"] for p in K.get_kind(ml.TRIAGE).predict_with(texts, None)]
    rules = [triage_rules(t).level for t in texts]
    out = {"messages": len(rows), "emergent": sum(r["level"] == "emergent" for r in rows)}
    for name, labels in (("served", served), ("rules_only", rules)):
        tot, hit = Counter(), Counter()
        alarms, missed, alarmed = 0, [], []
        for r, label in zip(rows, labels):
            if r["level"] == "emergent":
                tot[r["group"]] += 1
                hit[r["group"]] += label == "emergency"
                if label != "emergency":
                    missed.append(r["text"])
            else:
                alarms += label == "emergency"
                if label == "emergency":
                    alarmed.append(r["text"])
        caught = sum(hit.values())
        flagged = caught + alarms
        out[name] = {"recall": round(caught / max(1, out["emergent"]), 3), "false_alarm_rate": round(alarms / max(1, len(rows) - out["emergent"]), 3),
                     "precision": round(caught / flagged, 3) if flagged else None,
                     "recall_by_group": {g: f"{hit[g]}/{tot[g]}" for g in sorted(tot)}, "missed": missed, "false_alarms": alarmed}
    return out


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
    # One torch thread per worker: two workers each spreading a query's encoding over both cores only contend.
    config = Path(VAR) / "gunicorn.conf.py"
    config.write_text("def post_fork(server, worker):\n    import torch\n\n    torch.set_num_threads(1)\n")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "suite.wsgi", "-c", str(config), "-b", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS), "--timeout", "120"],
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
    # Warm-up, concurrent so that every worker loads the encoder and the index before the timed run.
    def warm_up(i):
        warm = _call(f"{base}/conversations/", tokens[i], {"title": "warm-up"})["id"]
        for q in questions[i * 3 : i * 3 + 3]:
            _call(f"{base}/conversations/{warm}/messages/", tokens[i], {"text": q})

    warmers = [threading.Thread(target=warm_up, args=(i,)) for i in range(CONVERSATIONS)]
    for t in warmers:
        t.start()
    for t in warmers:
        t.join()
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
            "max_ms": round(times[-1], 1), "replies_per_s": round(len(times) / wall, 1), "goal_p95_ms": P95_GOAL_MS,
            "server": f"gunicorn {WORKERS} workers x {THREADS} threads (gthread), 1 torch thread each", "load_average": os.getloadavg()[0]}


def medicationqa() -> dict:
    """Each MedicationQA question through the assistant's answer step (focus guard included): answered, on-topic
    (a citation names the question's focus drug), wrong-topic (answered, and no citation names it)."""
    import csv

    from chatbot.pipeline.focus import ALIASES
    from chatbot.pipeline.triage import Triage
    from chatbot.services.conversations import Turn, _answer
    from chatbot.services.knowledge import knowledge_index

    knowledge_index()
    with open(MEDICATIONQA, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("Question") or "").strip()]
        rows = rows[: ARGS.medicationqa_limit or None]
    answered = on_topic = 0
    wrong = []
    for r in rows:
        turn = Turn(text=r["Question"], triage=Triage(), intent="question")
        _answer(turn, {}, None)
        if not turn.citations or any(p.startswith("I don't know") for p in turn.parts):
            continue
        answered += 1
        focus = r["Focus (Drug)"].strip().lower()
        names = {focus, ALIASES.get(focus, focus)}
        cited = " ".join(f"{c['title']} {c.get('passage', '')}" for c in turn.citations).lower()
        if any(n and n in cited for n in names):
            on_topic += 1
        else:
            wrong.append({"question": r["Question"], "focus": focus, "cited": [c["title"] for c in turn.citations]})
    n = len(rows)
    return {"questions": n, "articles": len({c.source_id for c in knowledge_index().chunks}), "answered_rate": round(answered / n, 3),
            "on_topic_rate": round(on_topic / n, 3), "wrong_topic_rate": round(len(wrong) / n, 3),
            "precision_of_answers": round(on_topic / answered, 3) if answered else None, "wrong_topic_examples": wrong[:20]}


def main_medicationqa():
    if not MEDICATIONQA.exists():
        sys.exit(f"{MEDICATIONQA} is missing")
    call_command("migrate", verbosity=0)
    m = medicationqa()
    m["when"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    print(f"| MedicationQA ({m['questions']} questions, {m['articles']} articles) | value |\n|---|---:|")
    for key in ("answered_rate", "on_topic_rate", "wrong_topic_rate", "precision_of_answers"):
        print(f"| {key} | {m[key]} |")
    out = RESULTS.with_name("chatbot-medicationqa.json")
    out.write_text(json.dumps(m, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


def main_triage():
    call_command("migrate", verbosity=0)
    result = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    for name, path in (("frozen", FROZEN_TRIAGE), ("blind", BLIND_TRIAGE)):
        t = result[name] = triage(path)
        print(f"\n| triage, {name} list ({t['messages']} messages, {t['emergent']} emergent) | served | rules only |\n|---|---:|---:|")
        for key in ("recall", "precision", "false_alarm_rate"):
            print(f"| {key} | {t['served'][key]} | {t['rules_only'][key]} |")
        for group in t["served"]["recall_by_group"]:
            print(f"| recall: {group} | {t['served']['recall_by_group'][group]} | {t['rules_only']['recall_by_group'][group]} |")
        if name == "blind":  # its misses are neither printed nor kept: reading them would be tuning on it
            for labels in (t["served"], t["rules_only"]):
                labels.pop("missed"), labels.pop("false_alarms")
    out = RESULTS.with_name("chatbot-triage.json")
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


def main():
    if ARGS.triage_only:
        return main_triage()
    if ARGS.medicationqa_only:
        return main_medicationqa()
    if not MEDQUAD.exists():
        sys.exit(f"{MEDQUAD} is missing")
    call_command("migrate", verbosity=0)
    everything = pairs(ARGS.articles + ARGS.unanswerable)
    rows, unanswerable = everything[: ARGS.articles], everything[ARGS.articles :]
    result = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "database": "sqlite"},
        "retrieval": retrieval(rows, unanswerable), "triage": triage(),
    }
    r, t = result["retrieval"], result["triage"]
    print(f"\nTuning slice ({r['tuning_questions']} other held-out questions; not reported below):\n")
    print("| fusion | hit@1 | hit@5 | MRR@10 |\n|---|---|---|---|")
    for key, m in r["tuning_grid"].items():
        print(f"| {key} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr@10']:.3f} |")
    print(f"best: {r['tuning_best']}\n")
    print("| answer confidence | indexed: answered | indexed: answered right | not indexed: answered |\n|---|---|---|---|")
    for key, m in r["tuning_confidence"].items():
        print(f"| {key} | {m['indexed']['answered']:.3f} | {m['indexed']['answered_right']:.3f} | {m['not_indexed']['answered']:.3f} |")
    print(f"\nRetrieval on MedQuAD: {r['articles']} answered pairs ({r['chunks']} chunks), {r['questions']} held-out questions\n")
    print("| search | hit@1 | hit@5 | MRR@10 | ms/query |\n|---|---|---|---|---|")
    for mode, label in (("bm25", "bm25"), ("dense", "dense"), ("rrf", "fusion, reciprocal rank (before)"), ("fusion", f"fusion, weighted scores (w_dense={r['dense_weight']})")):
        m = r[mode]
        print(f"| {label} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr@10']:.3f} | {m['ms_per_query']:.1f} |")
    print("\n| answer confidence on the reported questions | answered | answered with the right article |\n|---|---|---|")
    for key, m in r["confidence"].items():
        print(f"| {key} | {m['indexed']['answered']:.3f} | {m['indexed']['answered_right']:.3f} |")
    if not ARGS.no_latency:
        result["latency"] = latency(rows)
    lat = result.get("latency")
    print(f"\n| triage | value |\n|---|---|\n| emergency recall ({t['emergency_messages']} messages) | {t['recall']:.3f} |\n"
          f"| false alarms ({t['ordinary_messages']} ordinary messages) | {t['false_alarm_rate']:.3f} |")
    if lat is None:
        print("\n(latency not measured: --no-latency; results not written)")
        return
    print(f"\n| reply latency, {lat['conversations']} concurrent conversations, no LLM | value |\n|---|---|\n"
          f"| replies (errors) | {lat['replies']} ({lat['errors']}) |\n| p50 | {lat['p50_ms']} ms |\n| p95 | {lat['p95_ms']} ms (goal < {P95_GOAL_MS:.0f}) |\n"
          f"| max | {lat['max_ms']} ms |\n| throughput | {lat['replies_per_s']} replies/s |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
