"""Every write to the formal acts: recorded votes, their sponsors and ballots, and
treaty actions (DESIGN.md §2b).

Each service is atomic and validates with full_clean(). Formal acts are not matrix
cells, so nothing here marks the matrix stale. Treaty actions are drafts until a
reviewer publishes them, as statements are; editing never publishes. Published records
are locked for editors (require_may_change): a published treaty action, and a vote
once its ballots are entered.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from common.db import set_fields
from states import signals
from states.models import Ballot, Status, TreatyAction, Vote, VoteSponsor

_PUBLISH_REFUSED = "Use the publish action to publish; editing cannot publish."
# Reviewers of formal acts: who publishes treaty actions changes what is public.
REVIEW_PERMISSION = "states.publish_treatyaction"


def is_public(record) -> bool:
    """A treaty action once published; a vote once it has ballots (votes have no
    draft state: the public pages show a vote with its totals as soon as it has
    any)."""
    if isinstance(record, Vote):
        return Ballot.objects.filter(vote_id=record.pk).exists()
    return record.status == Status.PUBLISHED


def require_may_change(user, record):
    """Public formal acts are locked for editors, as published statements are: only a
    reviewer (or the system, user None) changes one."""
    if user is None or user.has_perm(REVIEW_PERMISSION) or not is_public(record):
        return
    what = (
        "This vote's ballots are entered"
        if isinstance(record, Vote)
        else f"This {record._meta.verbose_name} is published"
    )
    raise PermissionDenied(f"{what}: only a reviewer may change it.")


# Votes --------------------------------------------------------------------------


@transaction.atomic
def vote_create(*, treaty, **fields) -> Vote:
    """A new recorded vote (its ballots are set by ballots_set)."""
    vote = Vote(treaty=treaty)
    set_fields(vote, fields)
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def vote_update(*, vote, user=None, **fields) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    require_may_change(user, vote)
    set_fields(vote, fields)
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def vote_delete(*, vote) -> None:
    """Delete a vote with its ballots and sponsorships."""
    Vote.objects.filter(pk=vote.pk).delete()


@transaction.atomic
def vote_sponsors_set(*, vote, sponsors, user=None) -> list[VoteSponsor]:
    """Make the vote's sponsorships exactly `sponsors`: [(actor, role)]."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    require_may_change(user, vote)
    wanted = list(dict.fromkeys((actor.pk, role) for actor, role in sponsors))
    rows = [VoteSponsor(vote=vote, actor_id=a, role=r) for a, r in wanted]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    VoteSponsor.objects.filter(vote=vote).delete()
    VoteSponsor.objects.bulk_create(rows)
    vote.save(update_fields=["updated_at"])
    signals.vote_set_changed.send(sender=Vote, vote=vote, entity="vote_sponsors")
    return rows


@transaction.atomic
def ballots_set(*, vote, choices, user=None) -> dict[str, int]:
    """Make the vote's ballots exactly `choices` ({actor: choice}), in one step.

    Unchanged ballots are kept (their timestamps say when each was last entered);
    others are updated, added or removed. Returns counts of each. With a `user`, an
    editor enters the ballots of a vote that has none; re-entering is a reviewer's.
    """
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    require_may_change(user, vote)
    valid = set(Ballot.Choice.values)
    bad = sorted({str(c) for c in choices.values() if c not in valid})
    if bad:
        raise ValidationError(
            {"choice": f"Unknown choice(s): {', '.join(bad)}; use {sorted(valid)}."}
        )
    wanted = {actor.pk: choice for actor, choice in choices.items()}
    existing = {b.actor_id: b for b in Ballot.objects.filter(vote=vote)}
    changed = []
    for actor_id, ballot in existing.items():
        choice = wanted.get(actor_id)
        if choice is not None and ballot.choice != choice:
            ballot.choice = choice
            changed.append(ballot)
    new = [
        Ballot(vote=vote, actor_id=a, choice=c)
        for a, c in wanted.items()
        if a not in existing
    ]
    gone = [a for a in existing if a not in wanted]
    Ballot.objects.filter(vote=vote, actor_id__in=gone).delete()
    Ballot.objects.bulk_update(changed, ["choice", "updated_at"])
    Ballot.objects.bulk_create(new)
    if new or changed or gone:
        vote.save(update_fields=["updated_at"])
        signals.vote_set_changed.send(sender=Vote, vote=vote, entity="ballots")
    return {"added": len(new), "changed": len(changed), "removed": len(gone)}


# Treaty actions -----------------------------------------------------------------


def _is_published(action):
    return action.status == Status.PUBLISHED


@transaction.atomic
def treaty_action_create(*, user, treaty, actor, **fields) -> TreatyAction:
    """A new treaty action, always a draft: publishing is treaty_action_publish."""
    if fields.get("status", Status.DRAFT) != Status.DRAFT:
        raise ValidationError({"status": _PUBLISH_REFUSED})
    action = TreatyAction(treaty=treaty, actor=actor)
    set_fields(action, fields)
    action.created_by = action.updated_by = user
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def treaty_action_update(*, action, user, **fields) -> TreatyAction:
    """Edit a treaty action; its status changes only by publish and unpublish."""
    action = TreatyAction.objects.select_for_update().get(pk=action.pk)
    require_may_change(user, action)
    if "status" in fields and fields["status"] != action.status:
        raise ValidationError({"status": _PUBLISH_REFUSED})
    set_fields(action, fields)
    action.updated_by = user
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def treaty_action_publish(*, action, user) -> TreatyAction:
    """Publish a treaty action (it needs a source)."""
    action = TreatyAction.objects.select_for_update().get(pk=action.pk)
    if _is_published(action):
        return action
    action.status = Status.PUBLISHED
    action.updated_by = user
    action.full_clean()
    action.save(update_fields=["status", "updated_by", "updated_at"])
    return action


@transaction.atomic
def treaty_action_unpublish(*, action, user) -> TreatyAction:
    action = TreatyAction.objects.select_for_update().get(pk=action.pk)
    if not _is_published(action):
        return action
    action.status = Status.DRAFT
    action.updated_by = user
    action.save(update_fields=["status", "updated_by", "updated_at"])
    return action


@transaction.atomic
def treaty_action_delete(*, action, user) -> None:
    require_may_change(user, action)
    TreatyAction.objects.filter(pk=action.pk).delete()
