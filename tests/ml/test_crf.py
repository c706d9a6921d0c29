"""The crf strategy: a CRF on token features for token-classification kinds, trained, gated, saved and loaded like
any version; a kind adds its own features through `token_features`."""

import json
import random
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from suite.ml import engine, serving, services
from suite.ml import kinds as K
from suite.ml.engine import crf as C
from suite.ml.models import ModelVersion

SKILLS = ["Python", "Excel", "SQL", "Tableau", "Kotlin", "Figma"]
FILLER = "i used daily at work for reports and planning with the team on projects".split()


def skill_examples(n: int, seed: int) -> list[dict]:
    """Short sentences naming one or two tools; each tool is a SKILL span."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = rng.sample(FILLER, 6)
        for skill in rng.sample(SKILLS, rng.choice((1, 2))):
            words.insert(rng.randrange(len(words) + 1), skill)
        text = " ".join(words)
        spans, at = [], 0
        for w in words:
            at = text.index(w, at)
            if w in SKILLS:
                spans.append([at, at + len(w), "SKILL"])
            at += len(w)
        out.append({"id": f"s{seed}-{i}", "group": f"g{seed}-{i}", "input": text, "target": spans})
    return out


@pytest.mark.django_db
def test_a_crf_run_trains_through_the_services_and_its_version_loads_and_predicts():
    snapshot = services.snapshot_create(kind="tests.skills", examples=skill_examples(80, 0), origin="written")
    run = services.training_run_start(
        kind="tests.skills", strategy="crf", hyperparameters={"l1_penalty": 0.05, "l2_penalty": 0.01, "epochs": 2},
        snapshot=snapshot, enqueue=False,
    )
    run = services.training_run_execute(run_id=run.pk)

    assert run.status == "succeeded", run.error
    assert len(run.epochs) == 2 and {"c1", "c2", "f1"} <= set(run.epochs[0]["validation"])  # one grid point each
    assert (run.epochs[0]["validation"]["c1"], run.epochs[1]["validation"]["c1"]) == (0.05, 0.2)
    version = ModelVersion.objects.get(training_run=run)
    meta = json.loads((Path(version.artifact_path) / "fineloop.json").read_text())
    assert (meta["task_type"], meta["strategy"], meta["kind"]) == ("token_classification", "crf", "tests.skills")
    assert run.gate["promoted"]  # the default finds nothing; the CRF finds the tools
    engine.forget()
    text = "we wrote the planning reports in Kotlin and SQL"
    spans = serving.predict("tests.skills", [text])[0]["spans"]  # loaded from its folder, as production serves it
    assert [(text[s:e], label) for s, e, label, _ in spans] == [("Kotlin", "SKILL"), ("SQL", "SKILL")]
    assert all(0 < score <= 1 for *_, score in spans)
    assert serving.evaluate("tests.skills", skill_examples(20, 5))["f1"] > 0.9
    engine.forget()  # loaded versions are cached by id, and ids come back in the next test's database


@pytest.mark.django_db
def test_a_run_refuses_the_crf_strategy_for_a_kind_that_does_not_tag_tokens():
    with pytest.raises(ValidationError) as refused:
        services.training_run_start(kind="tests.sentiment", strategy="crf", enqueue=False)
    assert "crf" in str(refused.value) and "classification" in str(refused.value)


class Tagged(K.ModelKind):  # not registered: the engine takes the kind object it is given
    name = "tests.tagged"
    task_type = K.TOKEN_CLASSIFICATION
    labels = ("SKILL",)

    def token_features(self, text, tokens):
        return [[f"known={text[s:e] in SKILLS}"] for s, e in tokens]


def test_a_kind_adds_its_own_features_to_the_engines():
    hp = engine.hyperparameters_parse({}, strategy="crf")
    model = engine.build(Tagged(), base="", strategy="crf", hp=hp)
    tokens, feats = model.sequence("JANE uses Excel.\nNext line")

    assert [tuple(t) for t in tokens] == [(0, 4), (5, 9), (10, 16), (17, 21), (22, 26)]  # "Excel." keeps its dot
    assert {"upper=True", "line.first", "pos=0", "-1:none", "known=False"} <= set(feats[0])
    assert "known=False" in feats[2]  # "Excel." is not "Excel": the kind sees the token as written
    assert {"line.first", "line.n=1", "-1:otherline"} <= set(feats[3])


def test_decoding_never_leaves_an_inside_tag_without_its_span():
    tokens = [(0, 4), (5, 9), (10, 15), (16, 20), (21, 25)]
    tags = ["I-Name", "I-Name", "O", "B-Title", "I-Place"]
    spans = C.spans_from_tags(tokens, tags, [0.9, 0.6, 1.0, 0.8, 0.7])
    assert spans == [[0, 9, "Name", 0.6], [16, 20, "Title", 0.8], [21, 25, "Place", 0.7]]


def test_an_untrained_crf_refuses_to_predict_or_save(tmp_path):
    model = engine.build(Tagged(), base="", strategy="crf", hp=engine.hyperparameters_parse({}, strategy="crf"))
    with pytest.raises(ValueError, match="not been trained"):
        model.predict(["Excel"])
    with pytest.raises(ValueError, match="not been trained"):
        model.save(tmp_path / "v1")


def reference_token_features(text, tokens):
    """The engine's token features written plainly, one token at a time: the fast path must give the same lists."""
    words = [text[s:e] for s, e in tokens]
    lines = C.line_of_tokens(text, tokens)
    out = []
    for i, w in enumerate(words):
        first = min(j for j in range(i + 1) if lines[j] == lines[i])
        f = [*C.word_features(w), f"pos={min(i - first, 6)}", f"line.n={C.bucket(lines[i])}"]
        if i == first:
            f.append("line.first")
        if i + 1 == len(words) or lines[i + 1] != lines[i]:
            f.append("line.last")
        for d in (-2, -1, 1, 2):
            j = i + d
            if not 0 <= j < len(words):
                f.append(f"{d}:none")
                continue
            f += C.neighbour_features(words[j])[2 - d]
            if abs(d) == 1 and lines[j] != lines[i]:
                f.append(f"{d}:otherline")
        out.append(f)
    return out


def test_the_fast_token_features_are_the_plain_ones_in_the_same_order():
    texts = [e["input"] for e in skill_examples(5, 3)] + [
        "JANE ROE\nData Analyst, jane@x.org\n\n  A\nb c d e f g h\n", "one", "a b\nc", "", "x\n\n\ny z w"
    ]
    for text in texts:
        tokens = C.tokenize(text)
        assert C.token_features(text, tokens) == reference_token_features(text, tokens), text
