"""Privacy benchmark: prints a Markdown table and writes bench/results/privacy.json.

Run from the repository root: .venv/bin/python bench/privacy.py [--skip-fuzz] [--skip-login]

- masking: the personal-data set in bench/data/privacy (messages and resumes written before the masker
  was tuned, never used by tests) goes through `annotation.privacy.mask_value`, the one function the
  annotator pages, the task API, exports and the staff inbox call. A gold identifier leaks when any of
  its words (names, places) or its digits (numbers) is still readable in the masked text. Precision:
  the share of masked characters that belong to a gold identifier; over-masking: the share of other
  words that were masked.
- fuzz: the schemathesis run of tests/suite/test_fuzz.py (every operation of the OpenAPI schema),
  counting requests sent and HTTP 500s.
- login: wrong passwords accepted before a lock-out, per account and per client, against two gunicorn
  workers sharing one database (scripts/login_probe.py).
"""
import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data" / "privacy"
RESULTS = ROOT / "bench" / "results" / "privacy.json"
# Words of an address or label that say nothing about the person ("Road", "Flat").
GENERIC = {"road", "street", "avenue", "lane", "drive", "grove", "close", "terrace", "crescent", "west", "flat",
           "ul", "rue", "way", "de", "van", "al", "mac", "general", "hospital", "the"}


def _rows(name):
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _leak_tokens(identifier):
    """What must not be readable after masking: each meaningful word, or the digits of a number."""
    text, kind = identifier["text"], identifier["kind"]
    if kind in ("PHONE", "NATIONAL_ID"):
        return [re.sub(r"\D", "", text)] if re.sub(r"\D", "", text) else [text]
    if kind in ("EMAIL", "DOB"):
        return [text]
    # A house number alone ("12") names nobody; the street's words and longer numbers do.
    words = [w for w in re.findall(r"[^\W_]+", text)
             if len(w) >= 2 and w.lower() not in GENERIC and not (w.isdigit() and len(w) < 3 and kind == "ADDRESS")]
    return words or [text]


def _leaked(identifier, masked):
    masked_digits = re.sub(r"\D", "", masked)
    for token in _leak_tokens(identifier):
        if token.isdigit() and identifier["kind"] in ("PHONE", "NATIONAL_ID"):
            if token in masked_digits:
                return True
        elif re.search(r"(?<!\w)" + re.escape(token) + r"(?!\w)", masked):
            return True
    return False


def masking_measure():
    from annotation import masking, privacy

    rows = [("message", r) for r in _rows("messages.jsonl")] + [("resume", r) for r in _rows("resumes.jsonl")]
    per_kind = collections.defaultdict(lambda: [0, 0])  # kind -> [identifiers, leaked]
    leaks = []
    masked_chars = gold_masked_chars = other_words = other_words_masked = 0
    started = time.perf_counter()
    for source, row in rows:
        text = row["text"]
        masked = privacy.mask_value(text)
        for identifier in row["identifiers"]:
            per_kind[identifier["kind"]][0] += 1
            if _leaked(identifier, masked):
                per_kind[identifier["kind"]][1] += 1
                leaks.append({"source": source, "kind": identifier["kind"], "text": identifier["text"], "masked": masked})
        gold = [False] * len(text)
        for identifier in row["identifiers"]:
            for i in range(identifier["start"], identifier["end"]):
                gold[i] = True
        covered = [False] * len(text)
        for span in masking.find_identifiers(text):
            for i in range(span.start, span.end):
                covered[i] = True
        masked_chars += sum(covered)
        gold_masked_chars += sum(1 for c, g in zip(covered, gold) if c and g)
        for m in re.finditer(r"\w+", text):
            if not any(gold[m.start():m.end()]):
                other_words += 1
                other_words_masked += any(covered[m.start():m.end()])
    seconds = time.perf_counter() - started
    total = sum(v[0] for v in per_kind.values())
    leaked = sum(v[1] for v in per_kind.values())
    return {
        "messages": sum(1 for s, _ in rows if s == "message"), "resumes": sum(1 for s, _ in rows if s == "resume"),
        "identifiers": total, "leaked": leaked,
        "per_kind": {k: {"identifiers": v[0], "leaked": v[1]} for k, v in sorted(per_kind.items())},
        "precision": round(gold_masked_chars / masked_chars, 4) if masked_chars else None,
        "over_masking_rate": round(other_words_masked / other_words, 4) if other_words else None,
        "ms_per_text": round(1000 * seconds / len(rows), 2), "leaks": leaks,
    }


