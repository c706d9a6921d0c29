"""The abstractive tier serves only when a generative model is configured and in production; its sentences keep their sources."""
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from suite.ml import engine
from suite.ml import kinds as K
from suite.ml.models import AliasMove, DatasetSnapshot, ModelVersion
from suite.ml.services import alias_move
from summarizer import services
from tests.factories import UserFactory
from tests.summarizer.support import CONTRACT


def production_generator() -> ModelVersion:
    """A version of summarizer.abstract built from the tiny seq2seq model the test session configures."""
    engine.forget()  # versions are cached by primary key, which a flushed test database hands out again
    kind = K.get_kind("summarizer.abstract")
    hp = engine.hyperparameters_parse({"max_length": 64}, strategy="full")
    model = engine.build(kind, base=settings.SUITE_GENERATOR, strategy="full", hp=hp)
    folder = settings.MODEL_ROOT / kind.name / "v1"
    model.save(folder)
    snapshot = DatasetSnapshot.objects.create(kind=kind.name, examples_file="none.jsonl", size=0, split_counts={}, label_counts={}, seed=1, content_hash="x")
    version = ModelVersion.objects.create(kind=kind.name, number=1, artifact_dir=str(folder.relative_to(settings.MODEL_ROOT)), strategy="full", snapshot=snapshot)
    alias_move(kind=kind.name, alias="production", version=version, reason=AliasMove.Reason.PROMOTE)
    return version


@pytest.mark.django_db
def test_no_abstractive_summary_without_a_generator_in_production():
    lawyer = UserFactory(role="lawyer")
    document = services.document_upload(user=lawyer, file=SimpleUploadedFile("c.txt", CONTRACT.encode()))
    document = services.document_process(document_id=document.pk)
    assert "abstractive" not in document.result and "summarizer.abstract" not in document.model_versions


@pytest.mark.django_db
def test_the_abstractive_tier_rewrites_each_summary_sentence_and_cites_it():
    production_generator()
    lawyer = UserFactory(role="lawyer")
    document = services.document_upload(user=lawyer, file=SimpleUploadedFile("c.txt", CONTRACT.encode()), sentences=2)
    document = services.document_process(document_id=document.pk)
    assert document.status == "done", document.failure_reason
    rewritten = document.result["abstractive"]
    assert len(rewritten) == 2 and document.model_versions["summarizer.abstract"] == "v1"
    for item, source in zip(rewritten, document.result["summary"]):
        assert isinstance(item["text"], str) and item["source"]["start"] == source["start"] and item["output"]
