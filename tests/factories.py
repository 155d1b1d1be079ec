"""factory_boy factories for every model, shared by all tests."""

import datetime

import factory

from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty
from states.models import (
    Actor,
    Group,
    Membership,
    Position,
    Statement,
    StatementSource,
)


class TreatyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treaty
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"treaty-{n}")
    title = factory.Sequence(lambda n: f"Convention number {n}")
    short_title = factory.Sequence(lambda n: f"Convention {n}")
    negotiating_body = "Ad Hoc Committee"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    treaty = factory.SubFactory(TreatyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Session {o.number}")
    start_date = factory.LazyAttribute(
        lambda o: datetime.date(2022, 1, 1) + datetime.timedelta(days=60 * o.number)
    )
    end_date = factory.LazyAttribute(
        lambda o: o.start_date + datetime.timedelta(days=10)
    )
    venue = "New York"
    status = Session.Status.CLOSED


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Draft

    treaty = factory.SubFactory(TreatyFactory)
    slug = factory.Sequence(lambda n: f"draft-{n}")
    title = factory.Sequence(lambda n: f"Draft text {n}")
    published_on = datetime.date(2023, 1, 1)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    treaty = factory.SubFactory(TreatyFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Chapter title {n}")
    order = factory.Sequence(lambda n: n)


class ProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provision

    treaty = factory.SubFactory(TreatyFactory)
    slug = factory.Sequence(lambda n: f"provision-{n}")
    title = factory.Sequence(lambda n: f"Provision {n}")
    kind = Provision.Kind.ARTICLE
    order = factory.Sequence(lambda n: n)
    proposition = factory.LazyAttribute(lambda o: f"Include {o.title.lower()}.")


class ProvisionTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvisionText

    provision = factory.SubFactory(ProvisionFactory)
    draft = factory.SubFactory(
        DraftFactory, treaty=factory.SelfAttribute("..provision.treaty")
    )
    label = factory.Sequence(lambda n: f"Article {n}")
    text = "States Parties shall adopt such measures as may be necessary."


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"A{n:03d}")
    name = factory.Sequence(lambda n: f"State {n}")
    kind = Actor.Kind.MEMBER_STATE


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")
    kind = Group.Kind.NEGOTIATING_BLOC


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    actor = factory.SubFactory(ActorFactory)
    group = factory.SubFactory(GroupFactory)
    start_date = datetime.date(2000, 1, 1)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    actor = factory.SubFactory(ActorFactory)
    kind = Statement.Kind.ORAL
    title = factory.Sequence(lambda n: f"Statement {n}")
    text = "We support the proposal."
    source_url = "https://example.org/statement"
    status = "published"
    # Its source_url is its first source, as the services keep it.
    first_source = factory.RelatedFactory(
        "tests.factories.StatementSourceFactory",
        factory_related_name="statement",
        url=factory.SelfAttribute("..source_url"),
    )


class StatementSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatementSource

    statement = factory.SubFactory(StatementFactory)
    url = "https://example.org/statement"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    statement = factory.SubFactory(StatementFactory)
    provision = factory.SubFactory(
        ProvisionFactory, treaty=factory.SelfAttribute("..statement.session.treaty")
    )
    stance = Position.Stance.SUPPORT
    quote = "We support this."
    status = "published"
