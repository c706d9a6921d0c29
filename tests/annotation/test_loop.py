"""The learning loop through the API: flag -> pre-annotated task -> annotation -> review -> snapshot -> run."""
import time

import pytest

from annotation.models import Annotation, AnnotationTask, Assignment
from annotation.services import project_for_kind
from suite.ml import kinds as K
from suite.ml import services as ml_services
from suite.ml.models import TrainingRun
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.testkinds.kinds import sentiment_examples

KIND = "tests.sentiment"


def shown_output(owner, text, kind=KIND):
    prediction = K.get_kind(kind).predict([text])[0]
    return ml_services.model_output_record(kind=kind, input=text, output=prediction, score=prediction["score"], owner=owner)


def test_flag_to_training_run_through_the_api(celery_worker):
    patient, annotator, reviewer = UserFactory(role="patient"), UserFactory(role="annotator"), UserFactory(role="reviewer")
    staff = UserFactory(is_staff=True)
    examples = {e["input"]: e["target"] for e in sentiment_examples(120)}
    as_patient, as_annotator, as_reviewer = (api_client_for(u) for u in (patient, annotator, reviewer))

    for text in examples:
        output = shown_output(patient, text)
        response = as_patient.post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json")
        assert response.status_code == 201, response.json()

    answered = 0
    while (response := as_annotator.get(f"/api/annotation/tasks/next/?kind={KIND}")).status_code == 200:
        task = response.json()
        assert task["prediction"] in ("positive", "negative")  # pre-annotated by the serving (default) model
        result = examples[task["input"]]
        submitted = as_annotator.post(f"/api/annotation/tasks/{task['id']}/annotations/", {"result": result, "seconds_spent": 4.5}, format="json")
        assert submitted.status_code == 201, submitted.json()
        assert submitted.json()["parent_prediction"] == task["prediction"]
        assert submitted.json()["changed"] == (result != task["prediction"])
        answered += 1
    assert response.status_code == 204 and answered == len(examples)

    review = as_reviewer.get(f"/api/annotation/review/?kind={KIND}&page_size=200").json()
    assert review["count"] == len(examples)
    for task in review["results"]:
        decided = as_reviewer.post(f"/api/annotation/annotations/{task['annotations'][0]['id']}/review/", {"decision": "accept"}, format="json")
        assert decided.status_code == 200 and decided.json()["status"] == "accepted"

    snapshot = as_reviewer.post("/api/annotation/snapshots/", {"kind": KIND}, format="json")
    assert snapshot.status_code == 201, snapshot.json()
    assert snapshot.json()["size"] == len(examples)

    started = api_client_for(staff).post(
        "/api/ml/runs/",
        {"kind": KIND, "strategy": "full", "snapshot": snapshot.json()["id"],
         "hyperparameters": {"learning_rate": 5e-3, "head_learning_rate": 1e-2, "epochs": 6, "patience": 3}},
        format="json",
    )
    assert started.status_code == 201, started.json()
    run = TrainingRun.objects.get(pk=started.json()["id"])
    deadline = time.monotonic() + 180
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.3)
        run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.test_metrics["macro_f1"] > run.baseline_metrics["macro_f1"], run.gate
    # 120 reviews leave a test split of a dozen: the gate promotes only if the 95% interval of the gain clears zero
    interval, golden = run.gate["interval"], run.gate["golden"]
    assert interval["difference"] > 0 and golden["examples"] > 0
    assert run.gate["promoted"] == (interval["low"] > interval["margin"] and golden["passed"])


