"""The actors page: every actor, filtered by kind, group and a name or code, with
how many statements and positions each has on record."""

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Upper

from common.errors import ParameterError
from states.models import (
    Actor,
    ActorAlias,
    Group,
    Membership,
    Position,
    Statement,
    Status,
)

QUERY_MAX = 100


def actors_matching(text, queryset=None):
    """Actors whose name or one of its aliases contains `text` (any case), or whose
    code is `text`: "EU" finds the European Union by code, "Russia" the Russian
    Federation by alias.

    The one place where a typed name is matched to actors (the actors page, the
    compare form and search all call it). Aliases are matched in a subquery rather
    than a join, so an actor with two matching aliases is still one row, and the
    whole match stays one query.
    """
    queryset = Actor.objects.all() if queryset is None else queryset
    text = text.strip()
    if not text:
        return queryset
    aliased = ActorAlias.objects.filter(alias__icontains=text).values("actor_id")
    return queryset.filter(
        Q(name__icontains=text) | Q(code__iexact=text) | Q(id__in=aliased)
    )


# The shortest beginning of a name that may name an actor ("Ind" is too short).
PREFIX_MIN = 5


def actors_named(texts):
    """{text: the one actor it names, or None}, in one query: a code, a name or an
    alias (any case) or "Name (CODE)" as the compare form's list offers them. A
    name shared by several actors names none of them; a code wins over a name, a
    name over an alias (aliases are unique in any case)."""
    keys = {text: _name_key(text) for text in texts}
    wanted = {key for key in keys.values() if key}
    aliases = ActorAlias.objects.annotate(upper_alias=Upper("alias")).filter(
        upper_alias__in=wanted
    )
    found = list(
        Actor.objects.annotate(
            upper_name=Upper("name"),
            # The alias it was found by, if any (at most one per actor is wanted,
            # and one is enough to name it).
            upper_alias=Subquery(
                aliases.filter(actor=OuterRef("pk")).values("upper_alias")[:1]
            ),
        ).filter(
            Q(code__in=wanted)
            | Q(upper_name__in=wanted)
            | Q(id__in=aliases.values("actor_id"))
        )
    )
    by_code = {actor.code: actor for actor in found}
    by_name, by_alias = {}, {}
    for actor in found:
        by_name.setdefault(actor.upper_name, []).append(actor)
        if actor.upper_alias:
            by_alias[actor.upper_alias] = actor

    def named(key):
        if key in by_code:
            return by_code[key]
        matches = by_name.get(key, [])
        if matches:
            return matches[0] if len(matches) == 1 else None
        return by_alias.get(key)

    result = {text: named(key) for text, key in keys.items()}
    unnamed = {text for text, actor in result.items() if actor is None and keys[text]}
    return {**result, **_named_by_beginning(unnamed)}


def _named_by_beginning(texts):
    """{text: the one actor whose name starts with it}: "United States" names the
    United States of America; "United" names no one (several do). One query, and
    only for what the exact lookup left unnamed."""
    # A list ("USA,CHN") is split and named by its parts; only a lone name here.
    texts = {t for t in texts if len(t.strip()) >= PREFIX_MIN and "," not in t}
    if not texts:
        return {}
    condition = Q()
    for text in texts:
        condition |= Q(name__istartswith=text.strip())
    candidates = list(Actor.objects.filter(condition).only("id", "code", "name"))
    named = {}
    for text in texts:
        matching = [
            a for a in candidates if a.name.upper().startswith(text.strip().upper())
        ]
        if len(matching) == 1:
            named[text] = matching[0]
    return named


def _name_key(text):
    text = text.strip()
    if text.endswith(")") and "(" in text:
        text = text[text.rindex("(") + 1 : -1]
    return text.strip().upper()


@dataclass(frozen=True)
class ActorFilter:
    q: str = ""
    kind: str = ""
    group: Group | None = None

    @classmethod
    def from_querydict(cls, data):
        """Validate ?q=&kind=&group=; an unknown kind or group is an error."""
        q = data.get("q", "").strip()[:QUERY_MAX]
        kind = data.get("kind", "")
        if kind and kind not in Actor.Kind.values:
            raise ParameterError(
                "kind", f"{kind!r} is not one of {', '.join(Actor.Kind.values)}."
            )
        group = None
        if data.get("group"):
            group = Group.objects.filter(slug=data["group"]).first()
            if group is None:
                raise ParameterError("group", f"There is no group {data['group']!r}.")
        return cls(q=q, kind=kind, group=group)


def _count_of(queryset):
    """A correlated COUNT(*) over `queryset` (filtered on an OuterRef), without the
    GROUP BY that .annotate(Count()) would add to the subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def actor_directory(filters):
    """Actors matching `filters`, by name, each with `statement_count` (published,
    as speaker) and `position_count` (published, in those statements): one query."""
    actors = actors_matching(filters.q)
    if filters.kind:
        actors = actors.filter(kind=filters.kind)
    if filters.group is not None:
        actors = actors.filter(
            id__in=Membership.objects.filter(group=filters.group).values("actor_id")
        )
    statements = Statement.objects.published().filter(actor=OuterRef("pk"))
    positions = Position.objects.filter(
        status=Status.PUBLISHED,
        statement__status=Status.PUBLISHED,
        statement__actor=OuterRef("pk"),
    )
    return actors.annotate(
        statement_count=_count_of(statements), position_count=_count_of(positions)
    ).order_by("name", "code")


def filter_choices():
    """The kinds and groups the filters offer, groups by kind then name."""
    return {
        "kinds": Actor.Kind.choices,
        "groups": list(Group.objects.order_by("kind", "name").only("slug", "name")),
    }
