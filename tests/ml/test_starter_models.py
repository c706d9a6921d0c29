"""`make models` on a small slice of the public data: imports, snapshots, trains and gates every kind with data."""
import json
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from suite.ml import selectors
from suite.ml.models import DatasetSnapshot, TrainingRun
from tests.conftest import ROOT

DATA = ROOT.parent / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"no public data folder at {DATA} (a fresh clone has no ../shared)")
pytestmark = pytest.mark.django_db(transaction=True)


@needs_data
def test_starter_models_on_a_small_slice_train_every_kind_with_data_and_print_each_gate_decision():
    out = StringIO()
    call_command("starter_models", "--data", str(DATA), "--limit", "12", "--epochs", "1", "--json", stdout=out)

    report = {row["kind"]: row for row in json.loads(out.getvalue())["kinds"]}
    assert set(report) == {"resumes.ner", "summarizer.clauses", "summarizer.salience"}
    for kind, row in report.items():
        assert row.get("status") == "succeeded", (kind, row)
        run = TrainingRun.objects.get(pk=row["run"])
        assert run.snapshot_id == row["snapshot"] and run.snapshot.origin == "accepted annotations"
        assert {"interval", "golden"} <= set(row["gate"]) and row["gate"]["promoted"] == run.gate["promoted"]
        production = selectors.production_version(kind=kind)
        assert (production is not None and production.number == row["version"]) == row["gate"]["promoted"]
    assert DatasetSnapshot.objects.get(kind="resumes.ner").size <= 12


def test_starter_models_without_the_data_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No data folder"):
        call_command("starter_models", "--data", str(tmp_path / "nowhere"), stdout=StringIO())


def test_starter_models_skip_datasets_that_are_absent(tmp_path):
    out = StringIO()
    call_command("starter_models", "--data", str(tmp_path), "--json", stdout=out)

    rows = json.loads(out.getvalue())["kinds"]
    assert all(row["skipped"].startswith("not found") for row in rows)
    assert not TrainingRun.objects.exists()


@needs_data
def test_make_models_target_passes_data_and_limit_to_the_command():
    dry = subprocess.run(["make", "-n", "models", "DATA=../shared/data", "LIMIT=5"], cwd=ROOT, capture_output=True, text=True)
    assert "manage.py starter_models --data ../shared/data --limit 5" in dry.stdout
