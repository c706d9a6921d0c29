"""Live everywhere: a version promoted or rolled back in one process is what another, long-running process serves
on its very next request, without a restart."""
import subprocess
import sys

import pytest

from suite.ml import services
from tests.conftest import ROOT, child_env
from tests.ml.support import KIND, make_versions

pytestmark = pytest.mark.django_db(transaction=True)

# A second process that stays up and answers "which version serves KIND?" per line it reads, as a web or
# worker process answers requests: through the same selector every request path calls.
SERVING_PROCESS = f"""
import sys, django
django.setup()
from suite.ml import selectors
print("ready", flush=True)
for line in sys.stdin:
    version = selectors.production_version(kind={KIND!r})
    print(version.number if version else "default", flush=True)
"""


@pytest.fixture
def serving_process():
    process = subprocess.Popen(
        [sys.executable, "-c", SERVING_PROCESS], cwd=ROOT, env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"

    def ask() -> str:
        process.stdin.write("which\n")
        process.stdin.flush()
        return process.stdout.readline().strip()

    yield ask
    process.stdin.close()
    process.wait(timeout=30)


def test_another_process_serves_a_promoted_then_rolled_back_version_on_its_next_request(serving_process, snapshot):
    v1, v2 = make_versions(snapshot, 1, 2)
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")
    assert serving_process() == "1"
    assert serving_process() == "1"  # answered from its own cache while nothing moved

    services.version_promote(kind=KIND, target=2)
    assert serving_process() == "2"

    services.version_rollback(kind=KIND, target="default")
    assert serving_process() == "default"

    services.version_rollback(kind=KIND, target=1)
    assert serving_process() == "1"
