"""Importing a knowledge base fast: every MedQuAD answer kept, passages embedded once (by their text), the
embedding spread over worker processes with a progress bar, in bfloat16 that stays next to float32."""

import gzip
import json
import os
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from chatbot.models import Article
from chatbot.pipeline import knowledge as K
from chatbot.services.knowledge import articles_import, knowledge_index, medquad_records
from suite.ml.encoder import get_encoder

pytestmark = pytest.mark.django_db


def _pair(subset, qid, focus, answer):
    return {
        "subset": subset,
        "qid": qid,
        "focus": focus,
        "qtype": "information",
        "question": f"What is (are) {focus} ?",
        "answer": answer,
        "source": "test",
        "url": f"https://example.org/{qid}",
    }


def test_medquad_answers_that_share_a_qid_are_all_kept_and_a_reimport_changes_nothing(tmp_path):
    path = tmp_path / "medquad.jsonl.gz"
    rows = [
        _pair("1_CancerGov_QA", "0000001-1", "Polycythemia Vera", "Polycythemia vera makes too many red cells."),
        _pair("1_CancerGov_QA", "0000001-1", "Primary Myelofibrosis", "Primary myelofibrosis scars the marrow."),
        _pair("2_GARD_QA", "0000001-1", "Gout", "Gout is arthritis from uric acid crystals."),
        {**_pair("3_GHR_QA", "0000002-1", "Unanswered", ""), "answer": ""},
    ]
    with gzip.open(path, "wt") as out:
        out.writelines(json.dumps(r) + "\n" for r in rows)
    assert articles_import(medquad_records(path)) == {"created": 3, "updated": 0, "unchanged": 0}
    kept = dict(Article.objects.filter(source="test").values_list("title", "source_id"))
    assert kept["Polycythemia Vera"] == "0000001-1"  # the first keeps its qid, as citations and benchmarks know it
    assert len(set(kept.values())) == 3 and all(sid.startswith("0000001-1") for sid in kept.values())
    assert articles_import(medquad_records(path)) == {"created": 0, "updated": 0, "unchanged": 3}


def _articles(bodies: dict, first_id: int = 1) -> list[dict]:
    return [
        {
            "id": first_id + n,
            "hash": K.content_hash(body),
            "title": title,
            "body": body,
            "source": "test",
            "url": "",
            "source_id": title,
            "topic": title,
            "question_type": "",
            "question": "",
        }
        for n, (title, body) in enumerate(bodies.items())
    ]


def test_passages_the_index_already_holds_are_not_embedded_again_even_under_new_article_ids(monkeypatch):
    long_body = " ".join(f"Sentence {i} about keeping the feet warm in winter." for i in range(40))  # several passages
    bodies = {"Chilblains": long_body, "Gout": "Gout is arthritis from uric acid crystals."}
    first, embedded = K.build(_articles(bodies), None)
    assert embedded == len(first.chunks) > 2
    # A new database: the same articles under other ids. Nothing is embedded; the vectors are the same ones.
    again, embedded = K.build(_articles(bodies, first_id=100), first)
    assert embedded == 0 and np.array_equal(again.embeddings, first.embeddings)
    # One article grows a passage at its end: only the passages whose text changed are embedded.
    bodies["Chilblains"] = long_body + " A new closing paragraph on seeing a doctor when the skin breaks."
    changed, embedded = K.build(_articles(bodies, first_id=100), again)
    assert 1 <= embedded < len([c for c in changed.chunks if c.title == "Chilblains"])


def test_the_import_command_embeds_in_worker_processes_with_a_progress_bar_and_the_same_vectors(monkeypatch, tmp_path):
    monkeypatch.setattr(K, "PARALLEL_FROM", 4)
    monkeypatch.setattr(K, "EMBED_SLICE", 3)
    source = tmp_path / "kb.jsonl"
    topics = ["asthma", "eczema", "gout", "migraine", "shingles", "psoriasis", "anaemia", "sinusitis"]
    source.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"kb-{t}",
                    "title": t.title(),
                    "topic": t,
                    "source": "test",
                    "body": f"{t.title()} is a common condition; a doctor can advise on {t} treatment.",
                }
            )
            + "\n"
            for t in topics
        )
    )
    calls = []
    real = K.embed_passages
    monkeypatch.setattr(K, "embed_passages", lambda texts, **kw: calls.append(kw.get("workers")) or real(texts, **kw))
    err = StringIO()
    call_command("import_kb", "jsonl", str(source), stdout=StringIO(), stderr=err)
    assert calls == [len(os.sched_getaffinity(0))]  # the command spreads the work, one process per core
    assert "embedding passages" in err.getvalue()
    index = knowledge_index()
    rows = [i for i, c in enumerate(index.chunks) if c.source_id.startswith("kb-")]
    assert len(rows) == len(topics)
    # The same passages embedded here, in one process, give the same vectors (within bfloat16's rounding).
    alone = get_encoder().encode([index.chunks[i].searchable for i in rows], max_length=K.EMBED_MAX_TOKENS, cache=False)
    assert float((index.embeddings[rows] * alone).sum(1).min()) > 0.99


def test_workers_share_the_passages_out_and_return_them_in_order(monkeypatch):
    monkeypatch.setattr(K, "PARALLEL_FROM", 4)
    monkeypatch.setattr(K, "EMBED_SLICE", 2)
    texts = [
        f"{word} " * (n + 1)
        for n, word in enumerate(["fever", "cough", "rash", "nausea", "dizziness", "cramp", "itch"])
    ]
    steps = []
    vectors = K.embed_passages(texts, workers=2, progress=lambda done, total: steps.append((done, total)))
    alone = get_encoder().encode(texts, max_length=K.EMBED_MAX_TOKENS, cache=False)
    assert float((vectors * alone).sum(1).min()) > 0.99
    assert steps[0] == (0, len(texts)) and sum(done for done, _ in steps) == len(texts)


def test_bfloat16_vectors_stay_next_to_float32():
    texts = ["Chest pain that spreads to the arm needs an ambulance.", "Ibuprofen can upset the stomach."]
    full = get_encoder().encode(texts, cache=False)
    half = get_encoder().encode(texts, bf16=True, cache=False)
    assert full.shape == half.shape and float((full * half).sum(1).min()) > 0.99
    assert not np.array_equal(full, half)  # it did compute in bfloat16
