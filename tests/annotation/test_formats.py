"""The format catalogue: imports checked whole before anything is written, exports streamed to files and jobs."""
import csv
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from annotation import formats, services
from annotation.formats import Importer, get_exporter, get_importer, register_importer
from annotation.formats.exports import bio_tokens
from annotation.models import Annotation, AnnotationProject, AnnotationTask, ExportJob
from suite.ml import kinds as K
from tests.conftest import api_client_for
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
QA_FEEDBACK = ROOT.parent / "shared" / "data" / "annotation" / "finegrained_rlhf" / "dev_feedback.json.gz"
QA_ERROR_TYPES = ("Irrelevant", "Wrong-Grounding", "Unverifiable", "Redundant", "Incoherent")

SENTIMENT = [
    {"input": "the meal was great today", "result": "positive", "prediction": "negative", "group": "review-1"},
    {"input": "the film was awful again", "result": "negative", "group": "review-2"},
    {"input": {"prompt": "Describe the trip", "options": ["It was lovely.", "Trip."]}, "result": {"chosen": 0}, "group": "pref-1"},
]
SKILLS = [
    {"input": "Knows Python and SQL well", "result": [[6, 12, "SKILL"], [17, 20, "SKILL"]], "prediction": [[6, 12, "SKILL"]], "group": "cv-1"},
    {"input": "Team player with Kubernetes", "result": [[17, 27, "SKILL"]], "group": "cv-2"},
    {"input": "Nothing to see here", "result": [], "group": "cv-3"},
]
COPY = [
    {"input": "repeat after me", "result": "repeat after me", "prediction": "repeat me", "group": "c-1"},
    {"input": "hello world", "result": "hello world", "group": "c-2"},
]
ITEMS = {"tests.sentiment": SENTIMENT, "tests.skills": SKILLS, "tests.copy": COPY}


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def import_file(fmt, path, kind, accepted=True, **kwargs):
    with open(path, "rb") as stream:
        return services.annotations_import(format=fmt, stream=stream, kind=kind, accepted=accepted, **kwargs)


def accepted_answers(kind):
    rows = Annotation.objects.filter(task__kind=kind, status="accepted").select_related("task")
    return sorted(json.dumps([a.task.feedback_type, a.task.input, a.task.group, a.result, a.task.prediction], sort_keys=True) for a in rows)


@pytest.fixture
def register_kind(monkeypatch):
    """Register a kind for one test only."""

    def register(name, base=K.ModelKind, **attributes):
        cls = type(name.replace(".", "_"), (base,), {"name": name, **attributes})
        monkeypatch.setitem(K._registry, name, cls())
        return name

    return register


@pytest.fixture
def copy_of(register_kind):
    """A fresh kind with the same task type and labels as an existing one, to import into."""

    def copy(kind):
        return register_kind(f"{kind}_copy", base=type(K.get_kind(kind)))

    return copy


@pytest.mark.django_db
class TestRegistry:
    def test_unknown_format_names_the_known_ones(self):
        with pytest.raises(formats.UnknownFormat) as caught:
            get_importer("xlsx")
        # Domain apps add their own formats (cuad, dotin, ...), so only the built-in ones are checked.
        assert all(name in str(caught.value) for name in ("csv", "jsonl", "labelstudio", "qa_feedback"))
        with pytest.raises(formats.UnknownFormat, match="known export formats: conll, doccano, dpo, hf, jsonl, kto, labelstudio, preference, sft, squad"):
            get_exporter("xml")

    def test_another_app_can_register_a_format(self, monkeypatch, tmp_path):
        monkeypatch.setattr(formats, "IMPORTERS", dict(formats.IMPORTERS))

        @register_importer
        class Lines(Importer):
            name = "lines"

            def parse(self, stream, *, kind):
                for number, line in enumerate(stream.read().decode().splitlines(), 1):
                    yield f"line {number}", {"input": line, "group": "", "result": "positive"}

        path = tmp_path / "reviews.txt"
        path.write_text("the room was fine\nthe phone was lovely\n")

        assert import_file("lines", path, "tests.sentiment")["accepted"] == 2


