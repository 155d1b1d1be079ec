"""Reads for the desk: type-ahead of actors, provisions by label as printed, a
statement's page, the review queue."""

from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from provisions.models import Session
from provisions.selectors import latest_labels
from states import history
from states.imports.lookup import ProvisionIndex
from states.models import (
    Actor,
    ChangeProposal,
    Position,
    Revision,
    Statement,
    StatementSource,
    Status,
    TreatyAction,
    Vote,
)
from states.revisions import ENTITY_OF

ACTORS_SUGGESTED = 12


def actor_suggestions(text):
    """Up to a dozen actors whose code, name or alias matches `text`, as dicts: the
    code to type, and the label to show, "Japan (JPN)", with the alias that matched
    when neither name nor code did. (Chromium lists a datalist's option only when
    its value or label holds what was typed: an alias left out of the label hid
    the actor it found.) Codes and names that begin so come first."""
    text = text.strip()
    if not text:
        return []
    actors = (
        Actor.objects.searching(text)
        .order_by("match", "name")
        .prefetch_related("aliases")
    )
    return [
        {
            "code": actor.code,
            "name": actor.name,
            "label": _actor_label(actor, text),
            "aliases": [alias.alias for alias in actor.aliases.all()],
        }
        for actor in actors[:ACTORS_SUGGESTED]
    ]


def _actor_label(actor, text):
    label = f"{actor.name} ({actor.code})"
    typed = text.casefold()
    if typed in label.casefold():
        return label
    matched = [a.alias for a in actor.aliases.all() if typed in a.alias.casefold()]
    return f"{label}, also “{matched[0]}”" if matched else label


def sessions_for_entry():
    """Every session, newest first, with its treaty (for the statement form)."""
    return Session.objects.select_related("treaty").order_by(
        "treaty__short_title", "-number"
    )


def provision_index(treaty):
    """The treaty's provisions by slug, title or label as printed in any draft: the
    import's lookup (states.imports.lookup), so the grid and a file read alike."""
    return ProvisionIndex(treaty)


def provision_suggestions(session, text):
    """Up to a dozen provisions of the session's treaty whose label as printed in any
    draft, slug or title matches `text`, as dicts: what to type (the label in the
    session's numbering when it names the provision alone, else the slug) and what
    to show (that label and the title, and the label typed when another draft
    prints it so)."""
    index = provision_index(session.treaty)
    draft = index.numbering_draft(session)
    text, found = text[:100], []
    for provision, matched in index.suggestions(text, draft):
        label = index.label_of(provision, draft)
        shown = " · ".join(part for part in (label, provision.title) if part)
        if matched is not None and matched.label != label:
            shown += f" ({matched.label} in {matched.draft.title})"
        value = index.typed_as(provision, draft)
        found.append({"value": value, "label": _as_typed(shown, value, text)})
    return found


def _as_typed(shown, value, text):
    """The label, ending with what was typed when neither it nor the value holds
    that already: Chromium lists a datalist's option only when its value or label
    contains what is in the box, so "Art 14" or "Art. 14(3)" found "Article 14"
    and "14(3)" but the browser hid them."""
    typed = text.strip()
    folded = typed.casefold()
    if not typed or folded in shown.casefold() or folded in value.casefold():
        return shown
    return f"{shown} (matches “{typed}”)"


def _first_revision(field):
    """A subquery: `field` of the statement's first revision (who entered it, when
    it has no `created_by`: a bulk load records its first version, by nobody)."""
    first = Revision.objects.filter(
        entity=Revision.Entity.STATEMENT, object_id=OuterRef("pk")
    ).order_by("created_at", "id")
    return Subquery(first.values(field)[:1])


def _last_sent_back_comment():
    """A subquery: the comment the statement was last sent back with, read from its
    history (a revised draft's own comment is cleared)."""
    sent_back = (
        Revision.objects.filter(
            entity=Revision.Entity.STATEMENT,
            object_id=OuterRef("pk"),
            data__has_key="review_comment",
        )
        .exclude(data__review_comment="")
        .order_by("-created_at", "-id")
    )
    return Subquery(sent_back.values("data__review_comment")[:1])


