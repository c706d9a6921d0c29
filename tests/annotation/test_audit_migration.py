"""The data migration that gives every audited unmasked view the one action name annotation.privacy writes."""
import importlib

import pytest
from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder

from annotation import privacy
from annotation.models import AuditEntry
from tests.factories import UserFactory

MIGRATION = "0006_audit_one_unmasked_view_action"


@pytest.mark.django_db
def test_old_unmasked_view_names_in_the_database_are_renamed_to_the_one_action_and_other_actions_are_kept():
    staff = UserFactory(is_staff=True)
    for action in (*privacy.LEGACY_UNMASKED_VIEWS, privacy.UNMASKED_VIEW, "export.download"):
        AuditEntry.objects.create(user=staff, action=action, detail=f"seen as {action}")
    migration = importlib.import_module(f"annotation.migrations.{MIGRATION}")

    migration.rename_legacy_unmasked_views(apps, None)

    actions = dict(AuditEntry.objects.values_list("detail", "action"))
    assert actions == {
        "seen as view_unmasked": privacy.UNMASKED_VIEW,
        "seen as chatbot.conversation.unmask": privacy.UNMASKED_VIEW,
        f"seen as {privacy.UNMASKED_VIEW}": privacy.UNMASKED_VIEW,
        "seen as export.download": "export.download",
    }
    # The migration's own copy of the names is the one privacy.py keeps.
    assert migration.UNMASKED_VIEW == privacy.UNMASKED_VIEW
    assert set(migration.LEGACY_UNMASKED_VIEWS) == set(privacy.LEGACY_UNMASKED_VIEWS)
    assert MigrationRecorder.Migration.objects.filter(app="annotation", name=MIGRATION).exists()
