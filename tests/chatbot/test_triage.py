import json
from pathlib import Path

import pytest

from annotation.services import items_import
from chatbot import ml
from chatbot.pipeline.triage_model import shipped_examples
from suite.ml import kinds as K
from tests.factories import UserFactory
from chatbot.pipeline.triage import Triage, raise_only, triage_rules
from chatbot.services import conversation_start, message_send
from tests.chatbot.messages import EMERGENCY_MESSAGES, ORDINARY_MESSAGES


def test_the_written_emergency_list_is_long_enough():
    assert len(EMERGENCY_MESSAGES) >= 40


@pytest.mark.parametrize("text", EMERGENCY_MESSAGES)
def test_every_written_emergency_is_triaged_emergency(text):
    assert triage_rules(text).level == "emergency", text


@pytest.mark.parametrize("text", ORDINARY_MESSAGES)
def test_ordinary_messages_are_not_emergencies(text):
    assert triage_rules(text).level != "emergency", text


def test_negated_symptoms_do_not_raise_an_alarm():
    assert triage_rules("I have no chest pain and no trouble breathing").level in ("none", "routine")
    assert triage_rules("She is not bleeding heavily and is not unconscious").level == "none"


def test_a_learned_level_may_raise_but_never_lower_the_rule_floor():
    floor = Triage("emergency", ["stroke signs"])
    assert raise_only(floor, "none").level == "emergency"
    assert raise_only(Triage("routine", []), "urgent").level == "urgent"


def test_the_emergency_reply_comes_first_even_when_the_message_asks_for_a_booking(patient, cardiologist):
    conversation = conversation_start(user=patient)
    reply = message_send(user=patient, conversation=conversation, text="I have crushing chest pain, can you book me a cardiologist tomorrow?")
    assert reply.triage_level == "emergency"
    assert reply.text.startswith("This sounds like an emergency")
    assert "Book Dr Heart Lee" in reply.text  # the booking request is still taken up, after the emergency advice


# --- the learned triage (chatbot.triage) ---------------------------------------------------------------

FROZEN_LIST = Path(__file__).resolve().parents[2] / "bench" / "data" / "chatbot" / "triage_eval.jsonl"


def test_the_frozen_evaluation_list_has_a_hundred_messages_half_emergent_and_none_in_training():
    rows = [json.loads(line) for line in FROZEN_LIST.read_text().splitlines() if line.strip()]
    training = {e["text"].lower() for e in shipped_examples()}
    assert len(rows) >= 100 and sum(r["level"] == "emergent" for r in rows) >= len(rows) / 2
    assert not [r["text"] for r in rows if r["text"].lower() in training]


@pytest.mark.parametrize("text", [
    "my four week old son is very floppy and will not take any milk",  # no rule names a floppy infant
    "my dad is grey and sweaty and says his chest feels heavy",
    "my partner went down in the kitchen and is not answering me at all",
])
def test_the_learned_triage_finds_emergencies_the_rules_do_not_name(text, db):
    assert triage_rules(text).level != "emergency"
    assert K.get_kind(ml.TRIAGE).predict([text])[0]["label"] == "emergency"


@pytest.mark.parametrize("text", ["What are the side effects of amoxicillin?", "I'd like to book a check-up next Tuesday", "thanks!"])
def test_the_learned_triage_leaves_ordinary_messages_alone(text, db):
    assert K.get_kind(ml.TRIAGE).predict([text])[0]["label"] != "emergency"


def test_an_emergency_after_a_booking_request_wins_over_the_booking(patient, cardiologist):
    conversation = conversation_start(user=patient)
    reply = message_send(user=patient, conversation=conversation,
                         text="Can I book a cardiology check-up next week? Also my husband fainted and we cannot wake him")
    assert reply.triage_level == "emergency"
    assert reply.text.startswith("This sounds like an emergency")


def test_the_rule_floor_holds_under_a_trained_model_that_says_none(db):
    kind = K.get_kind(ml.TRIAGE)
    served = kind.serve(lambda xs: [{"label": "none", "score": 0.9} for _ in xs])
    assert served(["I think I'm having a stroke"])[0]["label"] == "emergency"


def test_a_staff_correction_changes_the_next_triage(db):
    reviewer = UserFactory(is_staff=True, role="reviewer")
    text = "the zebra is quiet and purple today"  # nonsense the shipped messages say nothing about
    kind = K.get_kind(ml.TRIAGE)
    before = kind.predict([text])[0]["label"]
    corrected = "none" if before == "emergency" else "emergency"
    items_import(kind=ml.TRIAGE, items=[{"input": text, "group": "correction-1", "result": corrected}], accepted=True, user=reviewer)
    assert kind.predict([text])[0]["label"] == corrected


