"""Versions made by hand for the model runtime's page and API tests."""
from suite.ml.models import ModelVersion

KIND = "tests.sentiment"


def make_versions(snapshot, *numbers, strategy: str = "full"):
    """Versions with rising test metrics, without training (their artifact folder is never read)."""
    return [
        ModelVersion.objects.create(
            kind=KIND, number=n, artifact_dir="x", strategy=strategy, snapshot=snapshot,
            metrics={"test": {"accuracy": 0.5 + n / 10, "macro_f1": 0.5 + n / 10}},
        )
        for n in numbers
    ]
