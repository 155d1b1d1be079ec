"""Where a treaty stands: signatories, parties, the count toward entry into force.

The rules (DESIGN.md §2b) are pure functions over the actions' facts, so they are
tested on built cases; `treaty_status` reads the rows and applies them.

- A **party** is an actor whose latest deposited instrument (ratification,
  acceptance, approval or accession) is later than its latest withdrawal, if any.
- The **counted instruments** are the parties' instruments, one per party (the first
  after its last withdrawal), leaving out those of regional organizations unless the
  treaty says they count (the UN Convention against Cybercrime, Art. 65: they do not).
- The **projected entry into force** is the date of the threshold-th counted
  instrument plus the treaty's delay in days; none while fewer are deposited.
- **Days left to sign** count the days on which signing is still possible, today
  and the closing day included; 0 once the period has closed.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from states.models import Actor, Ballot, TreatyAction

Kind = TreatyAction.Kind
INSTRUMENTS = frozenset(TreatyAction.INSTRUMENTS)


@dataclass(frozen=True)
class Act:
    """The facts of one treaty action that the rules read."""

    actor_id: int
    actor_kind: str
    kind: str
    date: datetime.date


def _latest(acts, kinds):
    dates = [a.date for a in acts if a.kind in kinds]
    return max(dates) if dates else None


def _by_actor(acts):
    grouped = {}
    for act in acts:
        grouped.setdefault(act.actor_id, []).append(act)
    return grouped


def party_instrument(acts):
    """The instrument that makes one actor's acts a party, or None.

    The first instrument after the actor's last withdrawal (a state that withdrew and
    later acceded again is a party from the accession).
    """
    withdrawn = _latest(acts, {Kind.WITHDRAWAL})
    standing = sorted(
        (
            a
            for a in acts
            if a.kind in INSTRUMENTS and (withdrawn is None or a.date > withdrawn)
        ),
        key=lambda a: a.date,
    )
    return standing[0] if standing else None


def parties(acts):
    """{actor id: the Act of the instrument that makes it a party}."""
    found = {}
    for actor_id, own in _by_actor(acts).items():
        instrument = party_instrument(own)
        if instrument is not None:
            found[actor_id] = instrument
    return found


def signatories(acts):
    """{actor id: date of its (first) signature}."""
    found = {}
    for act in sorted(acts, key=lambda a: a.date):
        if act.kind == Kind.SIGNATURE:
            found.setdefault(act.actor_id, act.date)
    return found


def counted_instruments(acts, *, regional_orgs_count):
    """The parties' instruments that count toward the threshold, in date order."""
    counted = [
        act
        for act in parties(acts).values()
        if regional_orgs_count or act.actor_kind != Actor.Kind.REGIONAL_ORG
    ]
    return sorted(counted, key=lambda a: (a.date, a.actor_id))


def projected_entry_into_force(counted, *, threshold, delay_days):
    """Date of the threshold-th counted instrument + delay, or None."""
    if not threshold or len(counted) < threshold:
        return None
    try:
        return counted[threshold - 1].date + datetime.timedelta(days=delay_days or 0)
    except OverflowError:  # past 9999-12-31: no date to project
        return None


def days_left_to_sign(*, opens_on, closes_on, today):
    """Days on which signing is still possible (today and the closing day included);
    None when there is no closing date or the period has not opened."""
    if closes_on is None or (opens_on is not None and today < opens_on):
        return None
    return max(0, (closes_on - today).days + 1)


@dataclass(frozen=True)
class TreatyStatus:
    treaty_slug: str
    today: datetime.date
    signatories: dict  # actor id → first signature date
    parties: dict  # actor id → the Act making it a party
    domestic_approvals: dict  # actor id → latest domestic approval date
    counted: list  # Acts, date order
    threshold: int | None
    delay_days: int | None
    regional_orgs_count: bool
    projected_entry_into_force: datetime.date | None
    days_left_to_sign: int | None
    signature_opens_on: datetime.date | None
    signature_closes_on: datetime.date | None
    adopted_on: datetime.date | None
    kinds: dict = field(default_factory=dict)  # actor id → actor kind

    @property
    def counted_count(self):
        return len(self.counted)

    @property
    def remaining_to_threshold(self):
        if not self.threshold:
            return None
        return max(0, self.threshold - self.counted_count)

    def status_of(self, actor_id):
        """`party`, `approved` (domestic approval, no instrument yet), `signed` or
        `none`."""
        if actor_id in self.parties:
            return "party"
        if actor_id in self.domestic_approvals:
            return "approved"
        if actor_id in self.signatories:
            return "signed"
        return "none"


STATUS_LABELS = {
    "party": "Party (instrument deposited)",
    "approved": "Approved at home, not deposited",
    "signed": "Signed",
    "none": "Not signed",
}


def acts_of(queryset):
    """[Act] for a queryset of treaty actions, in one query."""
    rows = queryset.values_list("actor_id", "actor__kind", "kind", "date")
    return [Act(*row) for row in rows]


def treaty_status(treaty, *, published_only=True, today=None) -> TreatyStatus:
    """Where `treaty` stands today, from its (published) treaty actions."""
    today = today or timezone.localdate()
    actions = TreatyAction.objects.filter(treaty=treaty, date__lte=today)
    if published_only:
        actions = actions.published()
    acts = acts_of(actions)
    counted = counted_instruments(acts, regional_orgs_count=treaty.regional_orgs_count)
    approvals = {}
    for act in acts:
        if act.kind == Kind.DOMESTIC_APPROVAL:
            approvals[act.actor_id] = max(
                act.date, approvals.get(act.actor_id, act.date)
            )
    return TreatyStatus(
        treaty_slug=treaty.slug,
        today=today,
        signatories=signatories(acts),
        parties=parties(acts),
        domestic_approvals=approvals,
        counted=counted,
        threshold=treaty.entry_into_force_threshold,
        delay_days=treaty.entry_into_force_delay_days,
        regional_orgs_count=treaty.regional_orgs_count,
        projected_entry_into_force=projected_entry_into_force(
            counted,
            threshold=treaty.entry_into_force_threshold,
            delay_days=treaty.entry_into_force_delay_days,
        ),
        days_left_to_sign=days_left_to_sign(
            opens_on=treaty.signature_opens_on,
            closes_on=treaty.signature_closes_on,
            today=today,
        ),
        signature_opens_on=treaty.signature_opens_on,
        signature_closes_on=treaty.signature_closes_on,
        adopted_on=treaty.adopted_on,
        kinds={a.actor_id: a.actor_kind for a in acts},
    )


def vote_totals(vote):
    """{choice: count} of a vote's ballots, every choice present."""
    counts = dict(
        Ballot.objects.filter(vote=vote)
        .values_list("choice")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {choice: counts.get(choice, 0) for choice in Ballot.Choice.values}