# Each part is bounded: a run that hangs is recorded as such instead of holding the machine.
FUZZ_TIMEOUT, LOGIN_TIMEOUT = 900, 600
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def fuzz_measure():
    report_path = ROOT / "var" / "bench-privacy-fuzz.json"
    report_path.unlink(missing_ok=True)  # never report an earlier run's numbers
    env = {**os.environ, **SINGLE_THREAD, "FUZZ_REPORT": str(report_path),
           "VAR_DIR": str(ROOT / "var" / "bench-privacy")}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest.ini's test settings, not the ones this script set up for itself
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "tests/suite/test_fuzz.py", "-q", "-p", "no:randomly",
                               "-p", "no:cacheprovider"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=FUZZ_TIMEOUT)
        exit_code = proc.returncode
    except subprocess.TimeoutExpired:
        exit_code = "timeout"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return {**report, "pytest_exit": exit_code, "seconds": round(time.perf_counter() - started, 1)}


def login_measure():
    try:
        proc = subprocess.run([sys.executable, "scripts/login_probe.py", "--json"], cwd=ROOT, capture_output=True,
                              text=True, timeout=LOGIN_TIMEOUT, env={**os.environ, **SINGLE_THREAD})
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {LOGIN_TIMEOUT} s"}
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": (proc.stderr or proc.stdout)[-2000:]}


def _print_fuzz_and_login(result):
    if "fuzz" in result:
        f = result["fuzz"]
        print("| fuzz (schemathesis, every operation of /api/schema/) | value |\n|---|---:|")
        print(f"| operations | {f.get('operations', '?')} |\n| requests sent | {f.get('requests', '?')} |")
        print(f"| HTTP 500s | **{f.get('server_errors', '?')}** |\n| seconds | {f['seconds']} |")
        print(f"| pytest exit | {f['pytest_exit']} |\n")
    if "login" in result:
        g = result["login"]
        if "error" in g:
            print(f"Login probe failed: {g['error']}\n")
            return
        print(f"| login, {g.get('web_workers')} web workers (limit 10) | wrong passwords until the lock-out answer, "
              "that one included |\n|---|---:|")
        print(f"| one account, over both workers and both endpoints | {g.get('per_account')} |")
        print(f"| right password just after the account's lock-out | HTTP {g.get('right_password_after_lockout')} |")
        print(f"| one client, a new user name each time | {g.get('per_client')} |")
        print(f"| one client, a new X-Forwarded-For each time | {g.get('per_client_new_x_forwarded_for_each_time')} |\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-fuzz", action="store_true")
    parser.add_argument("--skip-login", action="store_true")
    parser.add_argument("--show-leaks", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")
    os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench-privacy"))
    import django

    django.setup()
    result = {"date": datetime.date.today().isoformat(), "masking": masking_measure()}
    if not args.skip_fuzz:
        result["fuzz"] = fuzz_measure()
    if not args.skip_login:
        result["login"] = login_measure()
    m = result["masking"]
    print(f"## Privacy benchmark ({result['date']})\n")
    print(f"Personal-data set: {m['messages']} messages, {m['resumes']} resumes, {m['identifiers']} identifiers\n")
    print("| identifier | count | leaked to an annotator or export |\n|---|---:|---:|")
    for kind, v in m["per_kind"].items():
        print(f"| {kind} | {v['identifiers']} | {v['leaked']} |")
    print(f"| **all** | {m['identifiers']} | **{m['leaked']}** |\n")
    print(f"Precision (masked characters that were identifiers): {m['precision']}; "
          f"over-masking (other words masked): {m['over_masking_rate']}; {m['ms_per_text']} ms per text\n")
    _print_fuzz_and_login(result)
    if args.show_leaks:
        for leak in m["leaks"]:
            print(f"LEAK {leak['kind']:12} {leak['text']!r:30} {leak['masked'][:160]!r}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
