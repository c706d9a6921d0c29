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
