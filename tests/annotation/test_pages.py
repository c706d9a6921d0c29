"""The annotation pages through Django's test client: who may open them, answering through the form, review, masking."""
import json

import pytest

from annotation import services
from annotation.models import Annotation, AnnotationTask, Assignment
from suite.ml import services as ml_services
from tests.annotation.test_loop import shown_output
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
KIND = "tests.sentiment"
MESSAGE = "Hi, I'm Maria Lopez, DOB 03/14/1985. Please call me at (555) 123-4567 about an appointment."
PAGES = ["/annotation/", "/annotation/review/", "/annotation/dashboard/"]


def flagged_task(text="the meal was awful today", *, kind=KIND, owner=None) -> AnnotationTask:
    owner = owner or UserFactory(role="patient")
    return services.flag_create(output=shown_output(owner, text, kind=kind), user=owner, reason="wrong").task


def flagged_output_task(*, kind: str, input, output, owner=None) -> AnnotationTask:
    """A task for kinds whose default prediction carries no score (spans, text)."""
    owner = owner or UserFactory(role="patient")
    recorded = ml_services.model_output_record(kind=kind, input=input, output=output, owner=owner)
    return services.flag_create(output=recorded, user=owner, reason="wrong").task


def log_in(client, role="annotator", **fields):
    user = UserFactory(role=role, **fields)
    client.force_login(user)
    return user


def take(client, kind=KIND):
    return client.post("/annotation/start/", {"kind": kind})


def answered(client, task, result, **extra):
    return client.post(f"/annotation/tasks/{task.pk}/submit/", {"result": json.dumps(result), "seconds_spent": "3.5", **extra})


# --- who may open the pages -------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={path}")


@pytest.mark.parametrize("path", PAGES + ["/annotation/tasks/1/"])
def test_a_patient_gets_403_on_every_annotation_page(client, path):
    log_in(client, "patient")

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/annotation/review/", "/annotation/dashboard/"])
def test_review_and_dashboard_are_for_reviewers_not_annotators(client, path):
    log_in(client, "annotator")

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_staff_open_every_annotation_page(client, path):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(path).status_code == 200


def test_an_annotator_cannot_open_an_item_assigned_to_someone_else(client):
    task = flagged_task()
    services.task_next(user=UserFactory(role="annotator"))
    log_in(client)

    assert client.get(f"/annotation/tasks/{task.pk}/").status_code == 404
    assert answered(client, task, "negative").status_code == 404


# --- the queue ----------------------------------------------------------------------------------


def test_the_queue_counts_open_in_review_and_accepted_items_per_kind(client):
    flagged_task("the film was grim")
    flagged_task("the room was lovely")
    log_in(client)

    html = client.get("/annotation/").content.decode()

    assert 'data-kind="tests.sentiment"' in html
    row = html.split('data-kind="tests.sentiment"')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split('class="num">')[1:]] == ["2", "0", "0"]
    assert "Start annotating" in html


def test_starting_on_an_empty_queue_shows_a_message(client):
    log_in(client)

    response = take(client)

    assert response.status_code == 302 and response["Location"] == "/annotation/"
    html = client.get("/annotation/").content.decode()
    assert "No tests.sentiment items are waiting for you: the queue is empty." in html


def test_start_annotating_takes_the_next_item_and_opens_it(client):
    task = flagged_task()
    user = log_in(client)

    response = take(client)

    assert response.status_code == 302 and response["Location"] == f"/annotation/tasks/{task.pk}/"
    assert Assignment.objects.get(task=task).annotator == user
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "the meal was awful today" in html
    assert 'aria-pressed="true">' in html and '<kbd>1</kbd> positive' in html  # the suggestion is pre-selected
    assert 'id="accept-suggestion"' in html and 'id="task-config"' in html


# --- answering ----------------------------------------------------------------------------------


def test_a_classification_answer_through_the_form_is_stored_and_the_next_item_opens(client):
    first, second = flagged_task("the meal was awful today"), flagged_task("the visit was terrible again")
    user = log_in(client)
    take(client)

    response = answered(client, first, "negative")

    annotation = Annotation.objects.get(task=first)
    assert (annotation.annotator, annotation.result, annotation.seconds_spent) == (user, "negative", 3.5)
    assert annotation.parent_prediction == first.prediction
    assert response.status_code == 302 and response["Location"] == f"/annotation/tasks/{second.pk}/"
    first.refresh_from_db()
    assert first.status == AnnotationTask.Status.IN_REVIEW