BLIND_LIST = FROZEN_LIST.with_name("triage_blind.jsonl")


def test_the_blind_evaluation_list_has_a_hundred_messages_half_emergent_and_none_in_training():
    rows = [json.loads(line) for line in BLIND_LIST.read_text().splitlines() if line.strip()]
    training = {e["text"].lower() for e in shipped_examples()}
    assert len(rows) >= 100 and sum(r["level"] == "emergent" for r in rows) >= len(rows) / 2
    assert not [r["text"] for r in rows if r["text"].lower() in training]


def test_the_triage_model_is_trained_once_and_another_process_loads_it_without_training(db, settings, tmp_path):
    import os
    import subprocess
    import sys
    from io import StringIO

    from django.core.management import call_command

    settings.MODEL_ROOT = tmp_path
    out = StringIO()
    call_command("triage_train", stdout=out)
    assert "trained in" in out.getvalue() and list(tmp_path.glob("chatbot.triage/default-*.pkl"))
    again = StringIO()
    call_command("triage_train", stdout=again)
    assert "already saved" in again.getvalue()
    # A second process (a web or worker process) whose training would fail: it must load the saved model instead.
    script = (
        "import django; django.setup()\n"
        "from chatbot.pipeline import triage_model as T\n"
        "def refuse(self, examples): raise SystemExit('trained instead of loading')\n"
        "T.TriageModel.__init__ = refuse\n"
        "print(T.triage_model([]).predict(['my dad collapsed and is not breathing'])[0]['label'])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "suite.settings", "MODEL_ROOT": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "emergency"


def test_new_training_data_means_a_new_model_key():
    from chatbot.pipeline.triage_model import model_path, training_key

    shipped = training_key([])
    corrected = training_key([{"text": "my toe itches", "level": "none"}])
    assert shipped != corrected and model_path(shipped) != model_path(corrected)
    assert training_key([{"text": "ignored", "level": "not a level"}]) == shipped


@pytest.mark.parametrize("text", [
    "what does coffee ground vomit mean?",  # a question about an emergency, not a report of one
    "how do I use an epipen? my daughter has just been given one",
    "my grandma had a stroke in 2018, what exercises help her balance?",  # an emergency in someone's history
    "I can't breathe through my nose with this cold",
])
def test_the_rules_read_questions_history_and_idioms_as_no_emergency(text):
    assert triage_rules(text).level != "emergency", text


@pytest.mark.parametrize("text", [
    "how do I stop the bleeding, it won't stop",  # asking what to do in one is still an emergency
    "I just threw up a lot of bright red blood",
    "my little girl has a spotty rash that stays when I press a glass on it",
])
def test_the_rules_still_fire_on_reported_emergencies(text):
    assert triage_rules(text).level == "emergency", text


@pytest.mark.parametrize("text", [
    "had a seizure 10 years ago and none since, can I stop my tablets?",
    "no chest pain or breathlessness, just heartburn at night",
    "my back hurts after deadlifts yesterday",
    "I feel a bit down but I'm safe and have no thoughts of suicide",
    "can I take ibuprofen after my heart attack last year?",
    "my toddler bumped his head on the sofa and carried on playing",
])
def test_ordinary_messages_with_emergency_words_are_not_emergencies(text, db):
    assert text.lower() not in {e["text"].lower() for e in shipped_examples()}
    assert K.get_kind(ml.TRIAGE).predict([text])[0]["label"] != "emergency", text


def test_the_fast_probabilities_are_the_pipelines_own(db):
    import numpy as np

    from chatbot.pipeline.triage_model import triage_model

    model = triage_model([])
    texts = ["my dad collapsed and is not breathing", "hello", "I had a seizure years ago, need a refill"]
    assert np.allclose(model.probabilities(texts), model.pipeline.predict_proba(texts), atol=1e-9)
    assert model.predict(texts) == model.predict(texts)  # the second reading comes from the per-process cache


def test_the_second_blind_list_shares_no_message_with_training():
    text = BLIND_LIST.with_name("triage_blind2.jsonl").read_text()
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    training = {e["text"].lower() for e in shipped_examples()}
    assert len(rows) >= 100 and sum(r["level"] == "emergent" for r in rows) >= len(rows) / 2
    assert not [r["text"] for r in rows if r["text"].lower() in training]