@pytest.mark.django_db
class TestImports:
    def test_a_bad_jsonl_line_rejects_the_file_by_line_number_and_writes_nothing(self, tmp_path):
        path = write_jsonl(tmp_path / "bad.jsonl", [SENTIMENT[0], SENTIMENT[1], '{"input": "the trip was grim", "result": ', SENTIMENT[0]])

        with pytest.raises(CommandError, match=r"line 3: not valid JSON"):
            call_command("import_annotations", "jsonl", str(path), "--kind", "tests.sentiment", "--accepted", "--project", "mine")

        assert AnnotationTask.objects.count() == 0 and Annotation.objects.count() == 0
        assert not AnnotationProject.objects.exists()

    def test_an_unknown_label_is_rejected_with_its_line(self, tmp_path):
        path = write_jsonl(tmp_path / "labels.jsonl", [SENTIMENT[0], "", {"input": "the class was ok", "result": "neutral"}])

        with pytest.raises(ValidationError) as rejected:
            import_file("jsonl", path, "tests.sentiment")

        assert "line 3: unknown label 'neutral'" in rejected.value.messages[0]
        assert AnnotationTask.objects.count() == 0

    def test_a_span_outside_the_text_is_rejected(self, tmp_path):
        path = write_jsonl(tmp_path / "spans.jsonl", [SKILLS[0], {"input": "Rust", "result": [[0, 40, "SKILL"]]}])

        with pytest.raises(ValidationError, match=r"line 2: span \[0, 40, 'SKILL'\] is outside the text, which has 4 characters"):
            import_file("jsonl", path, "tests.skills")
        assert AnnotationTask.objects.count() == 0

    def test_a_preference_with_one_option_is_rejected(self, tmp_path):
        lonely = {"input": {"prompt": "Pick one", "options": ["only this"]}, "result": {"chosen": 0}}
        path = write_jsonl(tmp_path / "prefs.jsonl", [SENTIMENT[2], lonely])

        with pytest.raises(ValidationError, match="line 2: a preference needs at least 2 options; it has 1"):
            import_file("jsonl", path, "tests.sentiment")
        assert AnnotationTask.objects.count() == 0

    def test_a_bad_csv_row_rejects_the_file_by_line_number(self, tmp_path):
        path = tmp_path / "reviews.csv"
        path.write_text('input,result,group\n"the meal was great",positive,r1\n"the film was ""odd""",meh,r2\n', encoding="utf-8")

        with pytest.raises(ValidationError, match=r"line 3: unknown label 'meh'"):
            import_file("csv", path, "tests.sentiment")
        assert AnnotationTask.objects.count() == 0

    def test_csv_imports_labels_spans_and_preferences(self, tmp_path):
        reviews, spans, prefs = tmp_path / "reviews.csv", tmp_path / "skills.csv", tmp_path / "prefs.csv"
        reviews.write_text("text,label,prediction\nthe meal was great,positive,negative\nthe trip was grim,,\n", encoding="utf-8")
        with open(spans, "w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([["input", "result", "group"], ["Knows Python", json.dumps([[6, 12, "SKILL"]]), "cv-9"]])
        with open(prefs, "w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([["prompt", "options", "chosen"], ["Greet", json.dumps(["Hello!", "Go away."]), "0"]])

        counts = import_file("csv", reviews, "tests.sentiment")
        assert counts == {"items": 2, "accepted": 1, "open": 1, "preference": 0, "skipped": 0, "report": counts["report"],
                          "project": AnnotationProject.objects.get(name="tests.sentiment imports").pk}
        assert counts["report"]["unmapped_labels"] == {} and counts["report"]["dry_run"] is False
        assert import_file("csv", spans, "tests.skills")["accepted"] == 1
        assert import_file("csv", prefs, "tests.sentiment")["preference"] == 1

        open_task = AnnotationTask.objects.get(input="the trip was grim")
        assert open_task.status == "open" and open_task.source == "import" and not open_task.annotations.exists()
        assert Annotation.objects.get(task__kind="tests.skills").result == [[6, 12, "SKILL"]]
        preference = AnnotationTask.objects.get(feedback_type="preference")
        assert preference.kind == "tests.sentiment" and preference.annotations.get().result == {"chosen": 0}

    def test_without_accepted_items_become_open_tasks_prefilled(self, tmp_path):
        path = write_jsonl(tmp_path / "skills.jsonl", SKILLS[:2])

        counts = import_file("jsonl", path, "tests.skills", accepted=False)

        assert counts["open"] == 2 and not Annotation.objects.exists()
        prefilled = AnnotationTask.objects.order_by("id")
        assert [t.prediction for t in prefilled] == [SKILLS[0]["prediction"], SKILLS[1]["result"]]
        assert {t.status for t in prefilled} == {"open"}

    def test_a_label_studio_export_with_choices_spans_and_textarea_imports(self, tmp_path):
        text = "I ❤️ 🐍 Python"  # the snake is one character here and two in the browser's UTF-16 offsets
        python16 = text.index("Python") + 1
        skills = [{
            "id": 41, "data": {"text": text},
            "annotations": [
                {"id": 1, "was_cancelled": True, "result": []},
                {"id": 2, "result": [{"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
                                      "value": {"start": python16, "end": python16 + 6, "text": "Python", "labels": ["SKILL"]}}]},
            ],
        }]
        reviews = [{
            "id": 7, "data": {"review": "the visit was nasty"},
            "annotations": [{"result": [{"type": "choices", "value": {"choices": ["negative"]}}], "ground_truth": True},
                            {"result": [{"type": "choices", "value": {"choices": ["positive"]}}]}],
            "predictions": [{"result": [{"type": "choices", "value": {"choices": ["positive"]}}], "score": 0.61}],
        }, {"id": 8, "data": {"text": "the concert was superb"}, "annotations": []}]
        answers = [{"id": 3, "data": {"text": "say it back"},
                    "annotations": [{"result": [{"type": "textarea", "from_name": "answer", "value": {"text": ["say it back"]}}]}]}]
        for name, tasks in (("skills", skills), ("reviews", reviews), ("answers", answers)):
            (tmp_path / f"{name}.json").write_text(json.dumps(tasks), encoding="utf-8")

        import_file("labelstudio", tmp_path / "skills.json", "tests.skills")
        counts = import_file("labelstudio", tmp_path / "reviews.json", "tests.sentiment")
        import_file("labelstudio", tmp_path / "answers.json", "tests.copy")

        start = text.index("Python")
        assert Annotation.objects.get(task__kind="tests.skills").result == [[start, start + 6, "SKILL"]]
        review = AnnotationTask.objects.get(input="the visit was nasty")
        assert review.annotations.get().result == "negative" and review.prediction == "positive" and review.prediction_score == 0.61
        assert review.group == "labelstudio-7"
        assert counts["accepted"] == 1 and counts["open"] == 1
        assert Annotation.objects.get(task__kind="tests.copy").result == "say it back"

    def test_a_label_studio_label_the_kind_does_not_know_names_its_item(self, tmp_path):
        tasks = [{"id": 5, "data": {"text": "Go and Rust"}, "annotations": [
            {"result": [{"type": "labels", "value": {"start": 0, "end": 2, "text": "Go", "labels": ["LANGUAGE"]}}]}]}]
        (tmp_path / "ls.json").write_text(json.dumps(tasks))

        with pytest.raises(ValidationError, match=r"item 1 \(task 5\): unknown label 'LANGUAGE'"):
            import_file("labelstudio", tmp_path / "ls.json", "tests.skills")

    def test_qa_feedback_becomes_corrections_preferences_and_error_spans(self, register_kind):
        if not QA_FEEDBACK.exists():
            pytest.skip(f"QA-Feedback data is not here ({QA_FEEDBACK}); it lives in ../shared/data beside the repository")
        errors_kind = register_kind("tests.qa_errors", task_type=K.TOKEN_CLASSIFICATION, labels=QA_ERROR_TYPES)

        spans = import_file("qa_feedback", QA_FEEDBACK, errors_kind)
        answers = import_file("qa_feedback", QA_FEEDBACK, "tests.copy")

        assert spans["items"] == spans["accepted"] == 500
        first = AnnotationTask.objects.filter(kind=errors_kind).order_by("id").first()
        assert first.input.startswith("Bloom is the second studio album")
        first_span = first.annotations.get().result[0]
        assert first.input[first_span[0]:first_span[1]].startswith("The album follows up")
        corrections = AnnotationTask.objects.filter(kind="tests.copy", feedback_type="correction")
        preferences = AnnotationTask.objects.filter(kind="tests.copy", feedback_type="preference")
        assert corrections.count() == 487 and answers["skipped"] > 13  # 13 records have no correction; ties are skipped too
        assert preferences.count() == answers["preference"] == answers["items"] - 487
        correction = corrections.order_by("id").first()
        assert correction.input.startswith("question: When does bloom by troye sivan come out? context: wikipage: Bloom")
        assert correction.prediction.startswith("Bloom is the second studio album") and correction.group == first.group
        assert correction.annotations.get().result.endswith("as the third single.")
        pair = preferences.order_by("id").first()
        assert len(pair.input["options"]) == 2 and pair.annotations.get().result == {"chosen": 0}

    def test_qa_feedback_with_error_types_the_kind_lacks_is_rejected_whole(self):
        if not QA_FEEDBACK.exists():
            pytest.skip(f"QA-Feedback data is not here ({QA_FEEDBACK})")

        with pytest.raises(ValidationError, match=r"item 1: unknown label 'Irrelevant'"):
            import_file("qa_feedback", QA_FEEDBACK, "tests.skills")
        assert AnnotationTask.objects.count() == 0


@pytest.mark.django_db
class TestExports:
    @pytest.mark.parametrize("kind", ["tests.sentiment", "tests.skills", "tests.copy"])
    def test_label_studio_round_trip_keeps_the_annotations(self, kind, tmp_path, copy_of):
        import_file("jsonl", write_jsonl(tmp_path / "in.jsonl", ITEMS[kind]), kind)
        fresh = copy_of(kind)

        written = services.annotations_export(format="labelstudio", kind=kind, path=tmp_path / "ls.json")
        counts = import_file("labelstudio", tmp_path / "ls.json", fresh, project=AnnotationProject.objects.create(kind=fresh, name="again"))

        assert written == counts["accepted"] == len(ITEMS[kind])
        assert accepted_answers(fresh) == accepted_answers(kind)
        tasks = json.loads((tmp_path / "ls.json").read_text())
        assert all(task["annotations"][0]["result"] is not None for task in tasks)

    def test_open_tasks_export_to_label_studio_as_predictions_and_come_back_open(self, tmp_path, copy_of):
        import_file("jsonl", write_jsonl(tmp_path / "in.jsonl", SKILLS[:2]), "tests.skills", accepted=False)
        fresh = copy_of("tests.skills")

        assert services.annotations_export(format="labelstudio", kind="tests.skills", path=tmp_path / "none.json") == 0
        services.annotations_export(format="labelstudio", kind="tests.skills", path=tmp_path / "all.json", scope="all")
        tasks = json.loads((tmp_path / "all.json").read_text())
        counts = import_file("labelstudio", tmp_path / "all.json", fresh)

        assert json.loads((tmp_path / "none.json").read_text()) == []
        assert [t["annotations"] for t in tasks] == [[], []]
        assert tasks[0]["predictions"][0]["result"][0]["value"] == {"start": 6, "end": 12, "text": "Python", "labels": ["SKILL"]}
        assert counts["open"] == 2
        assert [t.prediction for t in AnnotationTask.objects.filter(kind=fresh).order_by("id")] == [SKILLS[0]["prediction"], SKILLS[1]["result"]]

    def test_exporting_writes_what_was_imported(self, tmp_path):
        source = write_jsonl(tmp_path / "skills.jsonl", SKILLS)
        call_command("import_annotations", "jsonl", str(source), "--kind", "tests.skills", "--accepted", stdout=io.StringIO())
        out = tmp_path / "out" / "skills.jsonl"

        call_command("export_annotations", "jsonl", "--kind", "tests.skills", "--out", str(out), stdout=io.StringIO())

        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert [(r["input"], r["result"], r["prediction"], r["group"]) for r in rows] == [
            (i["input"], i["result"], i.get("prediction"), i["group"]) for i in SKILLS
        ]
        assert {r["status"] for r in rows} == {"accepted"} and {r["source"] for r in rows} == {"import"}
        assert not list(out.parent.glob(".*.part"))

    def test_conll_writes_a_token_per_line_with_bio_tags(self, tmp_path):
        import_file("jsonl", write_jsonl(tmp_path / "s.jsonl", [
            {"input": "Knows machine learning, SQL.", "result": [[6, 22, "SKILL"], [24, 27, "SKILL"]]}, SKILLS[2],
        ]), "tests.skills")

        services.annotations_export(format="conll", kind="tests.skills", path=tmp_path / "skills.conll")

        blocks = (tmp_path / "skills.conll").read_text().split("\n\n")
        assert blocks[0].splitlines() == ["Knows O", "machine B-SKILL", "learning I-SKILL", ", O", "SQL B-SKILL", ". O"]
        assert blocks[1].splitlines() == ["Nothing O", "to O", "see O", "here O"]

    def test_adjacent_spans_of_one_label_each_begin_with_b(self):
        assert bio_tokens("Python Java", [[0, 6, "SKILL"], [7, 11, "SKILL"]]) == [("Python", "B-SKILL"), ("Java", "B-SKILL")]

    def test_sft_writes_messages_or_prompt_and_completion(self, tmp_path):
        import_file("jsonl", write_jsonl(tmp_path / "c.jsonl", COPY), "tests.copy")
        import_file("jsonl", write_jsonl(tmp_path / "s.jsonl", SENTIMENT), "tests.sentiment")

        call_command("export_annotations", "sft", "--kind", "tests.copy", "--out", str(tmp_path / "chat.jsonl"),
                     "--option", "system=Repeat the user.", stdout=io.StringIO())
        services.annotations_export(format="sft", kind="tests.sentiment", path=tmp_path / "pc.jsonl", options={"style": "prompt_completion"})

        chat = [json.loads(line) for line in (tmp_path / "chat.jsonl").read_text().splitlines()]
        assert chat[0] == {"messages": [{"role": "system", "content": "Repeat the user."},
                                        {"role": "user", "content": "repeat after me"},
                                        {"role": "assistant", "content": "repeat after me"}]}
        pairs = [json.loads(line) for line in (tmp_path / "pc.jsonl").read_text().splitlines()]
        assert pairs == [{"prompt": "the meal was great today", "completion": "positive"},
                         {"prompt": "the film was awful again", "completion": "negative"},
                         {"prompt": "Describe the trip", "completion": "It was lovely."}]
        with pytest.raises(ValidationError, match="sft style is one of messages, prompt_completion"):
            services.annotations_export(format="sft", kind="tests.copy", path=tmp_path / "x.jsonl", options={"style": "alpaca"})

    def test_preference_pairs_come_from_choices_rankings_and_corrections(self, tmp_path):
        ranked = {"input": {"prompt": "Rank", "options": ["a", "b", "c"]}, "result": {"ranking": [2, 0, 1]}, "group": "g"}
        import_file("jsonl", write_jsonl(tmp_path / "p.jsonl", [ranked, *COPY]), "tests.copy")

        services.annotations_export(format="preference", kind="tests.copy", path=tmp_path / "pairs.jsonl")

        pairs = [json.loads(line) for line in (tmp_path / "pairs.jsonl").read_text().splitlines()]
        assert [(p["prompt"], p["chosen"], p["rejected"]) for p in pairs] == [
            ("Rank", "c", "a"), ("Rank", "c", "b"), ("Rank", "a", "b"), ("repeat after me", "repeat after me", "repeat me"),
        ]

    def test_hf_export_is_a_folder_load_from_disk_reads(self, tmp_path):
        datasets = pytest.importorskip("datasets")
        import_file("jsonl", write_jsonl(tmp_path / "s.jsonl", SKILLS), "tests.skills")
        import_file("jsonl", write_jsonl(tmp_path / "r.jsonl", SENTIMENT), "tests.sentiment")

        call_command("export_annotations", "hf", "--kind", "tests.skills", "--out", str(tmp_path / "skills"), stdout=io.StringIO())
        services.annotations_export(format="hf", kind="tests.sentiment", path=tmp_path / "reviews")

        skills = datasets.load_from_disk(str(tmp_path / "skills"))
        assert skills["input"] == [i["input"] for i in SKILLS] and skills["group"] == ["cv-1", "cv-2", "cv-3"]
        assert skills[0]["target"] == [{"start": 6, "end": 12, "label": "SKILL"}, {"start": 17, "end": 20, "label": "SKILL"}]
        reviews = datasets.load_from_disk(str(tmp_path / "reviews"))
        assert reviews.features["target"].names == ["positive", "negative"]
        assert reviews["target"] == [0, 1]  # the preference item goes to the preference format, not here
        with pytest.raises(CommandError, match="exists"):
            call_command("export_annotations", "hf", "--kind", "tests.skills", "--out", str(tmp_path / "skills"), stdout=io.StringIO())

    def test_personal_inputs_leave_only_masked(self, tmp_path):
        message = "Hi, I am Anna Smith, born 1980-02-03; can I book an appointment?"
        import_file("jsonl", write_jsonl(tmp_path / "h.jsonl", [{"input": message, "result": "book"}]), "tests.health_intent")

        services.annotations_export(format="jsonl", kind="tests.health_intent", path=tmp_path / "out.jsonl")

        exported = json.loads((tmp_path / "out.jsonl").read_text())
        assert "Anna Smith" not in exported["input"] and exported["result"] == "book"
        assert AnnotationTask.objects.get().input == message  # training reads the original

    def test_a_failed_export_job_is_recorded_with_its_reason(self):
        job = ExportJob.objects.create(kind="tests.sentiment", format="conll")

        job = services.export_job_build(job_id=job.pk)

        assert job.status == "failed" and "CoNLL holds spans; tests.sentiment is a classification kind" in job.error
        assert job.finished_at is not None and not job.file


@pytest.mark.django_db
class TestApi:
    def test_an_upload_is_imported_or_rejected_with_its_line(self, settings):
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16  # uploads spill to temporary files, as large ones do
        reviewer = api_client_for(UserFactory(role="reviewer"))
        good = io.BytesIO(b"".join(json.dumps(r).encode() + b"\n" for r in SENTIMENT))
        good.name = "reviews.jsonl"
        bad = io.BytesIO(json.dumps(SENTIMENT[0]).encode() + b"\n" + b'{"input": "the room was bad", "result": "so-so"}\n')
        bad.name = "bad.jsonl"

        created = reviewer.post("/api/annotation/imports/", {"file": good, "format": "jsonl", "kind": "tests.sentiment", "accepted": "true"},
                                format="multipart")
        rejected = reviewer.post("/api/annotation/imports/", {"file": bad, "format": "jsonl", "kind": "tests.sentiment", "project": "p2"},
                                 format="multipart")

        assert created.status_code == 201, created.json()
        assert created.json()["accepted"] == 3 and created.json()["preference"] == 1
        assert rejected.status_code == 400 and "line 2: unknown label 'so-so'" in rejected.json()["error"]["message"]
        assert AnnotationTask.objects.count() == 3 and not AnnotationProject.objects.filter(name="p2").exists()
        assert Annotation.objects.filter(reviewer__isnull=False).count() == 3

    def test_imports_and_exports_are_for_reviewers_and_staff(self):
        annotator = api_client_for(UserFactory(role="annotator"))
        assert annotator.post("/api/annotation/exports/", {"kind": "tests.skills", "format": "jsonl"}, format="json").status_code == 403
        assert annotator.post("/api/annotation/imports/", {}, format="multipart").status_code == 403
        staff = api_client_for(UserFactory(is_staff=True))
        assert staff.post("/api/annotation/exports/", {"kind": "tests.skills", "format": "jsonl"}, format="json").status_code == 202

    def test_an_export_in_an_unknown_format_is_refused_naming_the_known_ones(self):
        reviewer = api_client_for(UserFactory(role="reviewer"))

        response = reviewer.post("/api/annotation/exports/", {"kind": "tests.skills", "format": "xml"}, format="json")

        assert response.status_code == 400
        assert "known export formats: conll, doccano, dpo, hf, jsonl, kto, labelstudio, preference, sft, squad" in response.json()["error"]["message"]
        assert not ExportJob.objects.exists()

    def test_someone_elses_export_is_not_found(self):
        job = services.export_job_create(user=UserFactory(role="reviewer"), kind="tests.skills", format="jsonl")

        other = api_client_for(UserFactory(role="reviewer"))

        assert other.get(f"/api/annotation/exports/{job.pk}/").status_code == 404
        assert other.get(f"/api/annotation/exports/{job.pk}/download/").status_code == 404


def test_an_export_job_runs_on_the_worker_and_its_file_downloads(celery_worker, tmp_path):
    user = UserFactory(role="reviewer")
    client = api_client_for(user)
    upload = io.BytesIO("".join(json.dumps(r) + "\n" for r in SKILLS).encode())
    upload.name = "skills.jsonl"
    assert client.post("/api/annotation/imports/", {"file": upload, "format": "jsonl", "kind": "tests.skills", "accepted": "true"},
                       format="multipart").status_code == 201

    queued = client.post("/api/annotation/exports/", {"kind": "tests.skills", "format": "conll"}, format="json")
    assert queued.status_code == 202, queued.json()
    assert client.get(f"/api/annotation/exports/{queued.json()['id']}/download/").status_code in (409, 200)
    deadline = time.monotonic() + 60
    while (job := client.get(f"/api/annotation/exports/{queued.json()['id']}/").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.3)

    assert job["status"] == "succeeded", job["error"]
    assert job["rows"] == 3 and job["download_url"].endswith(f"/exports/{job['id']}/download/")
    download = client.get(job["download_url"])
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content).decode()
    assert body.startswith("Knows O\nPython B-SKILL\nand O\nSQL B-SKILL\n") and body.count("\n\n") == 3

    hf = client.post("/api/annotation/exports/", {"kind": "tests.skills", "format": "hf"}, format="json").json()
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/annotation/exports/{hf['id']}/").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.3)
    assert job["status"] == "succeeded", job["error"]
    archive = tmp_path / "skills.zip"
    archive.write_bytes(b"".join(client.get(job["download_url"]).streaming_content))
    zipfile.ZipFile(archive).extractall(tmp_path / "skills")
    datasets = pytest.importorskip("datasets")
    assert datasets.load_from_disk(str(tmp_path / "skills"))["group"] == ["cv-1", "cv-2", "cv-3"]


# --- Label Studio exports as Label Studio writes them -----------------------------------------------

RESUME = (
    "Priya Raman\nSenior Data Engineer\n\nPune, Maharashtra\n\nWORK EXPERIENCE\n\n"
    "Senior Data Engineer\nInfosys Limited  -  Pune\n2019 to 2022  Present\n"
)


def ls_region(region_id, start, end, label, text=None, origin="manual"):
    """One `labels` region exactly as Label Studio 1.x writes it (text may differ from the offsets in whitespace)."""
    return {
        "value": {"start": start, "end": end, "text": RESUME[start:end] if text is None else text, "labels": [label]},
        "id": region_id, "from_name": "label", "to_name": "text", "type": "labels", "origin": origin,
    }


def ls_annotation(annotation_id, task_id, completed_by, result, *, cancelled=False, ground_truth=False, updated="2024-03-04T10:00:00.000000Z"):
    return {
        "id": annotation_id, "completed_by": completed_by, "result": result, "was_cancelled": cancelled,
        "ground_truth": ground_truth, "created_at": "2024-03-04T09:58:12.118734Z", "updated_at": updated,
        "draft_created_at": "2024-03-04T09:57:40.221311Z", "lead_time": 83.412, "prediction": {}, "result_count": 0,
        "unique_id": f"7c1e{annotation_id:04d}-3d55-4b0e-9f0a-6f1b2c3d4e5f", "import_id": None, "last_action": None,
        "task": task_id, "project": 12, "updated_by": completed_by, "parent_prediction": None, "parent_annotation": None,
        "last_created_by": None,
    }


def ls_resume_export() -> list[dict]:
    """A resume project's export, built to look exactly like Label Studio's "Export > JSON" (1.x community edition)."""
    at = RESUME.index
    name, title, city = (at("Priya"), at("Priya") + 11), (at("Senior"), at("Senior") + 20), (at("Pune"), at("Pune") + 4)
    company = (at("Infosys"), at("Infosys") + 15)
    years = (at("2022"), at("2022") + 13)  # '2022  Present' in the text, '2022 Present' in Label Studio's copy
    task_1 = {
        "id": 907, "annotations": [
            ls_annotation(3101, 907, 4, [], cancelled=True),
            ls_annotation(3102, 907, {"id": 5, "email": "reviewer@example.org", "first_name": "", "last_name": ""}, [
                ls_region("n1", *name, "candidate_name"), ls_region("d1", *title, "designation"),
                ls_region("c1", *city, "candidate_city"), ls_region("o1", *company, "company_name"),
                ls_region("y1", *years, "work_year", text="2022 Present"), ls_region("e1", *company, "not_in_mapping"),
            ], updated="2024-03-05T11:00:00.000000Z"),
            ls_annotation(3103, 907, 6, [ls_region("n2", *name, "candidate_name")], updated="2024-03-04T08:00:00.000000Z"),
        ],
        "file_upload": "3e1f0a2b-resumes.json",
        "drafts": [{"id": 88, "user": "annotator@example.org", "created_username": "annotator@example.org, 6",
                    "created_ago": "2 days", "result": [ls_region("x1", *name, "candidate_name")], "lead_time": 12.0,
                    "was_postponed": False, "import_id": None, "created_at": "2024-03-03T10:00:00.000000Z",
                    "updated_at": "2024-03-03T10:00:00.000000Z", "task": 907, "annotation": None}],
        "predictions": [
            {"id": 51, "model_version": "resume-ner-2024-02", "created_ago": "3 weeks", "score": 0.42,
             "result": [ls_region("p1", *name, "candidate_name", origin="prediction")], "cluster": None, "neighbors": None,
             "mislabeling": 0.0, "created_at": "2024-02-10T10:00:00.000000Z", "updated_at": "2024-02-10T10:00:00.000000Z",
             "task": 907, "project": 12},
            {"id": 52, "model_version": "resume-ner-2024-03", "created_ago": "1 week", "score": 0.77,
             "result": [ls_region("p2", *name, "candidate_name", origin="prediction"),
                        ls_region("p3", *city, "candidate_city", origin="prediction")], "cluster": None, "neighbors": None,
             "mislabeling": 0.0, "created_at": "2024-02-24T10:00:00.000000Z", "updated_at": "2024-02-24T10:00:00.000000Z",
             "task": 907, "project": 12},
        ],
        "agreement": 66.67,
        "data": {"text": RESUME, "filename": "priya_raman.pdf"},
        "meta": {}, "created_at": "2024-03-01T09:00:00.000000Z", "updated_at": "2024-03-05T11:00:00.000000Z",
        "inner_id": 1, "total_annotations": 2, "cancelled_annotations": 1, "total_predictions": 2, "comment_count": 0,
        "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 12, "updated_by": 5, "comment_authors": [],
    }
    task_2 = {**task_1, "id": 908, "inner_id": 2, "annotations": [], "drafts": [], "agreement": None,
              "predictions": [{**task_1["predictions"][0], "id": 53, "task": 908}],
              "data": {"text": "Arjun Mehta\nData Analyst\n", "filename": "arjun.pdf"}, "total_annotations": 0}
    task_2["predictions"][0]["result"] = [{**ls_region("p4", 0, 11, "candidate_name", origin="prediction"),
                                           "value": {"start": 0, "end": 11, "text": "Arjun Mehta", "labels": ["candidate_name"]}}]
    return [task_1, task_2]


RESUME_LABELS = "candidate_name=Name,designation=Designation,candidate_city=Location,company_name=Companies worked at,work_year=Years of Experience"


@pytest.mark.django_db
class TestLabelStudioExports:
    def test_a_real_label_studio_resume_export_imports_with_a_label_mapping(self, tmp_path):
        path = tmp_path / "project-12-at-2024-03-05-11-02-7c1e3d55.json"
        path.write_text(json.dumps(ls_resume_export(), indent=2), encoding="utf-8")

        counts = import_file("labelstudio", path, "resumes.ner", labels=RESUME_LABELS)

        assert (counts["items"], counts["accepted"], counts["open"]) == (2, 1, 1)
        report = counts["report"]
        assert report["whitespace_tolerated"] == 1
        assert report["unmapped_labels"] == {"not_in_mapping": 1}
        assert (report["drafts_ignored"], report["cancelled_ignored"], report["predictions"]) == (1, 1, 2)
        assert report["tasks_with_several_annotations"] == 1 and report["labelstudio_agreement_mean"] == 66.67
        task = AnnotationTask.objects.get(external_id="labelstudio:907")
        answer = task.annotations.get()
        at = RESUME.index
        assert answer.result == sorted([
            [at("Priya"), at("Priya") + 11, "Name"], [at("Senior"), at("Senior") + 20, "Designation"],
            [at("Pune"), at("Pune") + 4, "Location"], [at("Infosys"), at("Infosys") + 15, "Companies worked at"],
            [at("2022"), at("2022") + 13, "Years of Experience"],
        ])
        assert RESUME[at("2022"):at("2022") + 13] == "2022  Present"  # the offsets were kept, not the quoted text
        assert answer.external_annotator == "labelstudio:reviewer@example.org"  # the latest annotation, not the cancelled one
        # The best-scored prediction is the pre-annotation, with the model that made it.
        assert (task.prediction_model, task.prediction_score) == ("resume-ner-2024-03", 0.77)
        assert task.prediction == [[at("Priya"), at("Priya") + 11, "Name"], [at("Pune"), at("Pune") + 4, "Location"]]
        unlabelled = AnnotationTask.objects.get(external_id="labelstudio:908")
        assert unlabelled.status == "open" and unlabelled.prediction == [[0, 11, "Name"]]
        assert unlabelled.prediction_model == "resume-ner-2024-02"

    def test_without_a_mapping_the_foreign_label_is_named_with_its_item(self, tmp_path):
        path = tmp_path / "ls.json"
        path.write_text(json.dumps(ls_resume_export()), encoding="utf-8")

        with pytest.raises(ValidationError, match=r"item 1 \(task 907\): unknown label 'candidate_name'"):
            import_file("labelstudio", path, "resumes.ner")
        assert not AnnotationTask.objects.exists()

    def test_a_mapping_onto_a_label_the_kind_lacks_is_refused_before_reading(self, tmp_path):
        path = tmp_path / "ls.json"
        path.write_text(json.dumps(ls_resume_export()), encoding="utf-8")

        with pytest.raises(ValidationError, match="'candidate_city' maps to 'City', which resumes.ner does not know"):
            import_file("labelstudio", path, "resumes.ner", labels="candidate_city=City")
        with pytest.raises(ValidationError, match="'work_year' maps to nothing"):
            import_file("labelstudio", path, "resumes.ner", labels={"work_year": ""})
        assert not AnnotationTask.objects.exists()

    def test_offsets_outside_the_text_reject_the_whole_file(self, tmp_path):
        tasks = ls_resume_export()
        tasks[1]["predictions"][0]["result"][0]["value"].update(start=20, end=400)
        path = tmp_path / "ls.json"
        path.write_text(json.dumps(tasks), encoding="utf-8")

        with pytest.raises(ValidationError, match=r"item 2 \(task 908\) prediction: span 20..400 is outside the text, which has 25 characters"):
            import_file("labelstudio", path, "resumes.ner", labels=RESUME_LABELS)
        assert not AnnotationTask.objects.exists() and not Annotation.objects.exists()

    def test_a_file_that_is_not_a_label_studio_export_says_so(self, tmp_path):
        (tmp_path / "doccano.jsonl").write_text('{"text": "a", "label": [[0, 1, "X"]]}\n', encoding="utf-8")

        with pytest.raises(ValidationError, match="a Label Studio export is a JSON list of tasks .*use the doccano format"):
            import_file("labelstudio", tmp_path / "doccano.jsonl", "resumes.ner")
        (tmp_path / "tasks.json").write_text('[{"text": "a"}]', encoding="utf-8")
        with pytest.raises(ValidationError, match=r"item 1: a task needs .{1,2}data"):
            import_file("labelstudio", tmp_path / "tasks.json", "resumes.ner")

    def test_the_command_dry_run_prints_the_report_and_writes_nothing(self, tmp_path):
        path = tmp_path / "ls.json"
        path.write_text(json.dumps(ls_resume_export()), encoding="utf-8")
        mapping = tmp_path / "labels.json"
        mapping.write_text(json.dumps(dict(pair.split("=") for pair in RESUME_LABELS.split(","))), encoding="utf-8")
        out = io.StringIO()

        call_command("import_annotations", "labelstudio", str(path), "--kind", "resumes.ner", "--accepted",
                     "--labels", str(mapping), "--project", "resumes from LS", "--dry-run", stdout=out)

        printed = out.getvalue()
        assert "Would import 2 items into resumes.ner: 1 accepted, 1 open" in printed
        assert "1 span whose quoted text differs from the text at its offsets only in whitespace" in printed and "not_in_mapping (1)" in printed
        assert "Dry run: nothing was written." in printed
        assert not AnnotationTask.objects.exists() and not AnnotationProject.objects.filter(name="resumes from LS").exists()

        call_command("import_annotations", "labelstudio", str(path), "--kind", "resumes.ner", "--accepted",
                     "--labels", RESUME_LABELS, stdout=io.StringIO())
        assert AnnotationTask.objects.count() == 2

    def test_the_api_imports_with_labels_and_dry_run(self, tmp_path):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = api_client_for(UserFactory(role="reviewer"))
        body = json.dumps(ls_resume_export()).encode()

        dry = client.post("/api/annotation/imports/", {
            "file": SimpleUploadedFile("ls.json", body), "format": "labelstudio", "kind": "resumes.ner",
            "accepted": "true", "labels": RESUME_LABELS, "dry_run": "true", "project": "LS"}, format="multipart")
        assert dry.status_code == 200 and dry.json()["report"]["dry_run"] is True
        assert not AnnotationTask.objects.exists() and not AnnotationProject.objects.filter(name="LS").exists()
        bad = client.post("/api/annotation/imports/", {
            "file": SimpleUploadedFile("ls.json", body), "format": "labelstudio", "kind": "resumes.ner",
            "labels": "candidate_city=Town"}, format="multipart")
        assert bad.status_code == 400 and "Town" in json.dumps(bad.json()["error"])
        done = client.post("/api/annotation/imports/", {
            "file": SimpleUploadedFile("ls.json", body), "format": "labelstudio", "kind": "resumes.ner",
            "accepted": "true", "labels": RESUME_LABELS}, format="multipart")
        assert done.status_code == 201 and done.json()["report"]["unmapped_labels"] == {"not_in_mapping": 1}
        assert AnnotationTask.objects.count() == 2


# --- datasets as published: CUAD and doccano; SQuAD, DPO and KTO out ------------------------------------

CONTRACTS = {
    "ACMECORP_01_01_2019-EX-10-SUPPLY AGREEMENT": (
        "SUPPLY AGREEMENT\n\nThis Supply Agreement is entered into by and between Acme Corp. (\"Buyer\") and Widget Ltd. "
        "(\"Seller\") on January 1, 2019. Seller shall deliver the goods monthly. The parties shall meet each quarter. "
        "This Agreement shall be governed by the laws of the State of New York. Either party may terminate this "
        "Agreement upon ninety days notice. Invoices are payable within thirty days."
    ),
    "GLOBEX_05_05_2020-EX-10.2-LICENSE AGREEMENT": (
        "LICENSE AGREEMENT\n\nGlobex Inc. grants Initech LLC a license to the Software. Initech shall pay the fees "
        "in advance. This Agreement is governed by the laws of Delaware. Notices shall be sent in writing."
    ),
}


def cuad_answers(name: str) -> dict[str, list[str]]:
    text = CONTRACTS[name]
    law = next(s for s in text.split(". ") if "governed by" in s)
    answers = {"Governing Law": [law], "Document Name": [text.split("\n")[0]]}
    if "terminate" in text:
        answers["Termination For Convenience"] = [next(s for s in text.split(". ") if "terminate" in s)]
    return answers


def write_cuad_squad(path: Path) -> Path:
    """A CUAD_v1.json as published: SQuAD 2.0, one paragraph per contract, a question per category with ids
    `<contract>__<Category>`, unanswerable ones with no answers."""
    data = []
    for name, text in CONTRACTS.items():
        answers = cuad_answers(name)
        qas = []
        for category in ("Document Name", "Parties", "Governing Law", "Termination For Convenience"):
            found = [{"text": a, "answer_start": text.index(a)} for a in answers.get(category, [])]
            qas.append({"answers": found, "id": f"{name}__{category}", "is_impossible": not found,
                        "question": f'Highlight the parts (if any) of this contract related to "{category}" that should be '
                                    f"reviewed by a lawyer. Details: ..."})
        data.append({"title": name, "paragraphs": [{"qas": qas, "context": text}]})
    path.write_text(json.dumps({"version": "aok_v1.0", "data": data}), encoding="utf-8")
    return path


def write_cuad_folder(root: Path) -> Path:
    """The CUAD_v1 folder layout: full_contract_txt/*.txt and master_clauses.csv (Filename names the PDF)."""
    folder = root / "CUAD_v1"
    (folder / "full_contract_txt").mkdir(parents=True)
    (folder / "full_contract_pdf").mkdir()
    columns = ["Filename", "Document Name", "Document Name-Answer", "Parties", "Parties-Answer", "Governing Law",
               "Governing Law-Answer", "Termination For Convenience", "Termination For Convenience-Answer"]
    rows = []
    for name, text in CONTRACTS.items():
        (folder / "full_contract_txt" / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / "full_contract_pdf" / f"{name}.pdf").write_bytes(b"%PDF-1.4 not read")
        answers = cuad_answers(name)
        row = {"Filename": f"{name}.pdf"}
        for category in ("Document Name", "Parties", "Governing Law", "Termination For Convenience"):
            row[category] = repr(answers.get(category, []))
            row[f"{category}-Answer"] = "Yes" if category in answers else ""
        rows.append(row)
    rows.append({**{c: "[]" for c in columns}, "Filename": "MISSING_CONTRACT.pdf"})
    with open(folder / "master_clauses.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def labelled_passages(kind="summarizer.clauses"):
    return {(a.task.group, a.task.input): a.result for a in Annotation.objects.filter(task__kind=kind).select_related("task")}


@pytest.mark.django_db
class TestPublishedDatasets:
    def test_cuad_v1_json_in_squad_form_labels_the_passages_its_answers_cover(self, tmp_path):
        counts = import_file("cuad", write_cuad_squad(tmp_path / "CUAD_v1.json"), "summarizer.clauses")

        labels = labelled_passages()
        assert counts["accepted"] == len(labels) > 0
        law = {(g, text): ls for (g, text), ls in labels.items() if "governed by the laws" in text}
        assert len(law) == 2 and all("Governing Law" in ls for ls in law.values())
        terminate = next(ls for (g, text), ls in labels.items() if "may terminate" in text)
        assert "Termination for Convenience" in terminate  # CUAD's own spelling, whatever the file's casing
        assert {g for g, _ in labels} == set(CONTRACTS)  # one group per contract: a split keeps it on one side
        assert not any(ls for (g, text), ls in labels.items() if "Invoices are payable" in text)

    def test_the_cuad_v1_folder_imports_from_the_command_and_reports_the_missing_contract(self, tmp_path):
        folder = write_cuad_folder(tmp_path)
        out = io.StringIO()

        call_command("import_annotations", "cuad", str(folder), "--kind", "summarizer.clauses", "--accepted", stdout=out)

        assert "MISSING_CONTRACT.pdf: no contract text" in out.getvalue()
        labels = labelled_passages()
        law = [ls for (g, text), ls in labels.items() if "governed by the laws" in text]
        assert len(law) == 2 and all("Governing Law" in ls for ls in law)
        squad_labels = labelled_passages()
        assert squad_labels  # the same contracts as CUAD_v1.json label the same passages
        Annotation.objects.all().delete()
        AnnotationTask.objects.all().delete()
        import_file("cuad", write_cuad_squad(tmp_path / "CUAD_v1.json"), "summarizer.clauses")
        from summarizer.formats import cuad_key

        def labelled(labels):  # master_clauses.csv names the PDF, CUAD_v1.json the contract: the same key
            return {(cuad_key(g), text): ls for (g, text), ls in labels.items() if ls}
        assert labelled(labelled_passages()) == labelled(squad_labels)

    def test_cuad_that_is_neither_form_is_refused_with_the_reason(self, tmp_path):
        (tmp_path / "CUAD_v1.json").write_text(json.dumps([{"title": "x"}]), encoding="utf-8")
        with pytest.raises(ValidationError, match="SQuAD 2.0"):
            import_file("cuad", tmp_path / "CUAD_v1.json", "summarizer.clauses")
        squad = json.loads(write_cuad_squad(tmp_path / "bad.json").read_text())
        squad["data"][0]["paragraphs"][0]["qas"][2]["answers"][0].update(text="governed by Martian law", answer_start=5)
        (tmp_path / "bad.json").write_text(json.dumps(squad), encoding="utf-8")
        with pytest.raises(ValidationError, match="ACMECORP.*Governing Law: answer at 5 says 'governed by Martian law', which is not in the contract"):
            import_file("cuad", tmp_path / "bad.json", "summarizer.clauses")
        assert not AnnotationTask.objects.exists()

    def test_doccano_jsonl_imports_spans_categories_and_texts_and_exports_back(self, tmp_path, copy_of):
        spans = write_jsonl(tmp_path / "ner.jsonl", [
            {"id": 11, "text": "Knows Python and SQL well", "label": [[6, 12, "SKILL"], [17, 20, "SKILL"]], "Comments": []},
            {"id": 12, "text": "Team player with Kubernetes", "entities": [{"id": 1, "label": "SKILL", "start_offset": 17, "end_offset": 27}], "relations": []},
            {"id": 13, "text": "Not labelled yet", "label": [], "Comments": []},
        ])
        categories = write_jsonl(tmp_path / "reviews.jsonl", [{"id": 1, "text": "the meal was great", "label": ["positive"]},
                                                              {"id": 2, "text": "the film was awful", "label": ["negative"]}])
        texts = write_jsonl(tmp_path / "copy.jsonl", [{"id": 5, "text": "repeat after me", "label": ["repeat after me"]}])

        counts = import_file("doccano", spans, "tests.skills")
        import_file("doccano", categories, "tests.sentiment")
        import_file("doccano", texts, "tests.copy")

        assert (counts["accepted"], counts["open"]) == (2, 1)
        assert AnnotationTask.objects.get(external_id="doccano:12").annotations.get().result == [[17, 27, "SKILL"]]
        assert AnnotationTask.objects.get(input="the film was awful").annotations.get().result == "negative"
        assert Annotation.objects.get(task__kind="tests.copy").result == "repeat after me"
        written = services.annotations_export(format="doccano", kind="tests.skills", path=tmp_path / "out.jsonl")
        lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
        assert written == 2 and lines[0]["label"] == [[6, 12, "SKILL"], [17, 20, "SKILL"]] and lines[0]["text"] == "Knows Python and SQL well"
        fresh = copy_of("tests.skills")
        import_file("doccano", tmp_path / "out.jsonl", fresh)
        assert sorted(a.result for a in Annotation.objects.filter(task__kind=fresh)) == sorted(
            a.result for a in Annotation.objects.filter(task__kind="tests.skills"))

    def test_a_doccano_line_with_two_labels_for_a_single_label_kind_is_named(self, tmp_path):
        path = write_jsonl(tmp_path / "bad.jsonl", [{"text": "fine", "label": ["positive"]}, {"text": "odd", "label": ["positive", "negative"]}])
        with pytest.raises(ValidationError, match=r"line 2: tests.sentiment takes one label per text"):
            import_file("doccano", path, "tests.sentiment")
        assert not AnnotationTask.objects.exists()

    def test_squad_export_of_key_terms_has_answer_starts_and_unanswerable_questions(self, tmp_path):
        import_file("cuad", write_cuad_squad(tmp_path / "CUAD_v1.json"), "summarizer.clauses")
        import_file("jsonl", write_jsonl(tmp_path / "skills.jsonl", SKILLS), "tests.skills")

        clauses = services.annotations_export(format="squad", kind="summarizer.clauses", path=tmp_path / "clauses.json")
        services.annotations_export(format="squad", kind="tests.skills", path=tmp_path / "skills.json",
                                    options={"question": "Which {label} does this resume name?"})

        squad = json.loads((tmp_path / "clauses.json").read_text())
        assert squad["version"] == "v2.0" and len(squad["data"]) == clauses
        law = next(d for d in squad["data"] if "governed by the laws of the State" in d["paragraphs"][0]["context"])
        qas = {q["id"].split("__")[1]: q for q in law["paragraphs"][0]["qas"]}
        assert qas["Governing Law"]["answers"][0]["answer_start"] == 0 and not qas["Governing Law"]["is_impossible"]
        assert qas["Parties"]["is_impossible"] and qas["Parties"]["answers"] == []
        skills = json.loads((tmp_path / "skills.json").read_text())["data"]
        first = skills[0]["paragraphs"][0]
        answer = first["qas"][0]["answers"]
        assert [first["context"][a["answer_start"]:a["answer_start"] + len(a["text"])] for a in answer] == ["Python", "SQL"]
        assert first["qas"][0]["question"] == "Which SKILL does this resume name?"

    def test_dpo_and_kto_exports_hold_exactly_the_columns_trl_reads(self, tmp_path):
        import_file("jsonl", write_jsonl(tmp_path / "copy.jsonl", COPY), "tests.copy")
        prefs = [{"input": {"prompt": "Greet", "options": ["Hello!", "Go away.", "Hm."]}, "result": {"chosen": 0}, "group": "p"}]
        import_file("jsonl", write_jsonl(tmp_path / "prefs.jsonl", prefs), "tests.copy")

        dpo = services.annotations_export(format="dpo", kind="tests.copy", path=tmp_path / "dpo.jsonl")
        kto = services.annotations_export(format="kto", kind="tests.copy", path=tmp_path / "kto.jsonl")

        pairs = [json.loads(line) for line in (tmp_path / "dpo.jsonl").read_text().splitlines()]
        assert dpo == 3 and all(set(p) == {"prompt", "chosen", "rejected"} for p in pairs)
        assert {"prompt": "repeat after me", "chosen": "repeat after me", "rejected": "repeat me"} in pairs
        assert {"prompt": "Greet", "chosen": "Hello!", "rejected": "Hm."} in pairs
        rows = [json.loads(line) for line in (tmp_path / "kto.jsonl").read_text().splitlines()]
        assert all(set(r) == {"prompt", "completion", "label"} and isinstance(r["label"], bool) for r in rows)
        assert {"prompt": "repeat after me", "completion": "repeat me", "label": False} in rows
        assert {"prompt": "Greet", "completion": "Hello!", "label": True} in rows and {"prompt": "Greet", "completion": "Go away.", "label": False} in rows
        assert kto == 6

    def test_a_flagged_output_is_a_thumbs_down_kto_row_before_anyone_corrects_it(self, tmp_path):
        from suite.ml import services as ml_services

        owner = UserFactory(role="patient")
        output = ml_services.model_output_record(kind="tests.copy", input="say hello", output={"text": "bye"}, score=0.4, owner=owner)
        services.flag_create(output=output, user=owner, reason="wrong", comment="it said bye")

        assert services.annotations_export(format="kto", kind="tests.copy", path=tmp_path / "accepted.jsonl") == 0
        services.annotations_export(format="kto", kind="tests.copy", path=tmp_path / "all.jsonl", scope="all")
        rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
        assert rows == [{"prompt": "say hello", "completion": "bye", "label": False}]


@pytest.mark.django_db
class TestFilteredExports:
    @pytest.fixture
    def answered(self):
        """Four sentiment items: accepted by ada (Jan) and by bob (Mar), one in review, one open."""
        import datetime

        from django.utils import timezone

        ada, bob = UserFactory(username="ada"), UserFactory(username="bob")
        project = AnnotationProject.objects.create(kind="tests.sentiment", name="filters")

        def item(text, status, annotator=None, label=None, accepted_on=None):
            accepted_at = timezone.make_aware(datetime.datetime.combine(accepted_on, datetime.time(12))) if accepted_on else None
            task = AnnotationTask.objects.create(project=project, kind="tests.sentiment", feedback_type="classification", input=text,
                                                 source="import", status=status, accepted_at=accepted_at, prediction="positive")
            if annotator:
                Annotation.objects.create(task=task, annotator=annotator, result=label,
                                          status="accepted" if status == "accepted" else "submitted")
            return task

        item("the meal was great", "accepted", ada, "positive", datetime.date(2026, 1, 10))
        item("the film was awful", "accepted", bob, "negative", datetime.date(2026, 3, 5))
        item("the room was grim", "in_review", ada, "negative")
        item("the book was fine", "open")

    def export(self, tmp_path, **filters):
        scope = filters.pop("scope", "accepted")
        services.annotations_export(format="jsonl", kind="tests.sentiment", path=tmp_path / "out.jsonl", scope=scope, filters=filters)
        return [json.loads(line)["input"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]

    def test_exports_filter_by_review_state_annotator_date_and_label(self, answered, tmp_path):
        assert self.export(tmp_path, scope="all", status="in_review,open") == ["the room was grim", "the book was fine"]
        assert self.export(tmp_path, annotator="bob") == ["the film was awful"]
        assert self.export(tmp_path, scope="all", annotator="ada") == ["the meal was great", "the room was grim"]
        assert self.export(tmp_path, since="2026-02-01") == ["the film was awful"]
        assert self.export(tmp_path, until="2026-01-31") == ["the meal was great"]
        assert self.export(tmp_path, label="negative") == ["the film was awful"]
        assert self.export(tmp_path, annotator="ada", label="negative") == []

    def test_bad_filters_are_refused_before_anything_is_written(self, answered, tmp_path):
        for filters, message in (({"status": "done"}, "Review state 'done'"), ({"since": "last week"}, "a date like"),
                                 ({"label": "neutral"}, "no label 'neutral'"), ({"reviewer": "x"}, "Unknown filter 'reviewer'")):
            with pytest.raises(ValidationError, match=message):
                self.export(tmp_path, **filters)
        assert not (tmp_path / "out.jsonl").exists()

    def test_the_command_and_the_api_take_the_filters(self, answered, tmp_path):
        call_command("export_annotations", "jsonl", "--kind", "tests.sentiment", "--out", str(tmp_path / "cmd.jsonl"),
                     "--annotator", "bob", "--since", "2026-03-01", stdout=io.StringIO())
        assert [json.loads(line)["input"] for line in (tmp_path / "cmd.jsonl").read_text().splitlines()] == ["the film was awful"]
        client = api_client_for(UserFactory(role="reviewer"))
        bad = client.post("/api/annotation/exports/", {"kind": "tests.sentiment", "format": "jsonl", "filters": {"status": "done"}}, format="json")
        assert bad.status_code == 400 and "Review state 'done'" in json.dumps(bad.json())
        good = client.post("/api/annotation/exports/", {"kind": "tests.sentiment", "format": "jsonl", "filters": {"label": "negative"}}, format="json")
        assert good.status_code == 202 and ExportJob.objects.get(pk=good.json()["id"]).filters == {"label": "negative"}