def test_accepting_the_suggestion_stores_it_unchanged(client):
    task = flagged_task()
    log_in(client)
    take(client)

    response = client.post(f"/annotation/tasks/{task.pk}/submit/", {"accept": "1", "result": "", "seconds_spent": "1"})

    annotation = Annotation.objects.get(task=task)
    assert annotation.result == task.prediction and annotation.changed is False
    assert response.status_code == 302 and response["Location"] == "/annotation/"  # the queue is empty now


def test_a_bad_result_shows_the_error_with_400_and_writes_nothing(client):
    task = flagged_task()
    log_in(client)
    take(client)

    response = answered(client, task, "sideways")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="answer-errors"' in html and "unknown label &#x27;sideways&#x27;" in html
    assert '"answer": "sideways"' in html  # the refused answer comes back to be fixed
    assert not Annotation.objects.exists()
    assert Assignment.objects.get(task=task).status == Assignment.Status.ASSIGNED


def test_a_result_that_is_not_json_is_a_form_error_not_a_500(client):
    task = flagged_task()
    log_in(client)
    take(client)

    response = client.post(f"/annotation/tasks/{task.pk}/submit/", {"result": "{not json", "seconds_spent": "2"})

    assert response.status_code == 400
    assert "Enter a valid JSON." in response.content.decode()
    assert not Annotation.objects.exists()


def test_answering_twice_is_refused_on_the_page(client):
    task = flagged_task()
    log_in(client)
    take(client)
    answered(client, task, "negative")

    response = answered(client, task, "positive")

    assert response.status_code == 400
    assert "not assigned to you" in response.content.decode()
    assert Annotation.objects.count() == 1


def test_skipping_needs_a_reason_and_then_moves_on(client):
    task = flagged_task()
    log_in(client)
    take(client)

    refused = client.post(f"/annotation/tasks/{task.pk}/skip/", {"reason": ""})
    assert refused.status_code == 400

    response = client.post(f"/annotation/tasks/{task.pk}/skip/", {"reason": "Not enough context"})
    assert response.status_code == 302 and response["Location"] == "/annotation/"
    assignment = Assignment.objects.get(task=task)
    assert (assignment.status, assignment.skip_reason) == ("skipped", "Not enough context")


@pytest.mark.parametrize(
    "kind, input, output, shows",
    [
        ("tests.skills", "I know python and sql", {"spans": [[8, 14, "SKILL"]]}, ['id="span-text"', "<kbd>1</kbd> SKILL"]),
        ("tests.copy", "copy me please", {"text": "copy me"}, ['id="correction"', ">copy me</textarea>", 'id="diff"']),
    ],
)
def test_each_feedback_type_has_its_own_screen(client, kind, input, output, shows):
    task = flagged_output_task(kind=kind, input=input, output=output)
    log_in(client)
    take(client, kind)

    html = client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    for fragment in shows:
        assert fragment in html


def test_an_extractive_summary_is_corrected_by_picking_sentences(client):
    project = services.project_for_kind(kind="tests.copy")
    task = AnnotationTask.objects.create(
        project=project, kind="tests.copy", feedback_type="correction", source="import",
        input={"sentences": ["Rent is due monthly.", "The cat is grey.", "Either party may end it."]}, prediction={"selected": [0, 1]},
    )
    log_in(client)
    take(client, "tests.copy")

    html = client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    assert html.count('name="sentence"') == 3 and html.count(" checked>") == 2
    assert ">Rent is due monthly. The cat is grey.</textarea>" in html


def test_a_spans_answer_through_the_form_is_stored(client):
    task = flagged_output_task(kind="tests.skills", input="I know python and sql", output={"spans": []})
    log_in(client)
    take(client, "tests.skills")

    response = answered(client, task, [[7, 13, "SKILL"], [18, 21, "SKILL"]])

    assert response.status_code == 302
    assert Annotation.objects.get(task=task).result == [[7, 13, "SKILL"], [18, 21, "SKILL"]]


def test_preference_and_rating_items_show_their_choices(client):
    counts = services.items_import(
        kind=KIND, accepted=False,
        items=[{"input": {"prompt": "Say hi", "options": ["Hello there!", "Go away."]}, "group": "p1", "prediction": {"chosen": 0}}],
    )
    task = AnnotationTask.objects.get(project_id=counts["project"])
    log_in(client)
    take(client)

    html = client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    assert "Hello there!" in html and "Go away." in html and "<kbd>2</kbd> Option 2" in html
    assert answered(client, task, {"chosen": 1}).status_code == 302
    assert Annotation.objects.get(task=task).result == {"chosen": 1}


# --- personal data --------------------------------------------------------------------------------


