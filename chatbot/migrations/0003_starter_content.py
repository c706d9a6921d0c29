"""A starter knowledge base and demo providers, so a fresh `make run` can answer and book."""
import hashlib
import json
from pathlib import Path

from django.db import migrations

STARTER = Path(__file__).resolve().parent.parent / "data" / "starter_kb.jsonl"
PROVIDERS = [
    ("Dr Amara Okafor", "General practice", [1, 2, 3, 4, 5], 9, 17),
    ("Dr Lukas Brandt", "General practice", [1, 3, 5], 8, 14),
    ("Dr Sofia Marin", "Cardiology", [2, 4], 9, 16),
    ("Dr Kenji Watanabe", "Dermatology", [1, 2, 3], 10, 17),
    ("Dr Priya Raman", "Pediatrics", [1, 2, 4, 5], 9, 15),
]


def forwards(apps, schema_editor):
    Article = apps.get_model("chatbot", "Article")
    Provider = apps.get_model("chatbot", "Provider")
    for line in STARTER.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        digest = hashlib.sha256("\x1f".join([row["title"], row["body"], row["source"], row["url"], row["topic"]]).encode()).hexdigest()
        Article.objects.get_or_create(source_id=row["source_id"], defaults={**{k: row[k] for k in (
            "title", "body", "source", "url", "topic", "question_type")}, "content_hash": digest})
    for name, specialty, weekdays, start, end in PROVIDERS:
        Provider.objects.get_or_create(name=name, defaults={"specialty": specialty, "weekdays": weekdays, "start_hour": start, "end_hour": end})


class Migration(migrations.Migration):
    dependencies = [("chatbot", "0002_appointment_article_message_patientprofile_provider_and_more")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
