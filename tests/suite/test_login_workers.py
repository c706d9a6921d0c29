"""Wrong passwords are counted once for all web workers: two gunicorn processes on one database (issue 15)."""
import importlib.util

import pytest
from django.conf import settings

from tests.conftest import ROOT, child_env
from tests.factories import UserFactory

pytestmark = pytest.mark.slow


def login_probe():
    spec = importlib.util.spec_from_file_location("login_probe", ROOT / "scripts" / "login_probe.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_web_workers_lock_an_account_and_a_client_after_ten_wrong_passwords(transactional_db):
    probe = login_probe()
    UserFactory(username="probe", password=probe.PASSWORD)
    # The test settings keep rate limits per process; the shared count under test is django-axes' table.
    urls, procs = probe.start_web_workers(child_env(THROTTLE_CACHE_URL="locmemcache://"))
    try:
        account = probe.probe(urls, "probe")
        from axes.utils import reset

        reset()
        client = probe.probe_client(urls, spoof=False)
        reset()
        spoofing = probe.probe_client(urls, spoof=True)
    finally:
        probe.stop(procs)

    limit = settings.AXES_FAILURE_LIMIT
    assert account["per_account"] == limit and account["right_password_after_lockout"] == 429
    assert client == limit
    assert spoofing == limit  # a new X-Forwarded-For per request is not a new client
