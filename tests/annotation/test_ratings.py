"""Ratings (1-5 on a rubric) become the 0..1 relevance a ranking kind learns, and nothing else is a rating."""
import pytest

from annotation import selectors, services
from annotation.models import AnnotationTask
from suite.ml import kinds as K
from tests.factories import UserFactory

KIND = "tests.relevance"


def rating_item(rating):
    return {"input": {"query": "what lowers fever", "candidate": "paracetamol lowers fever"}, "result": rating}


@pytest.mark.django_db
def test_accepted_ratings_train_a_ranker_on_relevance_between_0_and_1():
    services.items_import(kind=KIND, items=[rating_item(r) for r in (1, 3, 5)], accepted=True, user=UserFactory(is_staff=True))

    targets = sorted(example["target"] for example in selectors.accepted_examples(KIND))

    assert targets == [0.0, 0.5, 1.0]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [0, 6, 2.5, "4", True])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_is_imported(bad):
    with pytest.raises(Exception) as caught:
        services.items_import(kind=KIND, items=[rating_item(4), rating_item(bad)], accepted=True)
    assert "rating" in str(caught.value)
    assert AnnotationTask.objects.count() == 0


def test_a_ranking_score_pre_fills_a_rating_task_with_the_nearest_rating():
    kind = K.get_kind(KIND)
    assert [kind.result_from_prediction({"score": s}) for s in (0.0, 0.49, 0.5, 1.0, 1.7)] == [1, 3, 3, 5, 5]
