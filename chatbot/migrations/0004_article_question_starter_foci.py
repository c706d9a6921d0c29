"""Articles keep the question they answer; the starter articles get their real focus (drug or condition)."""
import hashlib
import json
from pathlib import Path

from django.db import migrations, models

STARTER = Path(__file__).resolve().parent.parent / "data" / "starter_kb.jsonl"


def refresh_starter(apps, schema_editor):
    Article = apps.get_model("chatbot", "Article")
    for line in STARTER.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        parts = [row["title"], row["body"], row["source"], row["url"], row["topic"], row.get("question_type", ""), row.get("question", "")]
        fields = {k: row.get(k, "") for k in ("title", "body", "source", "url", "topic", "question_type", "question")}
        Article.objects.update_or_create(source_id=row["source_id"], defaults={
            **fields, "content_hash": hashlib.sha256("\x1f".join(parts).encode()).hexdigest()})


class Migration(migrations.Migration):
    dependencies = [("chatbot", "0003_starter_content")]

    operations = [
        migrations.AddField(model_name="article", name="question", field=models.TextField(blank=True)),
        migrations.RunPython(refresh_starter, migrations.RunPython.noop),
    ]
