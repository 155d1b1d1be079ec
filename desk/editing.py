"""Editing a draft on the desk: the entry form filled with the draft, saved over it in
one transaction through the services — the statement's changed fields, actors and
sources, its positions added, changed and removed, provisions created from the
grid — or nothing, with each refusal beside its field.

A published statement is not edited: an editor proposes a change of it
(desk.proposing), which a reviewer accepts.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from desk import entry
from states import proposals, services
from states.models import Statement, Status

EDIT_PERMISSION = "states.change_statement"
ANY_DRAFT_PERMISSION = "states.publish_statement"  # reviewers edit every draft
PUBLISHED_MEANWHILE = (
    "This statement was published meanwhile: propose your change from its page."
)


class Published(Exception):
    """The statement is published: it is changed by a proposal, not edited."""


def require_may_edit(user, statement):
    """Raise PermissionDenied unless `user` may edit the draft `statement` (its own
    editor, or any reviewer); Published when it is published."""
    if not user.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("Editing drafts is for editors and reviewers.")
    if statement.status != Status.DRAFT:
        raise Published
    if statement.created_by_id != user.pk and not user.has_perm(ANY_DRAFT_PERMISSION):
        raise PermissionDenied("Only its own editor or a reviewer edits this draft.")


def may_edit(user, statement):
    try:
        require_may_edit(user, statement)
    except (PermissionDenied, Published):
        return False
    return True


def grid_initial(statement):
    """The draft's positions as grid rows, each provision named as the grid reads
    it back (its label in the session's numbering when that names it alone, else
    its slug), in the order they were entered."""
    numbering = entry.Numbering(statement.session)
    return [
        {
            "provision": numbering.index.typed_as(
                numbering.index.provision_by_id(p.provision_id), numbering.draft
            ),
            **{name: getattr(p, name) for name in entry.POSITION_FIELDS},
        }
        for p in statement.positions.order_by("pk")
    ]


def _differs(record, name, value):
    """Whether `value` differs from the record's `name` (a related record by id,
    so comparing reads nothing)."""
    field = record._meta.get_field(name)
    if field.is_relation:
        return getattr(record, field.attname) != getattr(value, "pk", None)
    return getattr(record, name) != value


def _statement_changes(statement, form, others, sources):
    """The fields, actors and sources the forms change, as statement_update takes
    them (what is unchanged is left out, so the history shows only the edit)."""
    data = form.cleaned_data
    wanted = {name: data.get(name, "") for name in entry.STATEMENT_FIELDS}
    wanted["actor"] = data["actor"]
    changes = {
        name: value
        for name, value in wanted.items()
        if _differs(statement, name, value)
    }
    co_signers, supporters = entry._roles(others)
    if {a.pk for a in co_signers} != {a.pk for a in statement.co_signers.all()}:
        changes["co_signers"] = co_signers
    if {a.pk for a in supporters} != {a.pk for a in statement.supporters.all()}:
        changes["supporters"] = supporters
    source_list = entry._sources(sources)
    if source_list != proposals.sources_of(statement):
        changes["sources"] = source_list
    if statement.review_comment:
        # Revised after it was sent back: a normal draft in the queue again (the
        # comment stays in its history, and the queue shows what was asked).
        changes["review_comment"] = ""
    return changes


def _revise_positions(user, statement, rows):
    """Create, change and remove the draft's positions as the grid says: a row
    on a provision the draft has a position on changes that position; one on a
    provision it has none on adds one; a position no row names is removed."""
    numbering = entry.Numbering(statement.session)
    found, refused = entry.grid_rows(statement, rows, numbering)
    existing = {p.provision_id: p for p in statement.positions.all()}
    writes = []  # (position or None, row, provision, fields)
    for row, provision in found:
        position = existing.pop(provision.pk, None)
        fields = entry.position_fields(row)
        if position is not None:
            fields = {k: v for k, v in fields.items() if getattr(position, k) != v}
            if not fields:
                continue
        writes.append((position, row, provision, fields))
    # Changes and removals in id order, as every writer locks rows of one table.
    for position in sorted(existing.values(), key=lambda p: p.pk):
        services.position_delete(position=position, user=user)
    writes.sort(key=lambda w: (w[0] is None, w[0].pk if w[0] else 0))
    for position, row, provision, fields in writes:
        try:
            if position is None:
                services.position_create(
                    user=user, statement=statement, provision=provision, **fields
                )
            else:
                services.position_update(position=position, user=user, **fields)
        except ValidationError as error:
            entry._refusal_to_form(error, row)
            refused = True
    if refused:
        raise ValidationError(entry.GRID_REFUSED)


def statement_revise(*, user, statement, form, others, sources, rows):
    """Save the forms over the draft `statement`; raises EntryRefused after putting
    the errors on the forms (nothing is saved then)."""
    try:
        with transaction.atomic():
            # Locked first: a reviewer publishing it now waits, and then this edit
            # is refused rather than changing what was just published.
            draft = (
                Statement.objects.select_for_update(of=("self",))
                .select_related("session__treaty")
                .get(pk=statement.pk)
            )
            require_may_edit(user, draft)
            changes = _statement_changes(draft, form, others, sources)
            if changes:
                draft = services.statement_update(statement=draft, user=user, **changes)
            _revise_positions(user, draft, rows)
    except Published as error:
        form.add_error(None, PUBLISHED_MEANWHILE)
        raise entry.EntryRefused from error
    except PermissionDenied as error:
        form.add_error(None, str(error))
        raise entry.EntryRefused from error
    except ValidationError as error:
        entry._refusal_to_form(error, form)
        raise entry.EntryRefused from error
    return draft