@pytest.mark.django_db
class TestQueueAndReview:
    def test_several_flags_on_one_output_open_one_task_that_comes_first(self):
        patient = UserFactory(role="patient")
        calm, flagged = shown_output(patient, "the meal was fine today"), shown_output(patient, "the film was grim")
        client = api_client_for(patient)
        client.post("/api/annotation/flags/", {"output": calm.pk, "reason": "wrong"}, format="json")
        for reason in ("wrong", "incomplete"):
            client.post("/api/annotation/flags/", {"output": flagged.pk, "reason": reason}, format="json")

        assert AnnotationTask.objects.count() == 2
        assert AnnotationTask.objects.get(output=flagged).flag_count == 2
        nxt = api_client_for(UserFactory(role="annotator")).get("/api/annotation/tasks/next/").json()
        assert nxt["input"] == "the film was grim"

    def test_only_the_owner_or_staff_can_flag(self):
        output = shown_output(UserFactory(role="patient"), "the room was bad")

        response = api_client_for(UserFactory(role="patient")).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json")

        assert response.status_code == 404 and AnnotationTask.objects.count() == 0
        staff = api_client_for(UserFactory(is_staff=True))
        assert staff.post("/api/annotation/flags/", {"output": output.pk, "reason": "unsafe"}, format="json").status_code == 201

    def test_a_flag_with_a_bad_reason_or_correction_is_refused_whole(self):
        patient = UserFactory(role="patient")
        output = shown_output(patient, "the room was bad")
        client = api_client_for(patient)

        assert client.post("/api/annotation/flags/", {"output": output.pk, "reason": "meh"}, format="json").status_code == 400
        bad = client.post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong", "correction": "neutral"}, format="json")
        assert bad.status_code == 400 and "result" in bad.json()["error"]["fields"]
        other = client.post("/api/annotation/flags/", {"output": output.pk, "reason": "other"}, format="json")
        assert other.status_code == 400 and "comment" in other.json()["error"]["fields"]
        assert AnnotationTask.objects.count() == 0

    def test_an_item_goes_to_as_many_annotators_as_the_overlap_and_no_more(self):
        patient = UserFactory(role="patient")
        output = shown_output(patient, "the trip was lovely")
        api_client_for(patient).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json")
        project = project_for_kind(kind=KIND)
        project.overlap = 2
        project.save()
        first, second, third = (api_client_for(UserFactory(role="annotator")) for _ in range(3))

        assert first.get("/api/annotation/tasks/next/").status_code == 200
        assert second.get("/api/annotation/tasks/next/").status_code == 200
        assert third.get("/api/annotation/tasks/next/").status_code == 204
        assert Assignment.objects.count() == 2

    def test_an_item_in_progress_is_served_again_only_in_its_own_queue(self):
        patient = UserFactory(role="patient")
        for output in (shown_output(patient, "the meal was grim"), shown_output(patient, "book an appointment", kind="tests.health_intent")):
            api_client_for(patient).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json")
        annotator = api_client_for(UserFactory(role="annotator"))

        held = annotator.get(f"/api/annotation/tasks/next/?kind={KIND}").json()
        other = annotator.get("/api/annotation/tasks/next/?kind=tests.health_intent").json()
        again = annotator.get(f"/api/annotation/tasks/next/?kind={KIND}").json()

        assert held["kind"] == KIND and other["kind"] == "tests.health_intent"
        assert again["id"] == held["id"]  # the unfinished item of this queue comes back, not a new one

    def test_two_answers_to_one_item_are_both_kept_and_the_reviewer_adjudicates(self):
        patient = UserFactory(role="patient")
        output = shown_output(patient, "the class was poor")
        task_id = api_client_for(patient).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json").json()["task"]
        project = project_for_kind(kind=KIND)
        project.overlap = 2
        project.save()
        a, b = UserFactory(role="annotator"), UserFactory(role="annotator")
        for user, label in ((a, "negative"), (b, "positive")):
            client = api_client_for(user)
            client.get("/api/annotation/tasks/next/")
            assert client.post(f"/api/annotation/tasks/{task_id}/annotations/", {"result": label}, format="json").status_code == 201

        assert Annotation.objects.filter(task_id=task_id).count() == 2
        assert AnnotationTask.objects.get(pk=task_id).status == "in_review"
        reviewer = api_client_for(UserFactory(role="reviewer"))
        decided = reviewer.post(f"/api/annotation/tasks/{task_id}/adjudicate/", {"result": "negative"}, format="json")
        assert decided.status_code == 201 and decided.json()["adjudicated"]
        assert AnnotationTask.objects.get(pk=task_id).status == "accepted"
        assert set(Annotation.objects.filter(task_id=task_id).values_list("status", flat=True)) == {"rejected", "accepted"}

    def test_a_rejected_answer_returns_the_item_to_the_queue(self):
        patient, annotator = UserFactory(role="patient"), UserFactory(role="annotator")
        output = shown_output(patient, "the phone was nasty")
        api_client_for(patient).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json")
        client = api_client_for(annotator)
        task = client.get("/api/annotation/tasks/next/").json()
        annotation = client.post(f"/api/annotation/tasks/{task['id']}/annotations/", {"result": "positive"}, format="json").json()
        reviewer = api_client_for(UserFactory(role="reviewer"))

        assert reviewer.post(f"/api/annotation/annotations/{annotation['id']}/review/", {"decision": "reject"}, format="json").status_code == 400
        rejected = reviewer.post(f"/api/annotation/annotations/{annotation['id']}/review/", {"decision": "reject", "comment": "nasty is negative"}, format="json")

        assert rejected.json()["status"] == "rejected"
        assert AnnotationTask.objects.get(pk=task["id"]).status == "open"
        assert client.get("/api/annotation/tasks/next/").json()["id"] == task["id"]

    def test_annotating_needs_the_role_and_an_assignment(self):
        patient = UserFactory(role="patient")
        output = shown_output(patient, "the book was superb")
        task_id = api_client_for(patient).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json").json()["task"]

        assert api_client_for(patient).get("/api/annotation/tasks/next/").status_code == 403
        unassigned = api_client_for(UserFactory(role="annotator")).post(f"/api/annotation/tasks/{task_id}/annotations/", {"result": "positive"}, format="json")
        assert unassigned.status_code == 400 and "not assigned" in unassigned.json()["error"]["message"]
        assert api_client_for(UserFactory(role="annotator")).get("/api/annotation/review/").status_code == 403


