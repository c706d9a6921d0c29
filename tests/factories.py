import factory
from django.contrib.auth import get_user_model

from chatbot.models import Conversation
from suite.services import role_group

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `UserFactory(role="patient")` puts them in that role's group."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        obj.save()
        if extracted:
            obj.groups.add(role_group(extracted))


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    owner = factory.SubFactory(UserFactory, role="patient")
    title = factory.Sequence(lambda n: f"Question about my medication #{n}")


class ProviderFactory(factory.django.DjangoModelFactory):
    """A provider who works every day, 09:00-17:00, in 30-minute slots (so tests do not depend on the weekday)."""

    class Meta:
        model = "chatbot.Provider"

    name = factory.Sequence(lambda n: f"Dr Test{n} Example")
    specialty = "Cardiology"
    weekdays = factory.LazyFunction(lambda: [1, 2, 3, 4, 5, 6, 7])
    start_hour = 9
    end_hour = 17
    slot_minutes = 30
