"""Safe promotion: a version that scored lower needs confirmation and a reason; rollback always reaches the default."""
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from suite.ml import selectors, services
from suite.ml.models import AliasMove, ModelAlias, ModelVersion
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.ml.support import KIND, make_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def serving(snapshot, *numbers):
    """Versions with rising recorded test metrics (v_n: 0.5 + n/10); the highest serves."""
    versions = make_versions(snapshot, *numbers)
    services.alias_move(kind=KIND, alias="production", version=versions[-1], reason="gate")
    return versions


# --- the guard --------------------------------------------------------------------------------


def test_promoting_a_version_that_scored_lower_is_refused_without_confirmation_and_nothing_moves(snapshot):
    v1, v2 = serving(snapshot, 1, 2)
    moves = AliasMove.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.version_promote(kind=KIND, target=1)

    message = refused.value.message_dict["confirm"][0]
    assert "macro_f1 0.6000 against v2's 0.7000" in message and f"snapshot #{snapshot.pk} test split" in message
    assert selectors.production_version(kind=KIND) == v2 and AliasMove.objects.count() == moves


def test_a_forced_promotion_needs_a_reason_and_is_recorded_as_forced_in_the_history(snapshot, staff):
    v1, v2 = serving(snapshot, 1, 2)

    with pytest.raises(ValidationError) as no_reason:
        services.version_promote(kind=KIND, target=1, force=True, reason="  ")
    assert "reason" in no_reason.value.message_dict and selectors.production_version(kind=KIND) == v2

    move = services.version_promote(kind=KIND, target=1, force=True, reason="v2 breaks dosage questions", user=staff)

    assert selectors.production_version(kind=KIND) == v1
    assert move.forced and move.moved_by == staff and move.reason == "promote"
    assert "reason: v2 breaks dosage questions" in move.note and "0.6000 vs 0.7000" in move.note


def test_promoting_a_better_version_needs_no_confirmation(snapshot):
    v1, v2 = make_versions(snapshot, 1, 2)
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")

    move = services.version_promote(kind=KIND, target="2")

    assert not move.forced and selectors.production_version(kind=KIND) == v2


def test_the_api_refuses_a_lower_version_with_a_400_and_accepts_it_with_force_and_reason(snapshot, staff):
    serving(snapshot, 1, 2)
    api = api_client_for(staff)

    refused = api.post(f"/api/ml/kinds/{KIND}/promote/", {"version": "1"}, format="json")
    no_reason = api.post(f"/api/ml/kinds/{KIND}/promote/", {"version": "1", "force": True}, format="json")
    forced = api.post(f"/api/ml/kinds/{KIND}/promote/", {"version": "1", "force": True, "reason": "rollout test"}, format="json")

    assert refused.status_code == 400 and "confirm" in refused.json()["error"]["fields"]
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    assert forced.status_code == 200 and forced.json()["forced"] is True and forced.json()["to_version"] == 1


def test_the_page_asks_for_confirmation_and_a_reason_then_promotes(client, snapshot, staff):
    serving(snapshot, 1, 2)
    client.force_login(staff)

    asked = client.post(f"/models/{KIND}/promote/", {"version": "1"})
    body = asked.content.decode()
    assert asked.status_code == 400 and 'id="promote-confirm"' in body and "confirm the promotion" in body
    assert selectors.production_version(kind=KIND).number == 2

    done = client.post(f"/models/{KIND}/promote/", {"version": "1", "confirm": "on", "reason": "a lawyer asked"})

    assert done.status_code == 302 and selectors.production_version(kind=KIND).number == 1
    history = client.get(f"/models/{KIND}/").content.decode()
    assert "forced" in history and "reason: a lawyer asked" in history


def test_the_command_refuses_without_force_and_promotes_with_force_and_reason(snapshot):
    serving(snapshot, 1, 2)

    with pytest.raises(CommandError, match="--force --reason"):
        call_command("models", "promote", KIND, "1", stdout=StringIO())
    with pytest.raises(CommandError, match="Say why"):
        call_command("models", "promote", KIND, "1", "--force", stdout=StringIO())
    out = StringIO()
    call_command("models", "promote", KIND, "1", "--force", "--reason", "emergency", "--json", stdout=out)

    result = json.loads(out.getvalue())
    assert result["production"] == 1 and result["previous"] == 2 and result["forced"] is True


