"""The vote page: the result, the ballots by UN regional group (a chart and the
lists), the sponsors, and how the same states stand on the treaty today."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from pages.selectors.status import CHOICE_ROWS, STATUS_COLUMNS, cross
from states.models import Ballot, Group, Membership, Vote, VoteSponsor
from states.treaty_status import treaty_status

CHOICES = list(Ballot.Choice.values)
CHOICE_LABELS = dict(Ballot.Choice.choices)
BAR_WIDTH = 300


@dataclass
class GroupBallots:
    name: str
    slug: str
    counts: dict  # choice → count
    names: dict  # choice → [name]
    segments: list  # [(choice, x, width, count)]
    total: int


def _segments(counts, total):
    x, found = 0.0, []
    for choice in CHOICES:
        width = counts[choice] / total * BAR_WIDTH if total else 0
        if width:
            found.append((choice, round(x, 2), round(width, 2), counts[choice]))
        x += width
    return found


def _by_group(ballots, day):
    memberships = (
        Membership.objects.covering(day)
        .filter(group__kind=Group.Kind.UN_REGIONAL_GROUP)
        .select_related("group")
    )
    group_of = {m.actor_id: m.group for m in memberships}
    bands = {}
    for ballot in ballots:
        group = group_of.get(ballot.actor_id)
        key = (group.name, group.slug) if group else ("No regional group", "")
        band = bands.setdefault(key, {c: [] for c in CHOICES})
        band[ballot.choice].append(ballot.actor.name)
    rows = []
    for (name, slug), names in sorted(bands.items()):
        counts = {c: len(names[c]) for c in CHOICES}
        total = sum(counts.values())
        rows.append(
            GroupBallots(
                name=name,
                slug=slug,
                counts=counts,
                names=names,
                segments=_segments(counts, total),
                total=total,
            )
        )
    return rows


@dataclass
class VotePage:
    treaty: object
    vote: Vote
    totals: dict
    groups: list
    sponsors: list  # [(role label, [actor])]
    today: dict  # the who-moved table for the states in this vote
    choice_labels: dict
    choice_rows: dict
    status_columns: dict
    bar_width: int = BAR_WIDTH


def vote_page(slug, vote_id):
    vote = get_object_or_404(
        Vote.objects.select_related("treaty"), treaty__slug=slug, pk=vote_id
    )
    ballots = list(vote.ballots.select_related("actor").order_by("actor__name"))
    totals = {c: 0 for c in CHOICES}
    for ballot in ballots:
        totals[ballot.choice] += 1
    sponsorships = list(
        VoteSponsor.objects.filter(vote=vote)
        .select_related("actor")
        .order_by("actor__name")
    )
    sponsors = [
        (label, [s.actor for s in sponsorships if s.role == role])
        for role, label in VoteSponsor.Role.choices
    ]
    status = treaty_status(vote.treaty)
    choices = {b.actor_id: b.choice for b in ballots}
    today = cross(
        choices,
        {b.actor_id: status.status_of(b.actor_id) for b in ballots},
        {b.actor_id: b.actor.name for b in ballots},
    )
    return VotePage(
        treaty=vote.treaty,
        vote=vote,
        totals=totals,
        groups=_by_group(ballots, vote.date),
        sponsors=[(label, actors) for label, actors in sponsors if actors],
        today=today,
        choice_labels=CHOICE_LABELS,
        choice_rows=CHOICE_ROWS,
        status_columns=STATUS_COLUMNS,
    )
