"""The history page of any editable record, and restoring one of its versions.

/desk/history/<entity>/<id>/ lists the record's revisions, newest first, with what
each changed and who made it; a statement's also lists its positions' versions. A
version can be restored (POST) by whoever may change the record, and while it is
published only by a reviewer (states.revisions); the button is shown only to them,
and a restore refused anyway answers 403 with the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from states import history, revisions
from states.models import Position, Revision

VIEW_PERMISSION = "states.view_revision"


def _require_reader(user):
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied("Histories are for editors and reviewers.")


@login_required
def record_history(request, entity, object_id):
    """A record's versions, each with its changes and, when allowed, a restore."""
    _require_reader(request.user)
    if entity not in Revision.Entity.values:
        raise Http404("No such kind of record.")
    return _history_page(request, entity, object_id)


def _history_page(request, entity, object_id, refusal=None):
    """The history page; with `refusal`, that of a restore refused (403). A
    statement's shows its positions' versions too (history.statement_entries)."""
    current = revisions.current_record(entity, object_id)
    if entity == Revision.Entity.STATEMENT:
        entries = history.statement_entries(object_id)
    else:
        entries = history.entries(entity, object_id)
    if current is None and not entries:
        raise Http404("No such record, and no history of one.")
    return render(
        request,
        "desk/history.html",
        {
            "title": history.title(entity, object_id, current),
            "entity": entity,
            "object_id": object_id,
            "exists": current is not None,
            "rows": _rows(request.user, entity, object_id, current, entries),
            "refusal": refusal,
        },
        status=403 if refusal else 200,
    )


def _rows(user, entity, object_id, current, entries):
    """[(entry, restorable by `user`, its record deleted)]: a restore is offered
    only to whoever may make it (revisions.restore_refusal, asked once per record:
    every version of one record is restored under the same rule)."""
    records = {(entity, object_id): current}
    position_ids = {e.revision.object_id for e in entries if e.position}
    if entity != Revision.Entity.POSITION and position_ids:
        found = Position.objects.in_bulk(position_ids)
        records.update({("position", pk): found.get(pk) for pk in position_ids})
    newest = {}
    for entry in entries:  # newest first, with what a publication lists
        for shown in [entry, *(entry.published_with or ())]:
            key = (shown.revision.entity, shown.revision.object_id)
            if newest.get(key, 0) < shown.revision.pk:
                newest[key] = shown.revision.pk
    may = {
        key: revisions.restore_refusal(user, key[0], record) is None
        for key, record in records.items()
    }
    # A deleted statement's positions come back only after it (they need it).
    orphans = entity == Revision.Entity.STATEMENT and current is None
    rows = []
    for entry in entries:
        key = (entry.revision.entity, entry.revision.object_id)
        restorable = (
            may[key]
            and not (orphans and entry.position)
            and _restorable(entry.revision, records[key], newest[key])
        )
        rows.append((entry, restorable, records[key] is None))
    return rows


def _restorable(revision, current, newest):
    """A version worth restoring: not the record as it is now, and not a deleted
    set (its vote is what comes back)."""
    if revision.entity in revisions.SETS:
        return current is not None and revision.pk != newest
    if current is None:
        return True  # deleted: any version brings it back
    return revision.pk != newest


@login_required
@require_POST
def revision_restore(request, pk):
    """Restore a version; back to the record's history (or to the statement's, for
    a position restored there) with what happened."""
    _require_reader(request.user)
    revision = get_object_or_404(Revision, pk=pk)
    try:
        record = revisions.revision_restore(revision=revision, user=request.user)
    except PermissionDenied as error:
        # A restore the page did not offer (a form kept from before, or forged).
        refusal = f"Not restored: {error}"
        return _history_page(request, revision.entity, revision.object_id, refusal)
    except ValidationError as error:
        messages.error(request, "Not restored: " + "; ".join(error.messages))
        return _back(request, revision, revision.object_id)
    object_id = revision.object_id if revision.entity in revisions.SETS else record.pk
    messages.success(
        request, f"Restored the version of {revision.created_at:%-d %b %Y %H:%M}."
    )
    return _back(request, revision, object_id)


def _back(request, revision, object_id):
    """The history the restore was asked from: the statement's, for one of its
    positions' versions restored on its page; else the record's own."""
    statement = request.POST.get("statement", "")
    if (
        revision.entity == Revision.Entity.POSITION
        and statement.isdigit()
        and revision.data.get("statement_id") == int(statement)
    ):
        return redirect("desk:history", Revision.Entity.STATEMENT, int(statement))
    return redirect("desk:history", revision.entity, object_id)
