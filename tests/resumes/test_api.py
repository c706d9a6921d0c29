"""The careers API: ownership (404 for another's resume), deletion of everything derived, corrections."""
import pytest

from annotation.models import AnnotationTask
from resumes.ml import MATCH, NER
from resumes.models import MatchFeedback, Profile, ProfileSkill, Recommendation, Resume, ResumeEntity
from resumes.services import resume_parse, resume_upload
from suite.ml.models import ModelOutput
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.resumes.support import RESUME, import_postings, uploaded


@pytest.fixture
def parsed(db, tmp_path):
    import_postings(tmp_path)
    owner = UserFactory(role="candidate")
    resume = resume_upload(user=owner, file=uploaded("jane.txt", RESUME.encode()), enqueue=False)
    return resume_parse(resume_id=resume.pk)


def test_a_candidate_cannot_see_or_touch_another_candidates_resume(parsed):
    other = api_client_for(UserFactory(role="candidate"))
    for url in (f"/api/resumes/{parsed.pk}/", f"/api/resumes/{parsed.pk}/profile/", f"/api/resumes/{parsed.pk}/recommendations/",
                f"/api/resumes/{parsed.pk}/insights/"):
        response = other.get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", url
    assert other.delete(f"/api/resumes/{parsed.pk}/").status_code == 404
    assert other.patch(f"/api/resumes/{parsed.pk}/profile/", {"name": "X"}, format="json").status_code == 404
    assert other.get("/api/resumes/").json() == []
    assert Resume.objects.filter(pk=parsed.pk).exists()


def test_recommendations_carry_reasons_skills_and_yearly_salary(parsed):
    rows = api_client_for(parsed.owner).get(f"/api/resumes/{parsed.pk}/recommendations/").json()
    assert len(rows) == 5 and rows[0]["why"]
    clerk = next(r for r in rows if r["title"] == "Warehouse Data Clerk")
    assert clerk["salary"]["min"] == 20 * 2080 and clerk["salary"]["period"] == "year"
    analyst = next(r for r in rows if r["title"] == "Data Analyst")
    assert set(analyst["matched_skills"]) >= {"python", "sql", "tableau"}
    assert ModelOutput.objects.filter(kind=MATCH, owner=parsed.owner).count() == 5


def test_editing_a_skill_corrects_the_profile_and_opens_a_ner_correction(parsed):
    client = api_client_for(parsed.owner)
    response = client.patch(f"/api/resumes/{parsed.pk}/profile/", {"skills": ["Python", "SQL", "Tableau", "communication", "dashboards"]}, format="json")
    assert response.status_code == 200, response.json()
    assert [s["normalized"] for s in response.json()["skills"]] == ["python", "sql", "tableau", "communication", "dashboards"]
    task = AnnotationTask.objects.get(kind=NER, group=f"resume-{parsed.pk}")
    texts = {(parsed.text[s[0]:s[1]], s[2]) for s in task.prediction}
    assert ("Excel", "Tech Tools") not in texts and ("dashboards", "Job Specific Skills") in texts
    bad = client.patch(f"/api/resumes/{parsed.pk}/profile/", {"skills": [{"name": "Go", "kind": "magic"}]}, format="json")
    assert bad.status_code == 400 and "skills" in bad.json()["error"]["fields"]


def test_deleting_a_resume_deletes_everything_derived_from_it(parsed):
    client = api_client_for(parsed.owner)
    rec = Recommendation.objects.filter(resume=parsed).first()
    assert client.post(f"/api/resumes/{parsed.pk}/recommendations/{rec.pk}/feedback/", {"relevant": False}, format="json").status_code == 201
    client.patch(f"/api/resumes/{parsed.pk}/profile/", {"name": "Jane Q. Doe"}, format="json")
    assert AnnotationTask.objects.filter(group=f"resume-{parsed.pk}").count() == 1  # the feedback (name not in text: no span change)
    path = parsed.file.path

    assert client.delete(f"/api/resumes/{parsed.pk}/").status_code == 204

    assert not Resume.objects.filter(pk=parsed.pk).exists()
    for model in (Profile, ProfileSkill, ResumeEntity, Recommendation, MatchFeedback):
        assert model.objects.count() == 0, model
    assert ModelOutput.objects.filter(kind__in=(NER, MATCH)).count() == 0
    assert AnnotationTask.objects.filter(group=f"resume-{parsed.pk}").count() == 0
    import os

    assert not os.path.exists(path)


def test_bad_upload_through_the_api_is_kept_with_its_reason(db):
    client = api_client_for(UserFactory(role="candidate"))
    response = client.post("/api/resumes/", {"file": uploaded("cv.exe", b"MZ")}, format="multipart")
    assert response.status_code == 201 and response.json()["status"] == "failed"
    assert "not supported" in response.json()["failure_reason"]
    assert client.post("/api/resumes/", {}, format="multipart").status_code == 400


def test_only_candidates_use_the_api_and_only_staff_review_matches(parsed):
    assert api_client_for(UserFactory(role="patient")).get("/api/resumes/").status_code == 403
    assert api_client_for(parsed.owner).get("/api/resumes/review/").status_code == 403
    staff = api_client_for(UserFactory(is_staff=True))
    queue = staff.get("/api/resumes/review/").json()
    assert len(queue) == 5
    judged = staff.post(f"/api/resumes/review/{queue[0]['id']}/", {"rating": 4}, format="json")
    assert judged.status_code == 201 and MatchFeedback.objects.get(by_staff=True).rating == 4
    assert staff.post(f"/api/resumes/review/{queue[0]['id']}/", {"rating": 9}, format="json").status_code == 400


def test_deleting_a_resume_deletes_its_flags_tasks_answers_and_outputs(parsed):
    from annotation.models import Annotation, Flag
    from annotation.services import flag_create

    output = ModelOutput.objects.get(kind=NER, owner=parsed.owner)
    flag = flag_create(output=output, user=parsed.owner, reason=Flag.Reason.values[0], comment="the name is wrong")
    task = flag.task
    annotator = UserFactory(role="annotator")
    Annotation.objects.create(task=task, annotator=annotator, result=[], parent_prediction=task.prediction)
    other = resume_parse(resume_id=resume_upload(user=UserFactory(role="candidate"), file=uploaded("b.txt", RESUME.encode()), enqueue=False).pk)
    kept_outputs = ModelOutput.objects.filter(owner=other.owner).count()

    api_client_for(parsed.owner).delete(f"/api/resumes/{parsed.pk}/")

    assert not Flag.objects.filter(pk=flag.pk).exists() and not AnnotationTask.objects.filter(pk=task.pk).exists()
    assert not Annotation.objects.filter(task_id=task.pk).exists()
    assert not ModelOutput.objects.filter(owner=parsed.owner).exists()
    assert ModelOutput.objects.filter(owner=other.owner).count() == kept_outputs  # another's resume is untouched
