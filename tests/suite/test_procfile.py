"""`make run` starts web, worker and beat through honcho and the Procfile; this runs that same Procfile."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import BIN, ROOT, child_env

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_procfile_serves_login_and_healthz_reports_the_worker_up(transactional_db, tmp_path):
    port = free_port()
    log = tmp_path / "honcho.log"
    env = child_env(WEB_PORT=str(port), VAR_DIR=str(tmp_path / "var"), WEB_WORKERS="1", WORKER_CONCURRENCY="1")
    with open(log, "wb") as out:
        honcho = subprocess.Popen(
            [str(BIN / "honcho"), "start", "-f", "Procfile"], cwd=ROOT, env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline, announced = time.monotonic() + 120, False
        while time.monotonic() < deadline and not announced:
            assert honcho.poll() is None, log.read_text()[-4000:]
            announced = "FineLoop is up" in log.read_text()
            time.sleep(0.5)
        assert announced, log.read_text()[-4000:]

        status, body = get(f"http://127.0.0.1:{port}/login/")
        assert status == 200 and b"Log in" in body
        status, body = get(f"http://127.0.0.1:{port}/healthz")
        health = json.loads(body)
        assert (status, health) == (200, {"status": "up"})  # anonymous callers see up or down only
        from suite.models import WorkerHeartbeat

        # /healthz may already be up on the test session's own worker: wait for this Procfile's worker to beat.
        deadline, beating = time.monotonic() + 60, False
        while time.monotonic() < deadline and not beating:
            beating = WorkerHeartbeat.objects.filter(hostname__startswith=f"fineloop-worker-{port}@").exists()
            time.sleep(0.5)
        assert beating, log.read_text()[-4000:]
        status, _ = get(f"http://127.0.0.1:{port}/static/suite/app.css")
        assert status == 200
        assert "beat: Starting" in log.read_text()
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        try:
            honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
