"""The actor page: its groups, its positions by chapter, its statements, and who it
agrees with most and least."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse

from common.errors import ParameterError
from pages.selectors.shared import (
    cache_key_of_build,
    chapter_bands,
    chapters_by_id,
    position_notes,
)
from provisions.models import Treaty
from states.matrix import read as matrix_read
from states.models import (
    Actor,
    Ballot,
    Membership,
    Statement,
    Status,
    TreatyAction,
    VoteSponsor,
)

# Agreement is only shown when two actors share enough coded provisions to mean much.
MIN_SHARED_PROVISIONS = 3
ACTOR_STATEMENTS = 100


def actor_with_groups(code):
    actor = get_object_or_404(Actor, code=code)
    memberships = list(
        Membership.objects.filter(actor=actor)
        .select_related("group")
        .order_by("group__kind", "group__name", "start_date")
    )
    return actor, memberships


def actor_statements(actor, treaty=None, *, limit=ACTOR_STATEMENTS):
    """(the latest `limit` published statements the actor made, co-signed, supported
    or that spoke for one of its groups, how many there are in all)."""
    co_signed = Statement.co_signers.through.objects.filter(actor=actor).values(
        "statement_id"
    )
    supported = Statement.supporters.through.objects.filter(actor=actor).values(
        "statement_id"
    )
    member_groups = Membership.objects.filter(actor=actor).values("group_id")
    # IN-subqueries rather than OR across a join, which needed DISTINCT over every
    # statement of the treaty.
    statements = Statement.objects.published().filter(
        Q(actor=actor)
        | Q(id__in=co_signed)
        | Q(id__in=supported)
        | Q(on_behalf_of_id__in=member_groups)
    )
    if treaty is not None:
        statements = statements.filter(session__treaty=treaty)
    latest = list(
        statements.select_related("session__treaty", "actor", "on_behalf_of")
        .prefetch_related(
            "sources",
            Prefetch("supporters", queryset=Actor.objects.only("code", "name")),
        )
        .annotate(
            position_count=Count(
                "positions", filter=Q(positions__status=Status.PUBLISHED)
            ),
            # How the actor took part: a statement is listed for its speaker, its
            # co-signers, its supporters and the members of the group it spoke for.
            role=Case(
                When(actor=actor, then=Value("speaker")),
                When(id__in=co_signed, then=Value("co_signer")),
                When(id__in=supported, then=Value("supporter")),
                default=Value("member"),
            ),
        )
        .order_by("-session__number", "-date", "-id")[:limit]
    )
    return latest, statements.count()


def treaty_for_actor(actor, slug=None):
    """The treaty the actor page shows: ?treaty=slug, else the one it spoke in last."""
    return _chosen_treaty(slug, Statement.objects.filter(actor=actor))


def treaty_for_group(group, slug=None):
    """The treaty the group page shows: ?treaty=slug, else the last one in which one
    of its members spoke."""
    members = Membership.objects.filter(group=group).values("actor_id")
    return _chosen_treaty(slug, Statement.objects.filter(actor_id__in=members))


def _chosen_treaty(slug, statements):
    treaties = list(Treaty.objects.order_by("title"))
    if slug:
        for treaty in treaties:
            if treaty.slug == slug:
                return treaty, treaties
        raise ParameterError("treaty", f"Unknown treaty {slug!r}.")
    last = (
        statements.order_by("-session__start_date")
        .values_list("session__treaty_id", flat=True)
        .first()
    )
    chosen = next(
        (t for t in treaties if t.id == last), treaties[0] if treaties else None
    )
    return chosen, treaties


def positions_by_chapter(view, code, group_names=None, *, actor=None):
    """[(chapter, [(provision, cell)])] of the actor's cells in the view; each cell
    gains `via_name`, the name of the group it was inherited through, and `note`
    (a PositionNote: wants, verification, whose statement) when `actor` is given
    (one query)."""
    group_names = group_names or {}
    chapters = chapters_by_id(view.provisions)
    cells = [
        (provision, cell)
        for provision in view.provisions
        if (cell := view.cells.get((code, provision["id"]))) is not None
    ]
    notes = (
        position_notes([cell["position"] for _, cell in cells], actor)
        if actor is not None
        else {}
    )
    coded = [
        (
            provision,
            {
                **cell,
                "via_name": group_names.get(cell["via"], cell["via"]),
                "note": notes.get(cell["position"]),
            },
        )
        for provision, cell in cells
    ]
    return chapter_bands(coded, lambda item: chapters.get(item[0]["chapter_id"]))


# The agreement scores are kept per build: they compare every cell as of the session
# on the actor's provisions (~141,000 of the 617,000 runs at UN scale, all of them for
# an actor coded on every provision, so no index narrows the read), and they only
# change when a build lands or an actor is renamed.
AGREEMENT_CACHE_SECONDS = 60 * 60


def agreement(treaty, session, actor, *, minimum=MIN_SHARED_PROVISIONS, limit=5):
    """(most, least) agreeing actors as of `session`, among those sharing at least
    `minimum` coded provisions with `actor` (states.matrix.read.agreement_scores).
    Read from the cache while no build landed since they were computed."""
    key = cache_key_of_build("agreement", treaty, session.number, actor.pk, minimum)
    scored = cache.get(key) if key is not None else None
    if scored is None:
        scored = matrix_read.agreement_scores(treaty, session, actor, minimum=minimum)
        if key is not None:
            cache.set(key, scored, AGREEMENT_CACHE_SECONDS)
    return rank_agreement(scored, limit=limit)


def rank_agreement(scored, *, limit=5):
    """Most agreeing first; the least agreeing among those not already listed.

    Both lists draw on the same actors (those past the same minimum of shared
    provisions): when there are few, the upper half is "most" and the lower half
    "least", so that neither list is empty while the other shows someone twice.
    """
    ranked = sorted(scored, key=lambda r: (-r["share"], -r["shared"], r["name"]))
    most = ranked[: min(limit, (len(ranked) + 1) // 2)]
    listed = {r["code"] for r in most}
    least = sorted(
        (r for r in scored if r["code"] not in listed),
        key=lambda r: (r["share"], -r["shared"], r["name"]),
    )[:limit]
    return most, least


# Formal acts: the actor's timeline ------------------------------------------------


@dataclass(frozen=True)
class ActEvent:
    date: object
    kind: str  # ballot, sponsor, adoption, or a treaty action kind
    title: str
    detail: str = ""
    url: str = ""
    verification: str = ""
    sources: tuple = ()
    precision: str = "day"


def _vote_name(vote):
    return vote.document_symbol or vote.title


def formal_acts(actor):
    """The actor's formal acts in date order: its ballots and sponsorships, the
    adoption of each treaty it acted on, and its published treaty actions."""
    ballots = Ballot.objects.filter(actor=actor).select_related("vote__treaty")
    sponsorships = VoteSponsor.objects.filter(actor=actor).select_related(
        "vote__treaty"
    )
    actions = (
        TreatyAction.objects.published().filter(actor=actor).select_related("treaty")
    )
    events, treaties = [], {}
    for ballot in ballots:
        vote = ballot.vote
        treaties[vote.treaty_id] = vote.treaty
        events.append(
            ActEvent(
                date=vote.date,
                kind=f"ballot-{ballot.choice}",
                title=f"{ballot.get_choice_display()} on {_vote_name(vote)}",
                detail=f"{vote.body}: {vote.question}",
                url=reverse(
                    "vote-detail",
                    kwargs={"treaty": vote.treaty.slug, "vote_id": vote.pk},
                ),
                verification=vote.verification,
                sources=tuple(vote.sources),
            )
        )
    for sponsorship in sponsorships:
        vote = sponsorship.vote
        events.append(
            ActEvent(
                date=vote.date,
                kind="sponsor",
                title=f"{sponsorship.get_role_display()} of the text of "
                f"{_vote_name(vote)}",
                url=reverse(
                    "vote-detail",
                    kwargs={"treaty": vote.treaty.slug, "vote_id": vote.pk},
                ),
            )
        )
    for action in actions:
        treaties[action.treaty_id] = action.treaty
        events.append(
            ActEvent(
                date=action.date,
                kind=action.kind,
                title=f"{action.get_kind_display()}: {action.treaty}",
                detail=action.text,
                url=reverse("treaty-status", kwargs={"treaty": action.treaty.slug})
                + f"#state-{actor.code}",
                verification=action.verification,
                sources=tuple(action.sources),
                precision=action.date_precision,
            )
        )
    for treaty in treaties.values():
        if treaty.adopted_on:
            events.append(
                ActEvent(
                    date=treaty.adopted_on,
                    kind="adoption",
                    title=f"The General Assembly adopts the {treaty}",
                    url=reverse("treaty-status", kwargs={"treaty": treaty.slug}),
                )
            )
    order = {"adoption": 0, "sponsor": 1}
    return sorted(events, key=lambda e: (e.date, order.get(e.kind, 2), e.title))