@dataclass(frozen=True)
class PositionLine:
    """A position as the desk lists it: its provision named by the label the latest
    draft prints ("Art. 14(3)"), then its title."""

    position: Position
    label: str  # "" when no draft prints the provision (a proposal, say)

    @property
    def provision_name(self):
        return history.provision_name(self.position.provision.title, self.label)


def position_lines(positions):
    """[PositionLine] of `positions` (with their provisions), labelled in one query
    however many there are: the labels the public pages and the diffs show."""
    positions = list(positions)
    labels = latest_labels({p.provision_id for p in positions}) if positions else {}
    return [PositionLine(p, labels.get(p.provision_id, ("",))[0]) for p in positions]


def _positions_in_order():
    return Position.objects.select_related("provision").order_by(
        "provision__order", "provision_id"
    )


def statement_for_desk():
    """Statements with what their desk page shows, in one query and three prefetches:
    session and treaty, speaker, group, who entered it, other actors and sources."""
    return (
        Statement.objects.select_related(
            "actor", "session__treaty", "on_behalf_of", "created_by"
        )
        .prefetch_related(
            Prefetch("co_signers", queryset=Actor.objects.order_by("name")),
            Prefetch("supporters", queryset=Actor.objects.order_by("name")),
            Prefetch(
                "sources", queryset=StatementSource.objects.order_by("order", "id")
            ),
        )
        .annotate(
            first_action=_first_revision("action"),
            first_username=_first_revision("user__username"),
        )
    )


def statement_positions(statement):
    """The statement's positions in reading order, as PositionLines."""
    return position_lines(_positions_in_order().filter(statement=statement))


def language_name(code):
    """ "English" for "en"; "" for a code Django does not know."""
    return LANG_INFO.get(code.strip().lower(), {}).get("name", "")


@dataclass(frozen=True)
class ReviewDraft:
    """A draft in the review queue, with its positions to check in the row."""

    statement: Statement
    positions: list  # [PositionLine]


def review_queue(limit):
    """Up to `limit` drafts awaiting review, with what a reviewer checks: speaker,
    group, co-signers and supporters, author, sources, verification and each
    position (label, stance, wants); in a fixed number of queries however many
    there are (the two lists of other actors are one query each)."""
    by_name = Actor.objects.order_by("name")
    drafts = list(
        Statement.objects.filter(status=Status.DRAFT)
        .select_related("actor", "on_behalf_of", "session__treaty", "created_by")
        .prefetch_related(
            Prefetch("sources", queryset=StatementSource.objects.order_by("order")),
            Prefetch("co_signers", queryset=by_name),
            Prefetch("supporters", queryset=by_name),
            Prefetch("positions", queryset=_positions_in_order()),
        )
        .annotate(
            first_action=_first_revision("action"),
            first_username=_first_revision("user__username"),
            revised_after=_last_sent_back_comment(),
        )
        .order_by("-updated_at", "-id")[:limit]
    )
    lines = position_lines([p for s in drafts for p in s.positions.all()])
    line_of = {line.position.pk: line for line in lines}
    return [ReviewDraft(s, [line_of[p.pk] for p in s.positions.all()]) for s in drafts]


def split_sent_back(drafts):
    """[ReviewDraft] as (awaiting review, sent back): a draft sent back and not
    revised since waits for its editor, not for a reviewer. Split here, not by a
    second query."""
    awaiting, sent_back = [], []
    for draft in drafts:
        (sent_back if draft.statement.review_comment else awaiting).append(draft)
    return awaiting, sent_back


def pending_proposals():
    return ChangeProposal.objects.filter(
        status=ChangeProposal.Status.PENDING
    ).select_related("proposed_by")