def test_two_annotators_submitting_the_same_item_at_once_both_keep_their_answer(transactional_db):
    import threading

    from django.db import connection

    patient = UserFactory(role="patient")
    output = shown_output(patient, "the visit was dreadful")
    task_id = api_client_for(patient).post("/api/annotation/flags/", {"output": output.pk, "reason": "wrong"}, format="json").json()["task"]
    project = project_for_kind(kind=KIND)
    project.overlap = 2
    project.save()
    clients = [api_client_for(UserFactory(role="annotator")) for _ in range(2)]
    for client in clients:
        assert client.get("/api/annotation/tasks/next/").json()["id"] == task_id
    start, statuses = threading.Barrier(2), []

    def submit(client, label):
        try:
            start.wait()
            statuses.append(client.post(f"/api/annotation/tasks/{task_id}/annotations/", {"result": label}, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c, label)) for c, label in zip(clients, ("negative", "positive"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert statuses == [201, 201]
    assert sorted(Annotation.objects.filter(task_id=task_id).values_list("result", flat=True)) == ["negative", "positive"]
    assert AnnotationTask.objects.get(pk=task_id).status == "in_review"


# --- the queue's active-learning order and the one path to training examples -------------------------------


def _task(text, prediction, **extra):
    from annotation.services import queue_confidence

    return AnnotationTask.objects.create(
        project=project_for_kind(kind="chatbot.intent"), kind="chatbot.intent", feedback_type="classification", input=text,
        prediction=prediction.get("label"), prediction_score=queue_confidence(prediction, prediction.get("score")), **extra,
    )


def _distribution(*probs):
    labels = K.get_kind("chatbot.intent").labels
    scores = dict(zip(labels, probs + (0.0,) * (len(labels) - len(probs))))
    top = max(scores, key=scores.get)
    return {"label": top, "score": scores[top], "scores": scores}


@pytest.mark.parametrize("strategy, first", [("least_confidence", "flat top"), ("margin", "close call"), ("entropy", "flat top")])
def test_the_queue_serves_the_least_sure_item_first_by_the_chosen_uncertainty(db, settings, strategy, first):
    from annotation.services import task_next

    settings.ANNOTATION_UNCERTAINTY = strategy
    _task("sure", _distribution(0.9, 0.1))
    _task("close call", _distribution(0.46, 0.44, 0.1))  # smallest gap between the top two
    _task("flat top", _distribution(0.40, 0.20, 0.20, 0.20))  # lowest top probability, most spread out

    assert task_next(user=UserFactory(role="annotator"), kind="chatbot.intent").input == first


def test_the_diversity_option_skips_an_item_like_the_ones_just_given_out(db, settings):
    from annotation.services import task_next

    settings.ANNOTATION_UNCERTAINTY = "least_confidence"
    _task("how do I book an appointment on monday", _distribution(0.40, 0.60))  # the least sure
    _task("how do I book an appointment on tuesday", _distribution(0.35, 0.65))
    _task("my chest hurts when breathing", _distribution(0.30, 0.70))
    first, second = UserFactory(role="annotator"), UserFactory(role="annotator")

    assert task_next(user=first, kind="chatbot.intent", diverse=True).input == "how do I book an appointment on monday"
    assert task_next(user=second, kind="chatbot.intent", diverse=True).input == "my chest hurts when breathing"
    assert task_next(user=UserFactory(role="annotator"), kind="chatbot.intent", diverse=False).input.startswith("how do I book")


def test_annotation_and_the_model_runtime_read_the_same_accepted_examples_and_snapshots_agree(db):
    """One path: manual snapshots (annotation) and scheduled retraining (suite.ml) read every source the same way."""
    from annotation import selectors as annotation_selectors
    from annotation.services import items_import, snapshot_freeze
    from suite.ml import selectors as ml_selectors

    items_import(kind=KIND, accepted=True, items=[{"input": e["input"], "group": e["group"], "result": e["target"]} for e in sentiment_examples(60)])

    manual, scheduled = annotation_selectors.accepted_examples(KIND), ml_services.accepted_examples(kind=KIND)

    assert manual == scheduled == ml_selectors.accepted_examples(kind=KIND) and len(manual) == 60
    assert snapshot_freeze(kind=KIND).content_hash == ml_services.snapshot_freeze(kind=KIND).content_hash


def test_a_snapshot_of_a_kind_with_no_accepted_answers_is_a_clear_message_and_writes_nothing(db, settings):
    from django.core.exceptions import ValidationError

    from annotation.services import snapshot_freeze
    from suite.ml.models import DatasetSnapshot

    folder = settings.MODEL_ROOT / "snapshots" / KIND
    files_before = sorted(folder.iterdir()) if folder.exists() else []
    with pytest.raises(ValidationError, match="tests.sentiment has no accepted examples"):
        snapshot_freeze(kind=KIND)
    with pytest.raises(ValidationError, match="no accepted examples"):
        ml_services.snapshot_freeze(kind=KIND)
    assert not DatasetSnapshot.objects.exists()
    assert (sorted(folder.iterdir()) if folder.exists() else []) == files_before