def test_an_annotator_sees_a_personal_item_masked(client):
    patient = UserFactory(role="patient", first_name="Maria", last_name="Lopez")
    task = flagged_task(MESSAGE, kind="tests.health_intent", owner=patient)
    log_in(client)
    take(client, "tests.health_intent")

    html = client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    for secret in ("Maria", "Lopez", "03/14/1985", "555", "123-4567", patient.username):
        assert secret not in html
    assert "[NAME" in html and "[PHONE]" in html and "appointment" in html
    assert "Personal data" in html


def test_spans_on_masked_text_stay_editable_because_the_mask_keeps_offsets(client):
    text = "Call Maria Lopez at (555) 123-4567 about Python"
    task = flagged_output_task(kind="tests.skills", input=text, output={"spans": []})
    AnnotationTask.objects.filter(pk=task.pk).update(personal=True)
    log_in(client)
    take(client, "tests.skills")

    html = client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    assert 'id="spans-locked"' not in html and '"editable": true' in html
    assert "123-4567" not in html and "Lopez" not in html


# --- review -----------------------------------------------------------------------------------------


def in_review(client, text="the meal was awful today", result="negative"):
    """A task one annotator answered; the client is left logged in as a fresh reviewer."""
    task = flagged_task(text)
    annotator = UserFactory(role="annotator")
    services.task_next(user=annotator)
    annotation = services.annotation_submit(task=task, user=annotator, result=result)
    reviewer = log_in(client, "reviewer")
    return task, annotation, reviewer


def test_the_review_page_shows_answers_beside_the_suggestion(client):
    task, annotation, _ = in_review(client)

    html = client.get("/annotation/review/").content.decode()

    assert f'id="task-{task.pk}"' in html
    assert "Model suggestion" in html and annotation.annotator.username in html
    assert f'action="/annotation/annotations/{annotation.pk}/review/"' in html


def test_a_reviewer_accepts_an_answer(client):
    task, annotation, reviewer = in_review(client)

    response = client.post(f"/annotation/annotations/{annotation.pk}/review/", {"decision": "accept"})

    assert response.status_code == 302 and response["Location"] == "/annotation/review/"
    annotation.refresh_from_db()
    task.refresh_from_db()
    assert (annotation.status, annotation.reviewer, task.status) == ("accepted", reviewer, "accepted")


def test_a_reviewer_rejects_with_a_comment_and_the_item_goes_back(client):
    task, annotation, _ = in_review(client)

    response = client.post(f"/annotation/annotations/{annotation.pk}/review/", {"decision": "reject", "comment": "It is positive."})

    assert response.status_code == 302
    annotation.refresh_from_db()
    task.refresh_from_db()
    assert (annotation.status, annotation.review_comment, task.status) == ("rejected", "It is positive.", "open")


def test_rejecting_without_a_comment_is_refused_on_the_page(client):
    _, annotation, _ = in_review(client)

    response = client.post(f"/annotation/annotations/{annotation.pk}/review/", {"decision": "reject", "comment": ""})

    assert response.status_code == 400
    assert "Say why the annotation is rejected." in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.status == "submitted"


def test_a_reviewer_cannot_review_their_own_answer(client):
    task = flagged_task()
    reviewer = log_in(client, "reviewer")
    services.task_next(user=reviewer)
    annotation = services.annotation_submit(task=task, user=reviewer, result="negative")

    html = client.get("/annotation/review/").content.decode()
    assert f'action="/annotation/annotations/{annotation.pk}/review/"' not in html
    assert "Your own answer" in html

    response = client.post(f"/annotation/annotations/{annotation.pk}/review/", {"decision": "accept"})
    assert response.status_code == 403
    assert "Nobody reviews their own annotation." in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.status == "submitted"


def test_a_reviewer_adjudicates_with_the_answer_that_counts(client):
    task, annotation, reviewer = in_review(client, result="negative")

    response = client.post(f"/annotation/tasks/{task.pk}/adjudicate/", {"result": "positive", "comment": "Sarcasm."})

    assert response.status_code == 302
    task.refresh_from_db()
    decided = Annotation.objects.get(task=task, adjudicated=True)
    assert (task.status, decided.result, decided.annotator) == ("accepted", "positive", reviewer)
    annotation.refresh_from_db()
    assert annotation.status == "rejected"


def test_an_adjudication_with_an_unknown_label_is_a_400(client):
    task, _, _ = in_review(client)

    response = client.post(f"/annotation/tasks/{task.pk}/adjudicate/", {"result": "sideways"})

    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == "in_review"


# --- dashboard --------------------------------------------------------------------------------------


