"""The treaty status page: signatories and parties, the count toward entry into
force, a tile map, a cumulative chart, the table of states, and who moved from the
recorded vote to today's status."""

import datetime
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from common.errors import ParameterError
from pages import charts, tilemap
from provisions.models import Treaty
from states.models import Actor, Ballot, Group, Membership, TreatyAction, Vote
from states.treaty_status import STATUS_LABELS, treaty_status

Kind = TreatyAction.Kind
STATUSES = tuple(STATUS_LABELS)
CHOICE_LABELS = dict(Ballot.Choice.choices)
# The rows of the who-moved table, and what a row means in words.
CHOICE_ROWS = {
    "yes": "Voted yes",
    "no": "Voted no",
    "abstain": "Abstained",
    "non_voting": "Did not vote",
    "not_listed": "Not in the vote",
}
STATUS_COLUMNS = {
    "party": "Party now",
    "approved": "Approved at home",
    "signed": "Signed",
    "none": "Not signed",
}
SHOWN_KINDS = (
    Actor.Kind.MEMBER_STATE,
    Actor.Kind.OBSERVER_STATE,
    Actor.Kind.REGIONAL_ORG,
)


@dataclass
class StateRow:
    """One actor's line in the status table."""

    actor: Actor
    group: Group | None
    status: str
    signature: TreatyAction | None = None
    domestic: list = field(default_factory=list)  # TreatyActions
    instrument: TreatyAction | None = None
    declarations: list = field(default_factory=list)  # TreatyActions
    withdrawal: TreatyAction | None = None

    @property
    def actions(self):
        found = [self.signature, *self.domestic, self.instrument, self.withdrawal]
        return [a for a in [*found, *self.declarations] if a is not None]

    @property
    def sources(self):
        """Every source of the row's actions, once each, in order."""
        return list(dict.fromkeys(s for a in self.actions for s in a.sources))

    def as_dict(self):
        def day(action):
            return action.date.isoformat() if action else None

        return {
            "code": self.actor.code,
            "name": self.actor.name,
            "kind": self.actor.kind,
            "group": self.group.slug if self.group else None,
            "status": self.status,
            "signature_date": day(self.signature),
            "signature_date_precision": (
                self.signature.date_precision if self.signature else None
            ),
            "signature_verification": (
                self.signature.verification if self.signature else None
            ),
            "domestic_steps": [
                {"date": day(a), "text": a.text, "verification": a.verification}
                for a in self.domestic
            ],
            "instrument": self.instrument.kind if self.instrument else None,
            "instrument_date": day(self.instrument),
            "declarations_reservations": [
                {"kind": a.kind, "date": day(a), "text": a.text}
                for a in self.declarations
            ],
            "sources": self.sources,
        }


def _regional_groups(day):
    """{actor id: its UN regional group} for memberships covering `day`, and the
    groups in name order."""
    memberships = (
        Membership.objects.covering(day)
        .filter(group__kind=Group.Kind.UN_REGIONAL_GROUP)
        .select_related("group")
    )
    by_actor = {m.actor_id: m.group for m in memberships}
    groups = sorted({g.pk: g for g in by_actor.values()}.values(), key=lambda g: g.name)
    return by_actor, groups


def _rows(treaty, status, actors, groups_by_actor, actions):
    rows = {
        a.pk: StateRow(
            actor=a, group=groups_by_actor.get(a.pk), status=status.status_of(a.pk)
        )
        for a in actors
    }
    for action in actions:
        row = rows.get(action.actor_id)
        if row is None:
            continue
        if action.kind == Kind.SIGNATURE and row.signature is None:
            row.signature = action
        elif action.kind == Kind.DOMESTIC_APPROVAL:
            row.domestic.append(action)
        elif action.kind in TreatyAction.INSTRUMENTS:
            instrument = status.parties.get(action.actor_id)
            if instrument is not None and instrument.date == action.date:
                row.instrument = action
        elif action.kind in (Kind.DECLARATION, Kind.RESERVATION):
            row.declarations.append(action)
        elif action.kind == Kind.WITHDRAWAL:
            row.withdrawal = action
    return list(rows.values())


def cross(choices, statuses, names):
    """The who-moved table: {row key: {status: [name, …]}}.

    `choices` is {actor id: ballot choice} of the vote, `statuses` {actor id:
    status today} and `names` {actor id: name} of every actor shown; an actor not in
    the vote falls in the "not_listed" row. Empty rows are left out.
    """
    table = {row: {column: [] for column in STATUS_COLUMNS} for row in CHOICE_ROWS}
    for actor_id, name in sorted(names.items(), key=lambda item: item[1]):
        row = choices.get(actor_id, "not_listed")
        table[row][statuses[actor_id]].append(name)
    return {row: columns for row, columns in table.items() if any(columns.values())}


