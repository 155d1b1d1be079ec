"""What can be followed, how it is named, and which public changes touch it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from follow.models import Follow
from provisions.models import Provision
from states.models import Actor, Group, Membership

SEARCH_MAX_LENGTH = 200


class UnknownTarget(ValueError):
    """The kind or key names nothing that can be followed."""


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    label: str
    url: str


def resolve(kind, key):
    """The Target for (kind, key); raises UnknownTarget."""
    key = (key or "").strip()
    if not key:
        raise UnknownTarget("Nothing to follow was named.")
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        raise UnknownTarget(f"{kind!r} cannot be followed.")
    return resolver(key)


def _actor(key):
    actor = Actor.objects.filter(code=key.upper()).first()
    if actor is None:
        raise UnknownTarget(f"There is no actor {key!r}.")
    return Target(
        Follow.Kind.ACTOR,
        actor.code,
        actor.name,
        reverse("actor-detail", kwargs={"code": actor.code}),
    )


def _provision(key):
    treaty, _, slug = key.partition("/")
    provision = (
        Provision.objects.select_related("treaty")
        .filter(treaty__slug=treaty, slug=slug)
        .first()
    )
    if provision is None:
        raise UnknownTarget(f"There is no provision {key!r}.")
    return Target(
        Follow.Kind.PROVISION,
        f"{provision.treaty.slug}/{provision.slug}",
        f"{provision.title} ({provision.treaty.short_title or provision.treaty})",
        provision.get_absolute_url(),
    )


def _group(key):
    group = Group.objects.filter(slug=key).first()
    if group is None:
        raise UnknownTarget(f"There is no group {key!r}.")
    return Target(
        Follow.Kind.GROUP,
        group.slug,
        group.name,
        reverse("group-detail", kwargs={"slug": group.slug}),
    )


def _search(key):
    if len(key) > SEARCH_MAX_LENGTH:
        raise UnknownTarget(f"A search is at most {SEARCH_MAX_LENGTH} characters.")
    return Target(
        Follow.Kind.SEARCH,
        key,
        f"statements mentioning “{key}”",
        reverse("search") + "?" + urlencode({"q": key}),
    )


_RESOLVERS = {
    Follow.Kind.ACTOR: _actor,
    Follow.Kind.PROVISION: _provision,
    Follow.Kind.GROUP: _group,
    Follow.Kind.SEARCH: _search,
}


class Matcher:
    """Tells which follows a public change touches; loads group members once."""

    def __init__(self, follows):
        slugs = {f.key for f in follows if f.kind == Follow.Kind.GROUP}
        codes = {f.key for f in follows if f.kind == Follow.Kind.ACTOR}
        # Co-signers are recorded by id; a follow names the code.
        self.actor_ids = dict(
            Actor.objects.filter(code__in=codes).values_list("code", "id")
        )
        self.members = {}
        for slug, actor_id in (
            Membership.objects.filter(group__slug__in=slugs)
            .covering(timezone.localdate())
            .values_list("group__slug", "actor_id")
        ):
            self.members.setdefault(slug, set()).add(actor_id)

    def touches(self, follow, change):
        if follow.kind == Follow.Kind.ACTOR:
            return change.actor is not None and (
                change.actor.code == follow.key
                or self.actor_ids.get(follow.key) in change.co_signer_ids
            )
        if follow.kind == Follow.Kind.PROVISION:
            p = change.provision
            return p is not None and f"{p.treaty.slug}/{p.slug}" == follow.key
        if follow.kind == Follow.Kind.GROUP:
            if change.group is not None and change.group.slug == follow.key:
                return True
            actor_id = change.actor.pk if change.actor else None
            return actor_id in self.members.get(follow.key, ())
        words = follow.key.casefold()
        return any(
            words in text.casefold()
            for text in (change.title, change.text, change.quote)
        )
