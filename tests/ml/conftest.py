import pytest

from suite.ml import services
from tests.testkinds.kinds import sentiment_examples


@pytest.fixture
def snapshot(db):
    """A frozen snapshot of synthetic reviews for tests.sentiment."""
    return services.snapshot_create(kind="tests.sentiment", examples=sentiment_examples(), origin="synthetic reviews")
