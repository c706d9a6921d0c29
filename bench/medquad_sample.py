"""The MedQuAD sample the health benchmarks share: answered pairs in one seeded order, so their figures compare."""
import gzip
import json
import random
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
MEDQUAD = SHARED / "data" / "medical" / "medquad" / "medquad_all.jsonl.gz"


def answered_pairs(limit: int | None = None) -> list[dict]:
    """Pairs with an answer, shuffled with seed 13 (a sample across all sources, not the first files only)."""
    out = []
    with gzip.open(MEDQUAD, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("answer", "").strip():
                out.append(row)
    random.Random(13).shuffle(out)
    return out[:limit] if limit else out
