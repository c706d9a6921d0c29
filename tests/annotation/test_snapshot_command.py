import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotation.models import Annotation, AnnotationTask
from annotation.services import project_for_kind
from tests.testkinds.kinds import sentiment_examples

pytestmark = pytest.mark.django_db
KIND = "tests.sentiment"


def accept(examples):
    project = project_for_kind(kind=KIND)
    for e in examples:
        task = AnnotationTask.objects.create(
            project=project, kind=KIND, feedback_type="classification", input=e["input"], group=e["group"],
            source="import", status="accepted",
        )
        Annotation.objects.create(task=task, result=e["target"], status="accepted")


def test_snapshot_freezes_accepted_annotations_only():
    accept(sentiment_examples(60))
    AnnotationTask.objects.create(project=project_for_kind(kind=KIND), kind=KIND, feedback_type="classification", input="open item", source="import")
    out = StringIO()

    call_command("snapshot", KIND, "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["size"] == len({(e["input"], e["target"]) for e in sentiment_examples(60)})
    assert set(report["split_counts"]) == {"train", "validation", "test"} and all(report["split_counts"].values())
    assert set(report["label_counts"]) == {"positive", "negative"}


def test_snapshot_of_nothing_says_so():
    with pytest.raises(CommandError, match="empty"):
        call_command("snapshot", KIND)
    with pytest.raises(CommandError, match="Unknown model kind"):
        call_command("snapshot", "nope")
