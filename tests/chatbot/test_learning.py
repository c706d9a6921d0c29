"""The learning loop for real: corrections and preferences -> snapshot -> a run on the Celery worker -> the gate -> the next reply."""
import random
import time

from annotation import services as annotation_services
from chatbot import ml
from chatbot.models import Article, Conversation
from chatbot.services import conversation_start, message_send
from chatbot.services.feedback import reply_prefer
from chatbot.services.knowledge import articles_import
from suite.ml import services as ml_services
from suite.ml.models import ModelOutput, ModelVersion, TrainingRun
from tests.factories import ProviderFactory, UserFactory

# Tiny encoder, tiny data: enough for a few epochs to learn words the rules and the default ranker do not know.
HYPERPARAMETERS = {"learning_rate": 5e-3, "head_learning_rate": 1e-2, "epochs": 6, "patience": 3, "batch_size": 16}
WHEN = ("tomorrow", "on Friday", "next week", "this afternoon", "on Monday morning", "some time soon", "later today", "on Thursday")
WHO = ("Dr Heart Lee", "the heart doctor", "someone", "a cardiologist", "the clinic", "whoever is free")
# Ways of asking for a visit that the rules read as a question (no "book", "appointment" or "see a doctor").
BOOKING = ("could you fit me in with {who} {when}?", "can you squeeze me in with {who} {when}?",
           "could you pencil me in with {who} {when}?", "is there a free slot with {who} {when}?")
CONDITIONS = ("gout", "eczema", "asthma", "shingles", "migraine", "anaemia", "psoriasis", "tinnitus", "sciatica", "vertigo")
QUESTIONS = ("what is {c}?", "how is {c} treated?", "can {c} be cured?", "is {c} contagious?")


def _run_to_the_end(kind: str, snapshot) -> TrainingRun:
    run = ml_services.training_run_start(kind=kind, strategy="full", snapshot=snapshot, hyperparameters=HYPERPARAMETERS)
    deadline = time.monotonic() + 120
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.3)
        run.refresh_from_db()
    assert run.status == "succeeded", run.error or run.status
    return run


