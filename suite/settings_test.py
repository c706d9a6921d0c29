"""Settings for pytest: the same as production settings, with test state kept apart under var/test/."""
import os
from pathlib import Path

os.environ.setdefault("VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))
os.environ.setdefault("WORKER_HEARTBEAT_INTERVAL", "2")
os.environ.setdefault("ML_PROGRESS_INTERVAL", "0.5")
# Rate limits per test process; tests of limits shared by several workers start their own servers.
os.environ.setdefault("THROTTLE_CACHE_URL", "locmemcache://")
os.environ.setdefault("WEBHOOK_TIMEOUT_SECONDS", "1")  # a hook that hangs fails its attempt in a second
os.environ.setdefault("WEBHOOK_RETRY_BASE_SECONDS", "0.5")  # retries after 0.5, 1 and 2 s
# A tiny BERT built from a config at session start (tests/conftest.py); tests marked slow use the real one.
os.environ.setdefault("SUITE_ENCODER", os.path.join(os.environ["VAR_DIR"], "tiny-bert"))
os.environ.setdefault("SUITE_GENERATOR", os.path.join(os.environ["VAR_DIR"], "tiny-t5"))
# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from suite.settings import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testkinds"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