def test_the_dashboard_shows_throughput_agreement_and_flag_rates_with_charts(client):
    _, annotation, _ = in_review(client)
    services.annotation_review(annotation=annotation, reviewer=UserFactory(role="reviewer"), accept=True)

    response = client.get("/annotation/dashboard/")

    assert response.status_code == 200
    html = response.content.decode()
    assert annotation.annotator.username in html
    assert '<svg class="chart bars"' in html and '<svg class="chart lines"' in html
    assert 'id="agreement"' in html and 'id="flag-rates"' in html and "tests.sentiment" in html
    assert client.get("/annotation/dashboard/?kind=tests.sentiment").status_code == 200


# --- context on every task ----------------------------------------------------------------------------


def test_a_flagged_summary_shows_the_disputed_sentences_in_view_and_folds_the_rest(client):
    owner = UserFactory(role="patient")
    sentences = [f"Sentence number {i} of a long contract." for i in range(60)]
    output = ml_services.model_output_record(kind="summarizer.salience", input={"sentences": sentences},
                                             output={"selected": [3, 4]}, score=0.55, owner=owner)
    task = services.flag_create(output=output, user=owner, reason="incomplete", comment="The summary misses the termination clause",
                                correction={"selected": [3, 41]}).task
    log_in(client)
    take(client, "summarizer.salience")

    html = client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    assert "The summary misses the termination clause" in html and "Proposed answer: <strong>sentences 4, 42</strong>" in html
    # 4 (the model's, not proposed) and 41 (proposed, not the model's) are disputed; 3 is agreed.
    assert "<mark>Sentence number 4 of a long contract.</mark>" in html and "<mark>Sentence number 41 of a long contract.</mark>" in html
    assert "<mark>Sentence number 3 of a long contract.</mark>" not in html
    assert html.count('<details class="folded-sentences">') == 3  # before 1, between 6 and 39, after 43
    assert html.count('name="sentence"') == 60  # folded, not dropped: the annotator can still open them
    assert "Model: the untrained default model · confidence 0.55" in html


def test_a_blind_project_hides_an_earlier_answer_imported_as_the_suggestion(client):
    items = [{"input": "the film was awful again", "result": "negative"}]
    services.items_import(kind=KIND, items=items, accepted=False)
    task = AnnotationTask.objects.get()
    annotator = log_in(client)
    take(client)
    assert 'id="suggestion-text">negative<' in client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    task.project.blind = True
    task.project.save()
    html = client.get(f"/annotation/tasks/{task.pk}/").content.decode()

    assert 'id="suggestion-text"' not in html and "No model suggestion for this item." in html
    assert "blind project: earlier answers are hidden" in html
    from tests.conftest import api_client_for

    assert api_client_for(annotator).get(f"/api/annotation/tasks/{task.pk}/").json()["prediction"] is None


def test_the_import_page_dry_runs_then_imports_a_label_studio_export(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.annotation.test_formats import RESUME_LABELS, ls_resume_export

    log_in(client, role="reviewer")
    body = json.dumps(ls_resume_export()).encode()
    form = {"format": "labelstudio", "kind": "resumes.ner", "labels": RESUME_LABELS, "accepted": "on"}

    dry = client.post("/annotation/import/", {**form, "dry_run": "on", "file": SimpleUploadedFile("ls.json", body)})
    html = dry.content.decode()
    assert dry.status_code == 200 and "Dry run: would import 2 items into resumes.ner" in html
    assert "only in whitespace: offsets kept" in html and "not_in_mapping (1)" in html and not AnnotationTask.objects.exists()

    done = client.post("/annotation/import/", {**form, "file": SimpleUploadedFile("ls.json", body)})
    assert "Imported 2 items into resumes.ner" in done.content.decode() and AnnotationTask.objects.count() == 2

    bad = client.post("/annotation/import/", {**form, "labels": "candidate_city=Town", "file": SimpleUploadedFile("ls.json", body)})
    assert bad.status_code == 400 and "which resumes.ner does not know" in bad.content.decode()
    assert AnnotationTask.objects.count() == 2
    client.force_login(UserFactory(role="annotator"))
    assert client.get("/annotation/import/").status_code == 403


def test_a_project_is_made_blind_from_the_import_command(tmp_path):
    from django.core.management import call_command
    import io

    path = tmp_path / "reviews.jsonl"
    path.write_text(json.dumps({"input": "the trip was grim", "result": "negative"}) + "\n", encoding="utf-8")

    call_command("import_annotations", "jsonl", str(path), "--kind", KIND, "--project", "double blind", "--blind", stdout=io.StringIO())

    assert AnnotationTask.objects.get().project.blind is True
