"""Benchmark of the model runtime: prints a Markdown table and writes bench/results/ml.json.

Run from the repository root: .venv/bin/python bench/ml.py
"""
import datetime
import gzip
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

import django  # noqa: E402

django.setup()

import torch  # noqa: E402

from suite.ml.encoder import Encoder, encoder_path  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "ml.json"
SENTENCES = 2_000
BATCH_SIZE = 64
RUNS = 2


def sentences(n: int = SENTENCES) -> tuple[list[str], str]:
    """n distinct abstract sentences from SciTLDR, or generated ones when ../shared/data is absent."""
    found: dict[str, None] = {}
    for path in sorted((DATA / "papers" / "scitldr").glob("*.jsonl.gz")):
        with gzip.open(path, "rt") as lines:
            for line in lines:
                for sentence in json.loads(line)["source"]:
                    found.setdefault(sentence.strip())
                    if len(found) == n:
                        return list(found), "SciTLDR abstract sentences (../shared/data/papers/scitldr)"
    words = "model data patient contract salary summary training label review clause symptom skill".split()
    generated = [" ".join(words[(i * k) % len(words)] for k in range(1, 8 + i % 30)) + f" {i}." for i in range(n)]
    return generated, "generated sentences (../shared/data is absent)"


def seconds(encode, texts: list[str]) -> float:
    start = time.perf_counter()
    encode(texts)
    return time.perf_counter() - start


def encoder_section() -> list[dict]:
    from sentence_transformers import SentenceTransformer

    texts, source = sentences()
    path = encoder_path()
    ours = Encoder(path)
    raw = SentenceTransformer(path, device="cpu")
    ours.encode(texts[:16])
    raw.encode(texts[:16], batch_size=BATCH_SIZE, show_progress_bar=False)

    # Interleaved, so a neighbour's load on a shared machine slows both sides alike.
    ours_s, raw_s = [], []
    for _ in range(RUNS):
        ours.cache_clear()
        ours_s.append(seconds(lambda t: ours.encode(t, batch_size=BATCH_SIZE), texts))
        raw_s.append(seconds(lambda t: raw.encode(t, batch_size=BATCH_SIZE, show_progress_bar=False), texts))
    cached_s = [seconds(ours.encode, texts) for _ in range(RUNS)]
    ours_rate, raw_rate, cached_rate = (len(texts) / min(runs) for runs in (ours_s, raw_s, cached_s))
    ratio = ours_rate / raw_rate
    note = f"{len(texts)} {source}, batch {BATCH_SIZE}, best of {RUNS}"
    return [
        {"section": "encoder", "measure": "suite Encoder, cold cache", "value": round(ours_rate, 1), "unit": "sentences/s", "note": note},
        {"section": "encoder", "measure": "SentenceTransformer.encode", "value": round(raw_rate, 1), "unit": "sentences/s", "note": note},
        {"section": "encoder", "measure": "ratio suite / raw", "value": round(ratio, 3), "unit": "x", "note": "goal >= 0.9: " + ("met" if ratio >= 0.9 else "MISSED")},
        {"section": "encoder", "measure": "suite Encoder, cache hits", "value": round(cached_rate, 1), "unit": "sentences/s", "note": "the same sentences again"},
    ]


TRAIN_EXAMPLES = 1_000


def strategy_section() -> list[dict]:
    """Seconds per training epoch on 1,000 examples for each strategy, on the real encoder."""
    from suite.ml import engine
    from suite.ml import kinds as K

    class BenchTopic(K.ModelKind):  # not registered: it exists only for this measurement
        name = "bench.topic"
        task_type = K.CLASSIFICATION
        labels = ("a", "b")

    texts, source = sentences(TRAIN_EXAMPLES)
    examples = [{"id": str(i), "group": str(i), "input": t, "target": "ab"[i % 2]} for i, t in enumerate(texts)]
    rows = []
    for strategy in engine.STRATEGIES:
        epochs = 2 if strategy == "feature" else 1  # the feature strategy embeds once, in its first epoch
        hp = engine.hyperparameters_parse({"epochs": epochs, "batch_size": 16, "max_length": 128, "patience": 5}, strategy=strategy)
        model = engine.build(BenchTopic(), base=encoder_path(), strategy=strategy, hp=hp)
        result = model.fit(examples, [], hp, evaluate=lambda ex: {"macro_f1": 0.0}, primary_metric="macro_f1")
        note = f"{len(examples)} {source}, batch 16, max length 128"
        rows.append({"section": "training", "measure": f"{strategy}: seconds per epoch", "value": round(result.epochs[0].seconds, 1), "unit": "s", "note": note})
        if strategy == "feature":
            rows.append({"section": "training", "measure": "feature: later epochs (embeddings cached)", "value": round(result.epochs[1].seconds, 2), "unit": "s", "note": note})
    return rows


SECTIONS = [encoder_section, strategy_section]


def table(rows: list[dict]) -> str:
    lines = ["| section | measure | value | unit | note |", "|---|---|---:|---|---|"]
    lines += [f"| {r['section']} | {r['measure']} | {r['value']:,} | {r['unit']} | {r['note']} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    rows = [row for section in SECTIONS for row in section()]
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(),
        },
        "encoder": encoder_path(),
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(table(rows))
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