@dataclass
class StatusPage:
    treaty: Treaty
    status: object  # states.treaty_status.TreatyStatus
    rows: list
    all_rows_count: int
    groups: list
    region: str
    status_filter: str
    tile_map: object
    chart: object
    vote: Vote | None
    moved: dict
    progress_percent: int
    by_status: dict  # status → [member state names], for the map's text alternative
    status_labels: dict = field(default_factory=lambda: dict(STATUS_LABELS))
    choice_rows: dict = field(default_factory=lambda: dict(CHOICE_ROWS))
    status_columns: dict = field(default_factory=lambda: dict(STATUS_COLUMNS))

    @property
    def signatory_count(self):
        return len(self.status.signatories)


def parse_filters(query, groups):
    region = query.get("group", "")
    if region and region not in {g.slug for g in groups}:
        raise ParameterError("group", f"{region!r} is not a UN regional group.")
    status = query.get("status", "")
    if status and status not in STATUSES:
        raise ParameterError(
            "status", f"{status!r} is not one of {', '.join(STATUSES)}."
        )
    return region, status


def _comparison_vote(treaty, vote_id=None):
    """The vote the who-moved table crosses: ?vote=, else the treaty's latest."""
    votes = Vote.objects.filter(treaty=treaty)
    if vote_id:
        try:
            if not vote_id.isascii() or not vote_id.isdigit() or len(vote_id) > 18:
                raise ValueError(vote_id)  # not an id the database could hold
            return votes.get(pk=int(vote_id))
        except (ValueError, Vote.DoesNotExist):
            raise ParameterError(
                "vote", f"{vote_id!r} is not a vote of this treaty."
            ) from None
    return votes.order_by("-date", "-id").first()


def status_page(slug, query, *, today=None) -> StatusPage:
    treaty = get_object_or_404(Treaty, slug=slug)
    today = today or timezone.localdate()
    status = treaty_status(treaty, today=today)
    groups_by_actor, groups = _regional_groups(today)
    region, status_filter = parse_filters(query, groups)
    vote = _comparison_vote(treaty, query.get("vote"))
    actions = list(
        TreatyAction.objects.published()
        .filter(treaty=treaty, date__lte=today)
        .order_by("date", "id")
    )
    acting = {a.actor_id for a in actions}
    actors = list(Actor.objects.filter(kind__in=SHOWN_KINDS).order_by("name"))
    # Members always; observers and organizations when they took a step.
    actors = [a for a in actors if a.kind == Actor.Kind.MEMBER_STATE or a.pk in acting]
    rows = _rows(treaty, status, actors, groups_by_actor, actions)
    shown = [
        r
        for r in rows
        if (not region or (r.group and r.group.slug == region))
        and (not status_filter or r.status == status_filter)
    ]
    members = [a for a in actors if a.kind == Actor.Kind.MEMBER_STATE]
    statuses = {r.actor.pk: r.status for r in rows}
    codes = {a.code: a.pk for a in members}
    moved = {}
    if vote is not None:
        choices = dict(
            Ballot.objects.filter(vote=vote).values_list("actor_id", "choice")
        )
        moved = cross(choices, statuses, {r.actor.pk: r.actor.name for r in rows})
    threshold = status.threshold or 0
    return StatusPage(
        treaty=treaty,
        status=status,
        rows=shown,
        all_rows_count=len(rows),
        groups=groups,
        region=region,
        status_filter=status_filter,
        tile_map=tilemap.tile_map(
            [(a.code, a.name) for a in members],
            lambda code: statuses[codes[code]],
            STATUS_LABELS,
        ),
        chart=_chart(treaty, status, actions, today),
        vote=vote,
        moved=moved,
        by_status={
            key: [
                r.actor.name
                for r in rows
                if r.status == key and r.actor.kind == Actor.Kind.MEMBER_STATE
            ]
            for key in STATUSES
        },
        progress_percent=(
            min(100, round(status.counted_count / threshold * 100)) if threshold else 0
        ),
    )


def _chart(treaty, status, actions, today):
    start = treaty.signature_opens_on or min((a.date for a in actions), default=today)
    end = max(today, start + datetime.timedelta(days=30))
    return charts.cumulative_chart(
        {
            "signed": list(status.signatories.values()),
            "approved": [
                min(
                    a.date
                    for a in actions
                    if a.actor_id == actor_id and a.kind == Kind.DOMESTIC_APPROVAL
                )
                for actor_id in status.domestic_approvals
            ],
            "party": [act.date for act in status.parties.values()],
        },
        {
            "signed": "Signatures",
            "approved": "Domestic approvals",
            "party": "Instruments deposited (parties)",
        },
        start=start,
        end=end,
    )