def _intent_messages(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        if i % 2 == 0:
            rows.append((rng.choice(BOOKING).format(who=rng.choice(WHO), when=rng.choice(WHEN)), "book"))
        else:
            rows.append((rng.choice(QUESTIONS).format(c=rng.choice(CONDITIONS)), "question"))
    return rows


def test_corrected_intents_train_a_version_that_the_next_reply_uses(celery_worker):
    patient, staff = UserFactory(role="patient"), UserFactory(is_staff=True)
    annotator, reviewer = UserFactory(role="annotator"), UserFactory(role="reviewer")
    ProviderFactory(name="Dr Heart Lee", specialty="Cardiology")
    conversation = conversation_start(user=patient)
    asked = "could you squeeze me in with Dr Heart Lee on Friday?"
    before = message_send(user=patient, conversation=conversation, text=asked)
    assert before.intent == "question" and before.model_versions[ml.INTENT] == "default"  # the rules misread it

    # Staff flag the intents of real replies; an annotator corrects them and a reviewer accepts.
    flagged = _intent_messages(10, seed=1)
    for text, _ in flagged:
        message_send(user=patient, conversation=conversation_start(user=patient), text=text)
    truth = dict(flagged)
    for output in ModelOutput.objects.filter(kind=ml.INTENT, input__in=list(truth)):
        annotation_services.flag_create(output=output, user=staff, reason="wrong")
    corrected = 0
    while (task := annotation_services.task_next(user=annotator, kind=ml.INTENT)) is not None:
        answer = annotation_services.annotation_submit(task=task, user=annotator, result=truth[task.input])
        annotation_services.annotation_review(annotation=answer, reviewer=reviewer, accept=True)
        corrected += 1
    assert corrected == len(truth)
    # The rest arrives as an accepted labelled import, as a public data set would.
    imported = _intent_messages(100, seed=2)
    annotation_services.items_import(
        kind=ml.INTENT, items=[{"input": t, "result": label, "group": f"import-{i}"} for i, (t, label) in enumerate(imported)],
        accepted=True, user=reviewer,
    )

    snapshot = annotation_services.snapshot_freeze(kind=ml.INTENT, user=reviewer)
    assert snapshot.label_counts.keys() == {"book", "question"}
    run = _run_to_the_end(ml.INTENT, snapshot)

    assert run.gate["promoted"], run.gate
    number = ModelVersion.objects.get(training_run=run).number
    after = message_send(user=patient, conversation=conversation_start(user=patient), text=asked)
    assert after.model_versions[ml.INTENT] == number, after.model_versions
    assert after.intent == "book"
    assert "Dr Heart Lee" in after.text and "yes or no" in after.text  # the booking dialogue starts


# --- the answer ranker --------------------------------------------------------------------------

# Each condition has a body part, so only its own two articles cover most of "how is gout of the toe treated?".
PARTS = {
    "gout": "toe", "eczema": "skin", "sciatica": "leg", "tinnitus": "ear", "conjunctivitis": "eye", "tonsillitis": "throat",
    "sinusitis": "nose", "bursitis": "elbow", "cystitis": "bladder", "gastritis": "stomach", "tendinitis": "wrist",
    "gingivitis": "gum", "blepharitis": "eyelid", "bunion": "foot", "dandruff": "scalp", "rosacea": "cheek",
}
HELD_OUT = "rosacea"  # never in a preference: the trained ranker must generalise to it
ECHO = ("People often ask how {c} of the {p} is treated. Questions about how {c} of the {p} is treated come up a lot, "
        "and many want to know how {c} of the {p} is treated at first.")
ADVICE = ("Rest the {p}, keep it clean and cool, and use the cream or tablets a pharmacist recommends for {c}. "
          "Most people feel better within two weeks; see a doctor if it spreads.")


def _articles() -> list[tuple[str, dict]]:
    rows = []
    for c, p in PARTS.items():
        rows.append((c, {"title": f"Questions about {c}", "body": ECHO.format(c=c, p=p), "source": "FAQ", "source_id": f"faq-{c}", "topic": c}))
        rows.append((c, {"title": f"Caring for {c}", "body": ADVICE.format(c=c, p=p), "source": "Care guide", "source_id": f"care-{c}", "topic": c}))
    return rows


def _question(c: str) -> str:
    return f"how is {c} of the {PARTS[c]} treated?"


def _candidate(title: str, source: str, body: str) -> str:
    return f'According to "{title}" ({source}): {body}'


def test_staff_preferences_train_a_ranker_that_puts_the_preferred_kind_of_answer_first(celery_worker):
    patient, staff = UserFactory(role="patient"), UserFactory(is_staff=True)
    Article.objects.all().delete()
    articles_import((f"test {i}", record) for i, (_, record) in enumerate(_articles()))
    before = message_send(user=patient, conversation=conversation_start(user=patient), text=_question(HELD_OUT))
    assert len(before.candidates) == 2, before.text
    assert before.text.startswith('According to "Questions about rosacea"')  # word coverage prefers the echo

    # Staff choose the practical answer over the one that repeats the question, on real replies...
    for c in list(PARTS)[:6]:
        reply = message_send(user=patient, conversation=conversation_start(user=patient), text=_question(c))
        advice = next(i for i, option in enumerate(reply.candidates) if option.startswith('According to "Caring for'))
        reply_prefer(user=staff, message=reply, chosen=advice)
    # ... and on an imported batch of the same choice, asked in other words, in either order.
    # Every wording shares "treated" with the echo, so word coverage ranks the echo first, strictly.
    asking = ("how is {c} of the {p} treated?", "how should {c} of the {p} be treated?", "can {c} of the {p} be treated at home?")
    items = []
    for n, (c, template) in enumerate((c, t) for c in PARTS if c != HELD_OUT for t in asking):
        p = PARTS[c]
        options = [_candidate(f"Questions about {c}", "FAQ", ECHO.format(c=c, p=p)), _candidate(f"Caring for {c}", "Care guide", ADVICE.format(c=c, p=p))]
        if n % 2:
            options.reverse()
        items.append({"input": {"prompt": template.format(c=c, p=p), "options": options}, "result": {"chosen": 0 if n % 2 else 1}, "group": f"pref-{n}"})
    annotation_services.items_import(kind=ml.RANKER, items=items, accepted=True, user=staff)

    snapshot = annotation_services.snapshot_freeze(kind=ml.RANKER, user=staff)
    assert snapshot.size == 2 * len(items)  # the replies' choices repeat imported ones
    run = _run_to_the_end(ml.RANKER, snapshot)
    assert run.gate["promoted"], run.gate

    after = message_send(user=patient, conversation=conversation_start(user=patient), text=_question(HELD_OUT))
    number = ModelVersion.objects.get(training_run=run).number
    assert after.model_versions[ml.RANKER] == number
    assert after.candidates == before.candidates  # the same two candidates ...
    assert after.text.startswith('According to "Caring for rosacea"'), after.text  # ... in the other order
    scores = after.output.output["scores"]
    advice = next(i for i, option in enumerate(after.candidates) if "Caring for" in option)
    assert scores[advice] > scores[1 - advice]
    assert Conversation.objects.filter(owner=patient).count() == 8
