"""resumes.ner's CRF: well-formed spans, trained through import -> snapshot -> train_entity_tagger, served only when
it beats what serves, and picked up by a running process without a restart."""

import io

import pytest
from django.core.management import call_command

from annotation.services import items_import, snapshot_freeze
from resumes.ml import NER
from resumes.pipeline import crf
from resumes.pipeline.skills import Taxonomy

FIRST = [
    "Asha",
    "Tomas",
    "Lena",
    "Kwame",
    "Mira",
    "Jonas",
    "Priya",
    "Diego",
    "Ines",
    "Omar",
    "Hana",
    "Felix",
    "Zara",
    "Pavel",
    "Noor",
    "Emil",
    "Sana",
    "Rafael",
    "Yuki",
    "Bruno",
    "Ada",
    "Leo",
    "Maya",
    "Ivan",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Mensah",
    "Kapoor",
    "Berger",
    "Nair",
    "Alvarez",
    "Costa",
    "Haddad",
    "Sato",
    "Novak",
    "Rahman",
    "Kowalski",
    "Farah",
    "Larsen",
    "Iqbal",
    "Duarte",
    "Tanaka",
    "Rossi",
    "Varga",
    "Weber",
    "Silva",
    "Petrov",
]
TITLES = ["Data Analyst", "Backend Developer", "Nurse Educator", "Site Engineer", "Payroll Officer", "UX Designer"]
COMPANIES = ["Brightline Foods", "Kestrel Labs", "Northwind Clinic", "Harbor Metals", "Orchid Bank", "Tallgrass Media"]


def written_resume(n: int) -> dict:
    """A small resume in dotin's conventions, with its spans: name, e-mail, the title line, the company line."""
    name, title, company = f"{FIRST[n]} {LAST[n]}", TITLES[n % 6], COMPANIES[(n * 5) % 6]
    email = f"{FIRST[n].lower()}.{LAST[n].lower()}@example.org"
    text = (
        f"{name}\n{title}\n\n{email}\n\nWORK EXPERIENCE\n\n{title}\n\n{company}\n\n"
        f"- Worked on reports and planning for the team\n\nSKILLS\n\nPython, Excel\n"
    )
    spans = []
    for value, label in (
        (name, "Name"),
        (title, "Designation"),
        (email, "Email Address"),
        (company, "Companies worked at"),
    ):
        at = text.index(value)
        spans.append([at, at + len(value), label])
    return {"input": text, "group": f"written-{n}", "result": spans}


def test_decoding_never_leaves_an_inside_tag_without_its_span():
    tokens = [(0, 4), (5, 9), (10, 15), (16, 20), (21, 25)]
    tags = ["I-Name", "I-Name", "O", "B-Designation", "I-Location"]
    spans = crf.spans_from_tags(tokens, tags)
    assert [s[:3] for s in spans] == [[0, 9, "Name"], [16, 20, "Designation"], [21, 25, "Location"]]


def test_bio_tags_mark_every_token_a_span_overlaps():
    text = "Jane Roe, Data Analyst"
    tokens = crf.tokenize(text)
    assert crf.bio_tags(tokens, [[0, 8, "Name"], [10, 22, "Designation"]]) == [
        "B-Name",
        "I-Name",
        "O",
        "B-Designation",
        "I-Designation",
    ]


def test_features_see_the_case_and_layout_the_uncased_encoder_cannot():
    text = "JANE ROE\nData Analyst\n"
    tokens, feats = crf.sequence(text, Taxonomy())
    assert "upper=True" in feats[0] and "line.first" in feats[0] and "line.n=0" in feats[0]
    assert "title=True" in feats[2] and "line.n=1" in feats[2]


@pytest.fixture
def served_tagger_removed_after():
    """The served CRF lives under MODEL_ROOT, which outlives a test: later tests must parse with the rules again."""
    import shutil

    from resumes.selectors import entity_tagger_file

    yield
    shutil.rmtree(entity_tagger_file().parent, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
def test_a_tagger_trained_through_the_products_path_serves_parsing_without_a_restart(served_tagger_removed_after):
    from resumes.selectors import entity_tagger
    from resumes.services.resumes import parse_text

    items_import(kind=NER, items=[written_resume(n) for n in range(24)], accepted=True)
    snapshot = snapshot_freeze(kind=NER)
    probe = (
        written_resume(23)["input"]
        .replace("Petrov", "Quill")
        .replace("Ivan", "Oskar")
        .replace("ivan.petrov", "oskar.quill")
    )
    assert entity_tagger() is None  # nothing trained: the rules serve
    out = io.StringIO()
    call_command("train_entity_tagger", "--snapshot", str(snapshot.pk), "--max-iterations", "60", stdout=out)
    assert "served from now on" in out.getvalue(), out.getvalue()
    tagger = entity_tagger()  # the same process sees the new model: no cache to clear, no restart
    assert tagger is not None
    _, spans, _ = parse_text(probe)
    from resumes.pipeline.entities import default_entities
    from resumes.selectors import skill_taxonomy
    from resumes.services.entity_model import tagger_predictor

    tagged = tagger_predictor(tagger, skill_taxonomy())([probe])[0]["spans"]
    assert [s[:3] for s in spans] == [s[:3] for s in tagged]  # parsing serves the CRF's spans ...
    assert [s[:3] for s in tagged] != [s[:3] for s in default_entities(probe, skill_taxonomy())]  # ... not the rules'
    labelled = {probe[s[0] : s[1]]: s[2] for s in spans}
    assert labelled.get("Oskar Quill") == "Name"
    assert labelled.get("oskar.quill@example.org") == "Email Address"
    assert all(s[0] < s[1] for s in spans)

    # With the CRF serving, the two-column PDF (capitals name under a heading) still parses to the right profile.
    from resumes.services import resume_parse, resume_upload
    from tests.factories import UserFactory
    from tests.resumes.support import two_column_pdf, uploaded
    from tests.resumes.test_profile import MAIN, SIDEBAR

    pdf = uploaded("voss.pdf", two_column_pdf(SIDEBAR, MAIN))
    p = resume_parse(
        resume_id=resume_upload(user=UserFactory(role="candidate"), file=pdf, enqueue=False).pk
    ).parse_result
    assert (p["name"], p["email"], p["phone"], p["current_title"]) == (
        "Natalie Voss",
        "natalie.voss@example.net",
        "+1 720-555-0148",
        "Senior Project Manager",
    )
    assert [j["company"] for j in p["experience"]] == ["Front Range Builders", "Summit Energy", "Peak Construction"]
    assert {"project management", "risk management", "scrum", "leadership"} <= {s["normalized"] for s in p["skills"]}

    # Staff moving production after the CRF went into service (here: back to the untrained default) wins over it.
    from suite.ml.services import alias_move

    from django.db import transaction

    with transaction.atomic():
        alias_move(kind=NER, alias="production", version=None, reason="rollback", note="back to the rules")
    _, spans, _ = parse_text(probe)
    assert [s[:3] for s in spans] == [s[:3] for s in default_entities(probe, skill_taxonomy())]


@pytest.mark.django_db
def test_train_entity_tagger_names_a_missing_snapshot():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No resumes.ner snapshot #999"):
        call_command("train_entity_tagger", "--snapshot", "999")


@pytest.mark.django_db
def test_train_entity_tagger_refuses_a_grid_that_is_not_number_pairs():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--grid must be JSON pairs"):
        call_command("train_entity_tagger", "--grid", "[[0.1, 'x']]")
