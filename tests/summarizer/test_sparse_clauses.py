"""summarizer.clauses with the sparse strategy: trained by the worker through a run, served through serving.predict,
and the served blend never lets it yield a category the clause denies, however the model was taught."""

import time

import pytest

from summarizer.ml import CLAUSES, ClausesKind
from suite.ml import engine, serving
from suite.ml import services as ml_services
from suite.ml.models import ModelVersion
from tests.factories import UserFactory
from tests.summarizer.test_contract_review import NEGATIONS

FILLER = [
    "The Seller shall deliver the goods to the address stated in the purchase order.",
    "Notices under this Agreement shall be in writing and sent to the addresses above.",
    "Each party shall bear its own costs in connection with this Agreement.",
    "Headings are for convenience only and do not affect interpretation.",
    "This Agreement may be executed in counterparts, each of which is an original.",
]


def poisoned_examples(groups: int = 10) -> list[dict]:
    """Clauses labelled with the very categories the negation set denies (a model gone wrong); each its own group, so
    thresholds are judged clause by clause."""
    out = []
    for g in range(groups):
        for i, item in enumerate(NEGATIONS):
            target = sorted(set(item["must"]) | set(item["must_not"]))
            text = f"{g + 1}.{i + 1} {item['text']}"  # numbered as in a contract: a snapshot keeps each input once
            out.append({"id": f"c{g}-{i}", "group": f"c{g}-{i}", "input": text, "target": target})
        for i, text in enumerate(FILLER):
            out.append({"id": f"c{g}-f{i}", "group": f"c{g}-f{i}", "input": f"{g + 1}.{i + 60} {text}", "target": []})
    return out


@pytest.fixture
def sparse_version(celery_worker, request):
    engine.forget()  # versions are cached by primary key, which a flushed test database hands out again
    request.addfinalizer(engine.forget)
    staff = UserFactory(is_staff=True)
    snapshot = ml_services.snapshot_create(
        kind=CLAUSES, examples=poisoned_examples(), origin="taught the denied categories"
    )
    run = ml_services.training_run_start(kind=CLAUSES, strategy="sparse", snapshot=snapshot, user=staff)
    deadline = time.monotonic() + 240
    while run.is_active and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.epochs and all("C" in e["validation"] for e in run.epochs)  # the run page shows each C tried
    return ModelVersion.objects.get(training_run=run)


def test_the_default_strategy_of_clauses_is_sparse():
    assert ClausesKind.default_strategy == "sparse"


def test_a_sparse_version_serves_through_serving_and_its_blend_never_yields_a_denied_category(sparse_version):
    assert sparse_version.strategy == "sparse"
    denied = [item for item in NEGATIONS if item["must_not"]]
    texts = [item["text"] for item in denied]
    bare = engine.load(sparse_version).predict(texts)
    # The model alone learned the denied categories: the test would fail if the blend did not overrule it.
    assert sum(bool(set(p["labels"]) & set(item["must_not"])) for p, item in zip(bare, denied)) >= len(denied) // 4

    served = serving.predict(CLAUSES, texts, version=sparse_version)

    for prediction, item in zip(served, denied):
        assert not set(prediction["labels"]) & set(item["must_not"]), item["text"]
        assert all(prediction["scores"][label] < 0.5 for label in item["must_not"])
    # What it was rightly taught still comes through the blend.
    sure = [item for item in NEGATIONS if item["must"]]
    found = serving.predict(CLAUSES, [item["text"] for item in sure], version=sparse_version)
    assert sum(set(item["must"]) <= set(p["labels"]) for p, item in zip(found, sure)) >= len(sure) // 2