def proposals_by(user):
    """A user's own proposals, newest first (what reviewers answered)."""
    return ChangeProposal.objects.filter(proposed_by=user).select_related(
        "reviewed_by"
    )[:50]


def proposals_about(statement, position_ids=None):
    """Proposals on a statement and on its positions (`position_ids`, read when not
    given), newest first."""
    if position_ids is None:
        position_ids = list(statement.positions.values_list("id", flat=True))
    return (
        ChangeProposal.objects.filter(
            Q(entity=ChangeProposal.Entity.STATEMENT, object_id=statement.pk)
            | Q(entity=ChangeProposal.Entity.POSITION, object_id__in=position_ids)
        )
        .select_related("proposed_by", "reviewed_by")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class ProposalLine:
    """A proposal as the statement's page lists it, named by what it changes."""

    proposal: ChangeProposal
    subject: str  # "change of the statement", "change of the position on Art. 5 …"


def proposal_subject(proposal, line=None):
    """What `proposal` changes, in words; `line` is its position's PositionLine."""
    if proposal.entity == ChangeProposal.Entity.STATEMENT:
        return "change of the statement"
    if line is None:
        return "change of a position no longer on record"
    return f"change of the position on {line.provision_name}"


def statement_proposals(statement, lines):
    """[ProposalLine] of the proposals on `statement` and on its positions (`lines`,
    its PositionLines), newest first, in one query."""
    line_of = {line.position.pk: line for line in lines}
    return [
        ProposalLine(p, proposal_subject(p, line_of.get(p.object_id)))
        for p in proposals_about(statement, position_ids=list(line_of))
    ]


def proposal_named(proposal):
    """What `proposal` changes, in words that name its statement ("the change of the
    statement “…”"): for the message after a reviewer's decision."""
    if proposal.entity == ChangeProposal.Entity.STATEMENT:
        statement = Statement.objects.filter(pk=proposal.object_id).first()
        subject = proposal_subject(proposal)
        return f"the {subject} “{statement}”" if statement else f"the {subject}"
    position = (
        Position.objects.select_related("provision", "statement")
        .filter(pk=proposal.object_id)
        .first()
    )
    if position is None:
        return f"the {proposal_subject(proposal)}"
    subject = proposal_subject(proposal, position_lines([position])[0])
    return f"the {subject} in “{position.statement}”"


def record_history(record):
    """The record's revisions, newest first, each with its field-level changes named
    as readers know them (desk.history)."""
    return history.entries(ENTITY_OF[type(record)], record.pk)


# Formal acts (recorded votes and treaty actions) ----------------------------------

VOTES_LISTED = 100
TREATY_ACTIONS_LISTED = 100


def votes_for_desk():
    """Recorded votes, newest first, with their treaty and number of ballots."""
    return (
        Vote.objects.select_related("treaty")
        .annotate(ballot_count=Count("ballots"))
        .order_by("-date", "-id")[:VOTES_LISTED]
    )


def vote_for_entry(pk):
    """A vote with its treaty and whether it has ballots (public once it has)."""
    return (
        Vote.objects.select_related("treaty")
        .annotate(ballot_count=Count("ballots"))
        .filter(pk=pk)
        .first()
    )


def actors_for_vote_matching():
    """(every actor, the UN member states among them): one query for a preview."""
    actors = list(Actor.objects.all())
    return actors, [a for a in actors if a.kind == Actor.Kind.MEMBER_STATE]


def treaty_actions_for_desk(*, status=None):
    """Treaty actions, the last changed first, with what a list of them shows."""
    actions = TreatyAction.objects.select_related("treaty", "actor", "created_by")
    if status:
        actions = actions.filter(status=status)
    return actions.order_by("-updated_at", "-id")[:TREATY_ACTIONS_LISTED]


def treaty_actions_awaiting_review():
    """Draft treaty actions, for the review queue: what a reviewer checks is on the
    row (actor, step, date, sources, verification, who entered it)."""
    return treaty_actions_for_desk(status=Status.DRAFT)
