"""The dashboard's agreement and throughput figures, on data small enough to work out by hand."""
import pytest

from annotation.models import Annotation, AnnotationTask, Flag
from annotation.services import project_for_kind
from suite.ml import services as ml_services
from tests.conftest import api_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
KIND = "tests.sentiment"


def test_agreement_throughput_and_flag_rates():
    ann, bob, reviewer = UserFactory(username="ann", role="annotator"), UserFactory(username="bob", role="annotator"), UserFactory(role="reviewer")
    project = project_for_kind(kind=KIND)
    # Ann and Bob agree on 3 of 4 items: positive/positive, negative/negative, positive/positive, positive/negative.
    pairs = [("positive", "positive"), ("negative", "negative"), ("positive", "positive"), ("positive", "negative")]
    for i, (a, b) in enumerate(pairs):
        task = AnnotationTask.objects.create(project=project, kind=KIND, feedback_type="classification", input=f"item {i}", source="import", status="accepted")
        Annotation.objects.create(task=task, annotator=ann, result=a, seconds_spent=10 + i, status="accepted" if a == b else "rejected")
        Annotation.objects.create(task=task, annotator=bob, result=b, seconds_spent=20)
        if a != b:  # the reviewer sided with Bob
            Annotation.objects.create(task=task, annotator=reviewer, result=b, status="accepted", adjudicated=True)
    outputs = [ml_services.model_output_record(kind=KIND, input=f"o{i}", output={"label": "positive"}) for i in range(4)]
    Flag.objects.create(output=outputs[0], task=AnnotationTask.objects.first(), user=ann, reason="wrong")

    body = api_client_for(reviewer).get(f"/api/annotation/dashboard/?kind={KIND}").json()

    # Cohen's kappa: p_o = 3/4; Ann says positive 3/4, Bob 2/4, so p_e = 3/4*2/4 + 1/4*2/4 = 1/2; kappa = 0.5.
    assert body["agreement"]["cohen_kappa"] == pytest.approx(0.5)
    assert body["agreement"]["items_with_overlap"] == 4
    rows = {r["annotator"]: r for r in body["throughput"]}
    assert rows["ann"]["submitted"] == 4 and rows["ann"]["acceptance_rate"] == pytest.approx(0.75)
    assert rows["ann"]["median_seconds"] == pytest.approx(11.5)
    assert rows["ann"]["agreement_with_adjudicated"] == pytest.approx(0.75)
    assert rows["bob"]["agreement_with_adjudicated"] == pytest.approx(1.0)
    assert body["flag_rates"] == [{"kind": KIND, "version": None, "outputs": 4, "flags": 1, "rate": 0.25}]
    assert sum(d["submitted"] for d in body["daily"]) == 8


def test_the_dashboard_is_for_reviewers():
    assert api_client_for(UserFactory(role="annotator")).get("/api/annotation/dashboard/").status_code == 403


def test_flag_rate_over_time_is_per_day_and_per_version(client):
    from datetime import timedelta

    from django.utils import timezone

    from suite.ml.models import ModelOutput

    reviewer = UserFactory(role="reviewer")
    outputs = [ml_services.model_output_record(kind=KIND, input=f"o{i}", output={"label": "positive"}) for i in range(6)]
    ModelOutput.objects.filter(pk__in=[o.pk for o in outputs[:2]]).update(created_at=timezone.now() - timedelta(days=2))
    task = AnnotationTask.objects.create(project=project_for_kind(kind=KIND), kind=KIND, feedback_type="classification", input="x")
    for flagged in (outputs[0], outputs[2], outputs[3]):  # 1 of 2 two days ago, 2 of 4 today
        Flag.objects.create(output=flagged, task=task, user=reviewer, reason="wrong")

    days = api_client_for(reviewer).get(f"/api/annotation/dashboard/?kind={KIND}").json()["flag_rates_daily"]

    assert [(d["outputs"], d["flagged"], d["rate"]) for d in days] == [(2, 1, 0.5), (4, 2, 0.5)]
    assert days[0]["date"] < days[1]["date"] and all(d["version"] is None for d in days)
    client.force_login(reviewer)
    html = client.get("/annotation/dashboard/").content.decode()
    assert 'id="flag-rate-over-time"' in html and "tests.sentiment default" in html
