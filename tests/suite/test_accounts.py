"""Sign-up, login and the bad input they must survive."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from suite import roles as R
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD = "a-long-unusual-passphrase"


def signup_form(**overrides):
    data = {"username": "ada", "email": "ada@example.org", "role": "candidate", "password1": GOOD, "password2": GOOD}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_roles_exist_as_groups_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(R.ALL_ROLES)


def test_sign_up_creates_the_user_in_the_chosen_role_and_logs_them_in(client):
    response = client.post("/signup/", signup_form())

    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="ada")
    assert list(user.groups.values_list("name", flat=True)) == ["candidate"]
    assert client.get("/").context["user"] == user


def test_sign_up_offers_only_public_roles(client):
    html = client.get("/signup/").content.decode()

    for role in R.PUBLIC_ROLES:
        assert f'value="{role}"' in html
    for role in R.STAFF_ROLES:
        assert f'value="{role}"' not in html


def test_sign_up_refuses_a_staff_role(client):
    response = client.post("/signup/", signup_form(role="reviewer"))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="ada").exists()


def test_sign_up_refuses_a_duplicate_user_name_whatever_its_case(client):
    UserFactory(username="Ada")

    response = client.post("/signup/", signup_form())

    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert User.objects.filter(username__iexact="ada").count() == 1


@pytest.mark.parametrize("password, message", [("short", "too short"), ("password123", "too common"), ("8394057162839", "entirely numeric")])
def test_sign_up_refuses_a_weak_password_and_writes_nothing(client, password, message):
    response = client.post("/signup/", signup_form(password1=password, password2=password))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="ada").exists()


def test_sign_up_names_each_missing_field(client):
    response = client.post("/signup/", signup_form(username=None, role=None))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["username"] == ["This field is required."]
    assert errors["role"] == ["This field is required."]
    assert User.objects.count() == 0


def test_sign_up_refuses_different_passwords(client):
    response = client.post("/signup/", signup_form(password2=GOOD + "x"))

    assert response.status_code == 400
    assert "The two passwords differ." in response.content.decode()
    assert User.objects.count() == 0


def test_login_with_wrong_credentials_says_so(client):
    UserFactory(username="bob")

    response = client.post("/login/", {"username": "bob", "password": "not-the-password"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_and_logout(client):
    UserFactory(username="bob", role="lawyer")

    assert client.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_demo_accounts_cover_every_role_and_log_in(client):
    from suite.services import demo_accounts_ensure

    rows = demo_accounts_ensure()

    assert {role for _, _, role in rows} == set(R.ALL_ROLES) | {"staff", "admin"}
    for username, password, _ in rows:
        assert client.login(username=username, password=password), username
    assert User.objects.get(username="admin").is_superuser
