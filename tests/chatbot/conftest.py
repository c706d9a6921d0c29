import pytest

from chatbot.services.knowledge import knowledge_forget, starter_kb_load
from tests.factories import ProviderFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_index():
    """Each test's database has its own articles; the process's index follows them."""
    knowledge_forget()
    yield
    knowledge_forget()


@pytest.fixture
def starter_kb(db):
    """The team's starter articles (a transactional test's flush removes the migration's copy)."""
    starter_kb_load()


@pytest.fixture
def cardiologist(db):
    return ProviderFactory(name="Dr Heart Lee", specialty="Cardiology")


@pytest.fixture
def patient(db):
    return UserFactory(role="patient")


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)
