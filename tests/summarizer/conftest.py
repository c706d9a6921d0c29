import time

import pytest

from summarizer.models import Document
from tests.factories import UserFactory


@pytest.fixture
def lawyer(db):
    return UserFactory(role="lawyer")


def wait_finished(pk: int, timeout: float = 60) -> Document:
    """The document once the worker has finished with it (done or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = Document.objects.get(pk=pk)
        if not document.is_active:
            return document
        time.sleep(0.2)
    raise AssertionError(f"document {pk} still {document.status} after {timeout}s")
