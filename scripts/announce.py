"""Wait until FineLoop answers on /healthz, print where it is, then stay up beside the other processes."""
import json
import sys
import time
import urllib.error
import urllib.request

base = sys.argv[1].rstrip("/")
deadline = time.monotonic() + 180
report = {}
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            report = json.load(response)
    except urllib.error.HTTPError as exc:  # 503 while the worker has not checked in yet
        report = json.load(exc)
    except OSError:
        report = {}
    if report.get("status") == "up":
        break
    time.sleep(1)

if report.get("status") == "up":
    print(f"FineLoop is up: {base}/  (log in at {base}/login/, health at {base}/healthz)", flush=True)
else:
    print(f"FineLoop is at {base}/ but /healthz says: {json.dumps(report)}", flush=True)
# honcho stops every process when one exits, so this one stays.
while True:
    time.sleep(3600)
