"""Audit entries written under the old names of an unmasked view ('view_unmasked' on annotation tasks,
'chatbot.conversation.unmask' in the staff inbox) take the one name annotation.privacy writes today, so one query
finds every look at someone's original data."""
from django.db import migrations

# Written out rather than imported: a migration must keep meaning what it meant when it ran.
UNMASKED_VIEW = "personal.view_unmasked"
LEGACY_UNMASKED_VIEWS = ("view_unmasked", "chatbot.conversation.unmask")


def rename_legacy_unmasked_views(apps, schema_editor):
    AuditEntry = apps.get_model("annotation", "AuditEntry")
    AuditEntry.objects.filter(action__in=LEGACY_UNMASKED_VIEWS).update(action=UNMASKED_VIEW)


class Migration(migrations.Migration):
    dependencies = [("annotation", "0005_export_filters")]

    # Going back keeps the one name: which old name an entry had is not worth a column to remember.
    operations = [migrations.RunPython(rename_legacy_unmasked_views, migrations.RunPython.noop)]