# --- rollback reaches the default -----------------------------------------------------------------


def test_rollback_always_reaches_the_untrained_default_and_then_says_there_is_nothing_earlier(snapshot):
    v1, v2 = make_versions(snapshot, 1, 2)
    services.alias_move(kind=KIND, alias="production", version=v1, reason="gate")
    services.alias_move(kind=KIND, alias="production", version=v2, reason="gate")

    assert services.version_rollback(kind=KIND).to_version == v1
    to_default = services.version_rollback(kind=KIND)

    assert to_default.to_version is None and to_default.from_version == v1
    assert selectors.production_version(kind=KIND) is None
    assert not ModelAlias.objects.filter(kind=KIND, name="production").exists()
    with pytest.raises(ValidationError, match="already serves the untrained default"):
        services.version_rollback(kind=KIND)


def test_default_is_a_valid_target_of_rollback_and_of_promote(snapshot, staff):
    v1, v2 = serving(snapshot, 1, 2)

    services.version_rollback(kind=KIND, target="default", user=staff)
    assert selectors.production_version(kind=KIND) is None
    services.version_promote(kind=KIND, target=2, force=True, reason="back on")
    assert selectors.production_version(kind=KIND) == v2
    check = services.promotion_check(kind=KIND, target=None, current=v2)
    if check["below"]:  # the rule-based default scores under v2's recorded 0.7 on the same split: confirmation first
        with pytest.raises(ValidationError):
            services.version_promote(kind=KIND, target="default")
    services.version_promote(kind=KIND, target="default", force=True, reason="compare with the rules")
    assert selectors.production_version(kind=KIND) is None


def test_rollback_to_default_from_the_command_and_the_page(client, snapshot, staff):
    serving(snapshot, 1)
    out = StringIO()
    call_command("models", "rollback", KIND, "default", "--json", stdout=out)
    assert json.loads(out.getvalue())["production"] == "default"

    services.version_promote(kind=KIND, target=1, force=True, reason="back on")
    client.force_login(staff)
    response = client.post(f"/models/{KIND}/rollback/", {"version": ""})
    assert response.status_code == 302 and selectors.production_version(kind=KIND) is None
    assert "rolled back to the untrained default" in client.get(f"/models/{KIND}/").content.decode()


# --- bad input ----------------------------------------------------------------------------------


def test_a_version_that_does_not_exist_is_a_clear_message_everywhere_and_nothing_changes(client, snapshot, staff):
    v1, = serving(snapshot, 1)
    moves = AliasMove.objects.count()

    with pytest.raises(ValidationError, match="has no version 9 \\(it has v1"):
        services.version_promote(kind=KIND, target=9)
    with pytest.raises(ValidationError, match="has no version 9"):
        services.version_rollback(kind=KIND, target=9)
    with pytest.raises(CommandError, match="has no version 9"):
        call_command("models", "promote", KIND, "9", stdout=StringIO())
    with pytest.raises(CommandError, match="not a version number"):
        call_command("models", "rollback", KIND, "latest", stdout=StringIO())
    api = api_client_for(staff)
    response = api.post(f"/api/ml/kinds/{KIND}/promote/", {"version": "9"}, format="json")
    assert response.status_code == 400 and "has no version 9" in response.json()["error"]["message"]
    client.force_login(staff)
    page = client.post(f"/models/{KIND}/promote/", {"version": "9"})
    assert page.status_code == 400 and "has no version 9" in page.content.decode()

    assert selectors.production_version(kind=KIND) == v1 and AliasMove.objects.count() == moves
    assert ModelVersion.objects.filter(kind=KIND).count() == 1


def test_rolling_back_to_a_version_that_never_served_is_refused(snapshot):
    serving(snapshot, 1)
    make_versions(snapshot, 2)

    with pytest.raises(ValidationError, match="never served in production: promote it instead"):
        services.version_rollback(kind=KIND, target=2)
