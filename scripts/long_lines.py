"""No new lines over the limit: each source file may keep at most the long lines the committed baseline lists for it.

    python scripts/long_lines.py            # fails, naming file and lines, where a file has more long lines than before
    python scripts/long_lines.py --update   # after shortening lines: lowers the baseline (it never raises it)

Old long lines pass so nobody has to reformat files others are editing; the count per file only goes down.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "long_lines_baseline.txt"
LIMIT = 120
SUFFIXES = {".py", ".html", ".js", ".css"}
# Django writes migrations; their line lengths are not ours to choose.
SKIPPED_PARTS = {"migrations"}


def source_files() -> list[str]:
    """Tracked files and new files git does not ignore, so a line is caught before its first commit."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return sorted(
        {
            p
            for p in listed
            if Path(p).suffix in SUFFIXES and not SKIPPED_PARTS & set(Path(p).parts) and (ROOT / p).is_file()
        }
    )


def long_lines(path: str) -> list[int]:
    text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
    return [n for n, line in enumerate(text.splitlines(), 1) if len(line) > LIMIT]


def read_baseline() -> dict[str, int]:
    if not BASELINE.exists():
        return {}
    rows = (
        line.split("\t")
        for line in BASELINE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return {path: int(count) for count, path in rows}


def write_baseline(counts: dict[str, int]) -> None:
    header = (
        f"# Lines over {LIMIT} characters allowed per file (count<TAB>path); scripts/long_lines.py only lowers these.\n"
    )
    body = "".join(f"{count}\t{path}\n" for path, count in sorted(counts.items()) if count)
    BASELINE.write_text(header + body, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="lower the baseline to today's counts (never raises it)")
    parser.add_argument(
        "--init", action="store_true", help="write the baseline from scratch (once, when adopting the check)"
    )
    args = parser.parse_args(argv)
    baseline = {} if args.init else read_baseline()
    current = {path: long_lines(path) for path in source_files()}
    if args.init:
        write_baseline({p: len(lines) for p, lines in current.items()})
        print(
            f"baseline written: {sum(map(len, current.values()))} long lines"
            f" in {sum(1 for v in current.values() if v)} files"
        )
        return 0
    over = {p: lines for p, lines in current.items() if len(lines) > baseline.get(p, 0)}
    if args.update:
        write_baseline({p: min(baseline.get(p, 0), len(lines)) for p, lines in current.items()})
    for path, lines in sorted(over.items()):
        shown = ", ".join(map(str, lines[:20])) + (" ..." if len(lines) > 20 else "")
        print(
            f"{path}: {len(lines)} lines over {LIMIT} characters, the baseline allows {baseline.get(path, 0)} "
            f"(long lines: {shown})"
        )
    total = sum(map(len, current.values()))
    if over:
        print(f"long lines: {len(over)} file(s) gained lines over {LIMIT} characters; shorten the new ones")
        return 1
    print(f"long lines: none added ({total} old ones left, {sum(baseline.values()) - total} fewer than the baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
