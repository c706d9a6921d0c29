"""resumes.ner's CRF (the engine's crf strategy with the resume features of resumes.pipeline.crf): trained through
import -> snapshot -> training run -> gate, and served by every parse once the gate promotes it."""

import io

import pytest
from django.core.management import call_command

from annotation.services import items_import, snapshot_freeze
from resumes.ml import NER
from resumes.pipeline import crf
from resumes.pipeline.skills import Taxonomy
from suite.ml.engine.crf import tokenize

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


def test_resume_features_see_layout_sections_rules_and_the_title_gazetteer():
    text = "JANE ROE\nData Analyst\n\nWORK EXPERIENCE\n\nSenior Payroll Officer\nKestrel Labs\n"
    tokens = tokenize(text)
    titles = frozenset({crf.gazetteer_key("Payroll Officer"), crf.gazetteer_key("Data Analyst")})
    feats = crf.token_features(text, tokens, rule_spans=[[0, 8, "Name", 0.9]], taxonomy=Taxonomy(), titles=titles)
    words = [text[s:e] for s, e in tokens]
    assert {"rule=B-Name", "line.name=True", "section=contact", "1:rule=I-Name"} <= set(feats[0])
    assert "onet=B" in feats[words.index("Data")] and "onet=I" in feats[words.index("Analyst")]
    payroll = words.index("Payroll")
    assert "onet=O" in feats[payroll - 1] and "onet=B" in feats[payroll]  # the longest phrase, "Senior" outside it
    assert "section=experience" in feats[payroll] and "line.heading=experience" in feats[words.index("WORK")]


def test_the_name_is_marked_wherever_it_recurs_but_not_over_another_span():
    text = "Asha Okafor\nData Analyst\nReferences: ask Asha Okafor. Team: Asha Okafor's peers; Asha Okafora\n"
    first = [0, 11, "Name", 0.9]
    other = text.index("Asha Okafor's")
    spans = crf.name_everywhere(text, [first, [other, other + 11, "Companies worked at", 0.5]])
    names = [s for s in spans if s[2] == "Name"]
    assert [text[s[0] : s[1]] for s in names] == ["Asha Okafor", "Asha Okafor"]  # not inside "Okafora"
    assert names[1][0] == text.index("ask Asha") + 4 and names[1][3] == 0.9
    assert crf.name_everywhere("Sales\nSales", [[0, 5, "Name", 0.9]]) == [[0, 5, "Name", 0.9]]  # one word: left


@pytest.fixture
def production_back_to_the_rules_after():
    """The engine caches loaded versions by id, which outlives a test's rows: none may leak into or out of it."""
    from suite.ml import engine

    engine.forget()
    yield
    engine.forget()


@pytest.mark.django_db(transaction=True)
def test_a_crf_trained_through_the_products_path_serves_parsing(production_back_to_the_rules_after):
    from resumes.pipeline.entities import default_entities
    from resumes.selectors import skill_taxonomy
    from resumes.services.resumes import parse_text
    from suite.ml import serving
    from suite.ml.models import ModelVersion

    items_import(kind=NER, items=[written_resume(n) for n in range(24)], accepted=True)
    snapshot = snapshot_freeze(kind=NER)
    probe = (
        written_resume(23)["input"]
        .replace("Petrov", "Quill")
        .replace("Ivan", "Oskar")
        .replace("ivan.petrov", "oskar.quill")
    )
    assert serving.production(NER) is None  # nothing trained: the rules serve
    out = io.StringIO()
    call_command("train_entity_tagger", "--snapshot", str(snapshot.pk), "--points", "1", stdout=out)
    version = ModelVersion.objects.get(kind=NER)
    assert version.strategy == "crf" and serving.production(NER) == version, out.getvalue()
    _, spans, _ = parse_text(probe)  # production, as every parse asks for it
    rules = default_entities(probe, skill_taxonomy())
    assert [s[:3] for s in spans] != [s[:3] for s in rules]  # the CRF's spans, not the rules'
    labelled = {probe[s[0] : s[1]]: s[2] for s in spans}
    assert labelled.get("Oskar Quill") == "Name"
    assert labelled.get("oskar.quill@example.org") == "Email Address"
    assert labelled.get("Kestrel Labs") == "Companies worked at"
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
    assert p["model_versions"] == {NER: f"v{version.number}"}

    # Rolling production back to the untrained default serves the rules again, at once.
    from django.db import transaction

    from suite.ml.services import alias_move

    with transaction.atomic():
        alias_move(kind=NER, alias="production", version=None, reason="rollback", note="back to the rules")
    _, spans, _ = parse_text(probe)
    assert [s[:3] for s in spans] == [s[:3] for s in rules]


@pytest.mark.django_db
def test_train_entity_tagger_names_a_missing_snapshot():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No resumes.ner snapshot #999"):
        call_command("train_entity_tagger", "--snapshot", "999")


@pytest.mark.django_db
def test_train_entity_tagger_refuses_penalties_out_of_range():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="l1_penalty"):
        call_command("train_entity_tagger", "--c1", "-1")


def test_the_gazetteer_stops_early_but_finds_the_same_longest_phrases():
    text = "Senior Data Analyst and Data Analyst Lead\nData\nAnalyst, data-analyst Chief Payroll Officer\n"
    tokens = tokenize(text)
    lines = [text.count("\n", 0, s) for s, _ in tokens]
    titles = frozenset(map(crf.gazetteer_key, ["Data Analyst", "Data Analyst Lead", "Payroll Officer", "Chief"]))
    words = [text[s:e] for s, e in tokens]

    def brute(i):  # the longest phrase from token i, every length tried
        found = 0
        for n in range(1, crf.GAZETTEER_WORDS + 1):
            keys = [crf.gazetteer_key(w) for w in words[i : i + n]]
            if len(keys) < n or len(set(lines[i : i + n])) > 1 or not all(keys):
                break
            if tuple(k for key in keys for k in key) in titles:
                found = n
        return found

    expected, i = ["O"] * len(tokens), 0
    while i < len(tokens):
        n = brute(i)
        expected[i : i + max(n, 1)] = ["B"] + ["I"] * (n - 1) if n else ["O"]
        i += max(n, 1)
    tags = crf.gazetteer_tags(text, tokens, lines, titles)
    assert tags == expected
    assert [w for w, t in zip(words, tags) if t != "O"] == [
        "Data", "Analyst", "Data", "Analyst", "Lead", "data-analyst", "Chief", "Payroll", "Officer"
    ]
