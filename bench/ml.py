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


def best_rate(encode, texts: list[str], before=lambda: None) -> float:
    """Sentences per second, the best of RUNS runs."""
    rates = []
    for _ in range(RUNS):
        before()
        start = time.perf_counter()
        encode(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    return max(rates)


def encoder_section() -> list[dict]:
    from sentence_transformers import SentenceTransformer

    texts, source = sentences()
    path = encoder_path()
    ours = Encoder(path)
    raw = SentenceTransformer(path, device="cpu")
    ours.encode(texts[:16])
    raw.encode(texts[:16], batch_size=BATCH_SIZE)

    ours_rate = best_rate(lambda t: ours.encode(t, batch_size=BATCH_SIZE), texts, before=ours.cache_clear)
    raw_rate = best_rate(lambda t: raw.encode(t, batch_size=BATCH_SIZE, show_progress_bar=False), texts)
    cached_rate = best_rate(ours.encode, texts)
    ratio = ours_rate / raw_rate
    note = f"{len(texts)} {source}, batch {BATCH_SIZE}, best of {RUNS}"
    return [
        {"section": "encoder", "measure": "suite Encoder, cold cache", "value": round(ours_rate, 1), "unit": "sentences/s", "note": note},
        {"section": "encoder", "measure": "SentenceTransformer.encode", "value": round(raw_rate, 1), "unit": "sentences/s", "note": note},
        {"section": "encoder", "measure": "ratio suite / raw", "value": round(ratio, 3), "unit": "x", "note": "goal >= 0.9: " + ("met" if ratio >= 0.9 else "MISSED")},
        {"section": "encoder", "measure": "suite Encoder, cache hits", "value": round(cached_rate, 1), "unit": "sentences/s", "note": "the same sentences again"},
    ]


SECTIONS = [encoder_section]


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
