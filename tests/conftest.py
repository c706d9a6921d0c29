"""Fixtures shared by every suite: users per role, API clients, a real Celery worker, a real browser."""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_sessionstart(session):
    """Fresh model artifacts for a fresh test database, and the tiny encoder the tests train."""
    import shutil

    from tests.tiny_models import build_tiny_bert, build_tiny_t5

    shutil.rmtree(settings.MODEL_ROOT, ignore_errors=True)
    build_tiny_bert(Path(settings.SUITE_ENCODER))
    build_tiny_t5(Path(settings.SUITE_GENERATOR))


def database_url() -> str:
    """The URL of the database this test session uses (the test database), for child processes."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = f"{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}@" if s["USER"] else ""
    return f"postgres://{auth}{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def child_env(**extra) -> dict:
    """Environment for a process that must share this session's database, broker and var/ folder."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "suite.settings_test",
        "DATABASE_URL": database_url(),
        "VAR_DIR": str(settings.VAR_DIR),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def patient(db):
    return UserFactory(role="patient")


@pytest.fixture
def api_client():
    return APIClient()


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class CeleryWorker:
    """A real `celery worker` subprocess consuming every queue through the configured broker."""

    def __init__(self, log_dir: Path):
        self.name = f"pytest-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = log_dir / "celery-worker.log"
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        if self.running:
            return
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "suite", "worker", "-Q", "default,inference,training,gpu",
             "--pool", "solo", "-n", self.name, "-l", "info", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=child_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 90) -> None:
        from suite.tasks import worker_ping

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"celery worker exited; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                worker_ping.delay("ready").get(timeout=5)
                return
            except Exception:
                continue
        raise RuntimeError(f"celery worker did not answer within {timeout}s; see {self.log_path}")

    def wait_heartbeat(self, timeout: float = 30) -> None:
        """Block until this worker's heartbeat row exists (each transactional test flushes the tables)."""
        from suite.models import WorkerHeartbeat

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if WorkerHeartbeat.objects.filter(hostname=self.name).exists():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker {self.name} wrote no heartbeat within {timeout}s")

    def kill(self) -> None:
        """Kill -9, as when a machine dies: no shutdown handlers run."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if not self.running:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown: the worker removes its heartbeat
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    from suite.celery import app

    with django_db_blocker.unblock():
        app.control.purge()  # nothing left over from an interrupted run
    worker = CeleryWorker(tmp_path_factory.mktemp("worker"))
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """A running worker; tests using it see committed data only, so they are transactional."""
    celery_worker_process.start()
    celery_worker_process.wait_heartbeat()
    return celery_worker_process


# --- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
