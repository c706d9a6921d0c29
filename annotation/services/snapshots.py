"""Snapshots: accepted annotations of a kind frozen into an immutable dataset for training."""

from annotation.selectors.examples import accepted_examples
from suite.ml import services as ml_services


def snapshot_freeze(*, kind: str, user=None, seed: int = 13):
    """Freeze the accepted annotations of a kind into a dataset snapshot for training."""
    return ml_services.snapshot_create(
        kind=kind, examples=accepted_examples(kind, None), origin="accepted annotations", seed=seed, user=user
    )
