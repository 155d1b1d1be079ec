"""One FilterSet per resource, shared by the API and the HTML views.

References use the public keys of API.md: treaties and groups by slug, actors by code,
everything else by id. An unknown value is a form error naming the parameter.
"""

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from provisions.models import Provision, Session, Treaty
from states import selectors
from states.models import (
    Actor,
    Ballot,
    Group,
    Membership,
    Position,
    Statement,
    Status,
    TreatyAction,
    Verification,
    Vote,
)


@extend_schema_field(OpenApiTypes.STR)
class KeyChoiceFilter(django_filters.ModelChoiceFilter):
    """A reference by its public key (a code or slug) handled by a filter method."""


def _treaty_filter(field_name):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Treaty.objects.all(),
        to_field_name="slug",
        help_text="Treaty slug.",
    )


def _actor_filter(help_text, **kwargs):
    return KeyChoiceFilter(
        queryset=Actor.objects.all(),
        to_field_name="code",
        help_text=help_text,
        **kwargs,
    )


def _group_filter(help_text, **kwargs):
    return KeyChoiceFilter(
        queryset=Group.objects.all(),
        to_field_name="slug",
        help_text=help_text,
        **kwargs,
    )


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, in UTC: offsets PostgreSQL would refuse are converted."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


def _updated_since():
    return UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only rows changed at or after this ISO 8601 date-time.",
    )


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Actor.Kind.choices)
    group = _group_filter("Group slug: its current members.", method="filter_group")
    search = django_filters.CharFilter(
        method="filter_search", help_text="Part of the actor's code or name."
    )

    class Meta:
        model = Actor
        fields = ["kind", "group", "search"]

    def filter_group(self, queryset, name, value):
        current = Membership.objects.covering(timezone.localdate()).filter(
            group=value, actor=OuterRef("pk")
        )
        return queryset.filter(Exists(current))

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class GroupFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Group.Kind.choices)

    class Meta:
        model = Group
        fields = ["kind"]


class MembershipFilter(django_filters.FilterSet):
    actor = _actor_filter("Actor code.")
    group = _group_filter("Group slug.")

    class Meta:
        model = Membership
        fields = ["actor", "group"]


class StatementFilter(django_filters.FilterSet):
    treaty = _treaty_filter("session__treaty")
    session = django_filters.ModelChoiceFilter(
        queryset=Session.objects.all(), help_text="Session id."
    )
    actor = _actor_filter(
        "Actor code: statements it made or co-signed.", method="filter_actor"
    )
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Words in the title or text; ranked unless `ordering` is given.",
    )
    updated_since = _updated_since()

    class Meta:
        model = Statement
        fields = [
            "treaty",
            "session",
            "actor",
            "kind",
            "status",
            "search",
            "updated_since",
        ]

    def filter_actor(self, queryset, name, value):
        co_signed = Statement.co_signers.through.objects.filter(
            statement=OuterRef("pk"), actor=value
        )
        supported = Statement.supporters.through.objects.filter(
            statement=OuterRef("pk"), actor=value
        )
        return queryset.filter(Q(actor=value) | Exists(co_signed) | Exists(supported))

    def filter_search(self, queryset, name, value):
        return selectors.search_statements(value, queryset=queryset)


def positions_attributed_to(queryset, actor):
    """Positions whose statement speaks for `actor` (DESIGN.md §3), direct or not.

    Direct: the actor spoke, co-signed or supported. Inherited: the actor was a
    member of the statement's `on_behalf_of` group on its effective date (its date,
    else the start of its session).
    """
    effective_date = Coalesce(
        OuterRef("statement__date"), OuterRef("statement__session__start_date")
    )
    co_signed = Statement.co_signers.through.objects.filter(
        statement=OuterRef("statement"), actor=actor
    )
    supported = Statement.supporters.through.objects.filter(
        statement=OuterRef("statement"), actor=actor
    )
    member = Membership.objects.filter(
        actor=actor,
        group=OuterRef("statement__on_behalf_of"),
        start_date__lte=effective_date,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=effective_date))
    return queryset.filter(
        Q(statement__actor=actor)
        | Exists(co_signed)
        | Exists(supported)
        | Exists(member)
    )


class PositionFilter(django_filters.FilterSet):
    treaty = _treaty_filter("statement__session__treaty")
    session = django_filters.ModelChoiceFilter(
        field_name="statement__session",
        queryset=Session.objects.all(),
        help_text="Session id.",
    )
    statement = django_filters.ModelChoiceFilter(
        queryset=Statement.objects.all(), help_text="Statement id."
    )
    provision = django_filters.ModelChoiceFilter(
        queryset=Provision.objects.all(), help_text="Provision id."
    )
    actor = _actor_filter(
        "Actor code: positions attributed to it, direct (speaker, co-signer) or "
        "inherited (member of the group spoken for on the statement's date).",
        method="filter_actor",
    )
    stance = django_filters.ChoiceFilter(choices=Position.Stance.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    updated_since = _updated_since()

    class Meta:
        model = Position
        fields = [
            "treaty",
            "session",
            "statement",
            "provision",
            "actor",
            "stance",
            "status",
            "updated_since",
        ]

    def filter_actor(self, queryset, name, value):
        return positions_attributed_to(queryset, value)


# Formal acts ------------------------------------------------------------------------


class VoteFilter(django_filters.FilterSet):
    treaty = _treaty_filter("treaty")
    body = django_filters.CharFilter(help_text="The body, exactly (General Assembly).")
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="On or after this date."
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="On or before this date."
    )
    updated_since = _updated_since()

    class Meta:
        model = Vote
        fields = ["treaty", "body", "date_from", "date_to", "updated_since"]


class BallotFilter(django_filters.FilterSet):
    vote = django_filters.ModelChoiceFilter(
        queryset=Vote.objects.all(), help_text="Vote id."
    )
    actor = _actor_filter("Actor code.", field_name="actor")
    choice = django_filters.ChoiceFilter(choices=Ballot.Choice.choices)
    updated_since = _updated_since()

    class Meta:
        model = Ballot
        fields = ["vote", "actor", "choice", "updated_since"]


class TreatyActionFilter(django_filters.FilterSet):
    treaty = _treaty_filter("treaty")
    actor = _actor_filter("Actor code.", field_name="actor")
    kind = django_filters.ChoiceFilter(choices=TreatyAction.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="On or after this date."
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="On or before this date."
    )
    updated_since = _updated_since()

    class Meta:
        model = TreatyAction
        fields = [
            "treaty",
            "actor",
            "kind",
            "status",
            "verification",
            "date_from",
            "date_to",
            "updated_since",
        ]
