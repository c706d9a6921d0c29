"""The knowledge base: imports (MedQuAD, JSONL, Markdown), the persisted index and its incremental rebuild."""
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from chatbot.models import Article
from chatbot.pipeline import knowledge as K
from chatbot.services.knowledge import articles_import, jsonl_records, knowledge_forget, knowledge_index, knowledge_retriever, markdown_records

pytestmark = pytest.mark.django_db
MEDQUAD = Path(settings.BASE_DIR).parent / "shared" / "data" / "medical" / "medquad" / "medquad_all.jsonl.gz"


def test_medquad_import_keeps_source_url_focus_qtype_and_qid():
    if not MEDQUAD.exists():
        pytest.skip(f"{MEDQUAD} is missing: the public data sits in ../shared/data beside the clone, absent here")
    out = StringIO()
    call_command("import_kb", "medquad", str(MEDQUAD), "--limit", "30", stdout=out)
    assert "30 new" in out.getvalue()
    article = Article.objects.filter(source_id__contains="-").exclude(source_id__startswith="starter").first()
    assert article.source and article.url.startswith("http") and article.topic == article.title and article.question_type


def test_a_retriever_finds_an_article_by_its_words_with_both_searches_fused():
    docs = knowledge_retriever(k=3).invoke("side effects of amoxicillin")
    found = {d.metadata["source_id"]: d.metadata for d in docs}
    assert found["starter-amoxicillin-side-effects"]["bm25_rank"] == 0  # lexical best; the tiny test encoder's vote is noise
    assert all(m["dense_rank"] is not None for m in found.values())


def test_the_index_is_persisted_and_only_changed_articles_are_embedded_again(monkeypatch):
    knowledge_index()
    assert K.index_path().exists()
    embedded = []
    real_build = K.build

    def counting_build(articles, previous, **kw):
        index, n = real_build(articles, previous, **kw)
        embedded.append(n)
        return index, n

    monkeypatch.setattr("chatbot.services.knowledge.build", counting_build)
    knowledge_forget()
    knowledge_index()  # a new process: loads the file saved for this generation of articles, builds nothing
    article = Article.objects.get(source_id="starter-sleep")
    articles_import([("test", {"title": article.title, "body": article.body + " Naps longer than 30 minutes can spoil night sleep.",
                               "source": article.source, "url": article.url, "source_id": article.source_id, "topic": article.topic})])
    index = knowledge_index()
    assert embedded == [1]
    assert any("Naps longer" in c.text for c in index.chunks)


def test_jsonl_and_markdown_importers(tmp_path):
    (tmp_path / "kb.jsonl").write_text(json.dumps({"id": "x1", "title": "Hay fever", "text": "Hay fever is an allergy to pollen.", "source": "clinic"}) + "\n")
    (tmp_path / "gout.md").write_text("# Gout\nSource: clinic leaflet\nURL: https://clinic.example/gout\n\nGout is a painful arthritis caused by uric acid crystals.\n")
    counts = articles_import(jsonl_records(tmp_path / "kb.jsonl"))
    counts_md = articles_import(markdown_records(tmp_path))
    assert counts["created"] == 1 and counts_md["created"] == 1
    gout = Article.objects.get(source_id="md-gout")
    assert gout.title == "Gout" and gout.url == "https://clinic.example/gout" and gout.body.startswith("Gout is")


def test_a_bad_import_file_is_a_clear_error(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"title": "no body"}\n')
    with pytest.raises(CommandError, match="line 1: an article needs a title, a body and a source id"):
        call_command("import_kb", "jsonl", str(tmp_path / "bad.jsonl"), stdout=StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_kb", "jsonl", str(tmp_path / "missing.jsonl"), stdout=StringIO())


def test_a_running_process_answers_from_an_index_another_process_imported_without_embedding_it(transactional_db, tmp_path, monkeypatch):
    """Two processes: this one serves; `manage.py import_kb` in a child process imports and embeds. This one sees the
    new articles on its next question (a database generation check) by loading the importer's index file."""
    import subprocess
    import sys

    from tests.conftest import child_env

    articles_import(jsonl_records(Path(settings.BASE_DIR) / "chatbot" / "data" / "starter_kb.jsonl"))
    before = knowledge_index()
    assert not [c for c in before.chunks if c.source_id == "kb-chilblains"]
    source = tmp_path / "new.jsonl"
    body = "Chilblains are small itchy swellings on the toes after cold. Keep the feet warm and do not scratch them."
    source.write_text(json.dumps({"id": "kb-chilblains", "title": "Chilblains", "topic": "chilblains", "body": body, "source": "test"}) + "\n")
    done = subprocess.run([sys.executable, "manage.py", "import_kb", "jsonl", str(source)], cwd=settings.BASE_DIR,
                          env=child_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    monkeypatch.setattr("chatbot.services.knowledge.build", lambda *a, **k: pytest.fail("the serving process embedded"))
    docs = knowledge_retriever(k=3, foci={"chilblain"}).invoke("how do I treat chilblains")
    assert docs and docs[0].metadata["source_id"] == "kb-chilblains"


def test_a_bad_record_late_in_a_file_leaves_nothing_half_imported(tmp_path):
    from chatbot.services.knowledge import IMPORT_BATCH

    good = [{"title": f"Article {i}", "body": f"Body {i}.", "source_id": f"bulk-{i}"} for i in range(IMPORT_BATCH + 5)]
    lines = [json.dumps(r) for r in good] + ['{"title": "no body", "source_id": "broken"}']
    (tmp_path / "kb.jsonl").write_text("\n".join(lines) + "\n")
    before = Article.objects.count()
    with pytest.raises(CommandError, match=f"line {len(lines)}: an article needs"):
        call_command("import_kb", "jsonl", str(tmp_path / "kb.jsonl"), stdout=StringIO())
    assert Article.objects.count() == before and not Article.objects.filter(source_id__startswith="bulk-").exists()


def test_a_changed_article_is_updated_in_bulk_and_stamped_as_changed(tmp_path):
    path = tmp_path / "kb.jsonl"
    path.write_text(json.dumps({"title": "Gout", "body": "Gout is a kind of arthritis.", "source_id": "gout-1"}) + "\n")
    articles_import(jsonl_records(path))
    first = Article.objects.get(source_id="gout-1")
    changed = {"title": "Gout", "body": "Gout is an inflammatory arthritis.", "source_id": "gout-1"}
    path.write_text(json.dumps(changed) + "\n")
    assert articles_import(jsonl_records(path)) == {"created": 0, "updated": 1, "unchanged": 0}
    again = Article.objects.get(source_id="gout-1")
    assert again.body == "Gout is an inflammatory arthritis." and again.updated_at > first.updated_at
    assert again.content_hash != first.content_hash
