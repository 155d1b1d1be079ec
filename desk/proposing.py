"""The desk's proposal of a change to a published statement: the entry form's fields
and formsets (other actors, sources) filled with the statement as it is, positions
to add and to remove; held as one change proposal (states.proposals), or refused
with each reason beside its field.

A post that leaves out a field or a whole formset keeps that part as published, so
a short post ("title" alone) proposes only what it names.
"""

from django.core.exceptions import ValidationError
from django.http import QueryDict

from desk import entry, forms
from states import proposals
from states.imports.lookup import Ambiguous

# Formsets of the proposal form, by prefix.
FORMSETS = {
    "others": forms.OtherActorFormSet,
    "sources": forms.SourceFormSet,
    "added": forms.NewPositionFormSet,
}
# Where a service's refusal is shown: a formset's, or the form's field.
_FORMSET_OF = {
    "co_signers": "others",
    "supporters": "others",
    "sources": "sources",
    "source_url": "sources",
    "positions_added": "added",
}
_FIELD_OF = {"positions_removed": "remove_positions"}


class ProposalRefused(Exception):
    """The forms hold errors now; nothing was proposed."""


def _initial(statement):
    """The statement as the proposal form's initial values."""
    form = {
        "session": statement.session_id,
        "date": statement.date,
        "actor": statement.actor.code,
        "on_behalf_of": statement.on_behalf_of_id,
        **{
            name: getattr(statement, name)
            for name in entry.STATEMENT_FIELDS
            if name not in ("session", "date", "on_behalf_of")
        },
    }
    others = [
        {"actor": a.code, "role": "co_signer"} for a in statement.co_signers.all()
    ] + [{"actor": a.code, "role": "supporter"} for a in statement.supporters.all()]
    sources = proposals.sources_of(statement)
    return {"form": form, "others": others, "sources": sources, "added": []}


def _as_post(initial):
    """The initial values as a post would send them (formsets with their counts)."""
    data = QueryDict(mutable=True)
    for name, value in initial["form"].items():
        data[name] = "" if value is None else value
    for prefix in FORMSETS:
        rows = initial[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def _merged(post, initial):
    """The post over the statement as published: what it leaves out is kept."""
    data = _as_post(initial)
    for prefix in FORMSETS:
        if f"{prefix}-TOTAL_FORMS" in post:
            for key in [k for k in data if k.startswith(f"{prefix}-")]:
                del data[key]
    for key in post:
        data.setlist(key, post.getlist(key))
    return data


def proposal_forms(statement, post=None):
    """(form, {prefix: formset}) for proposing a change of `statement`; bound to
    `post` over the statement's values when given."""
    initial = _initial(statement)
    data = None if post is None else _merged(post, initial)
    form = forms.ProposeStatementForm(
        data, initial=initial["form"], statement=statement
    )
    # Rows are compared with their initial values only to be shown: a bound row
    # that repeats the published value is still the value proposed.
    formsets = {
        prefix: formset(data, prefix=prefix, initial=None if data else initial[prefix])
        for prefix, formset in FORMSETS.items()
    }
    return form, formsets


def _positions_added(session, rows):
    """[{provision, stance, wants, quote, note}] of the rows that name a provision,
    read as the entry grid reads them (the session's draft numbering); a row naming
    none or several gets the error beside it."""
    numbering = entry.Numbering(session)
    added, refused = [], False
    for row in rows:
        if not row.has_row():
            continue
        text = row.cleaned_data["provision"]
        try:
            provision = numbering.find(text)
        except Ambiguous as error:
            entry._ambiguous(row, numbering, text, error)
            refused = True
            continue
        if provision is None:
            row.add_error("provision", f"No provision is labelled or titled “{text}”.")
            refused = True
            continue
        fields = {k: row.cleaned_data[k] for k in ("stance", "wants", "quote", "note")}
        added.append({"provision": provision, **fields})
    if refused:
        raise ProposalRefused
    return added


def _fields(form, formsets):
    data = form.cleaned_data
    co_signers, supporters = entry._roles(formsets["others"])
    return {
        **{name: data[name] for name in entry.STATEMENT_FIELDS},
        "actor": data["actor"],
        "co_signers": co_signers,
        "supporters": supporters,
        "sources": entry._sources(formsets["sources"]),
        "positions_added": _positions_added(data["session"], formsets["added"]),
        "positions_removed": list(data["remove_positions"]),
    }


def _refusal_to_forms(error, form, formsets):
    """Put a refusal beside the field or formset it names."""
    by_name = getattr(error, "message_dict", {None: error.messages})
    for name, messages in by_name.items():
        key = _FIELD_OF.get(name, name.removesuffix("_id") if name else None)
        prefix = _FORMSET_OF.get(name)
        for message in messages:
            if prefix is not None:
                formsets[prefix].non_form_errors().append(message)
            else:
                form.add_error(key if key in form.fields else None, message)


def statement_propose(*, user, statement, form, formsets):
    """Hold the forms' change of `statement` as a proposal; raises ProposalRefused
    after putting the errors on the forms."""
    valid = form.is_valid() & all(f.is_valid() for f in formsets.values())
    if not valid:
        raise ProposalRefused
    try:
        return proposals.change_propose(
            user=user, record=statement, **_fields(form, formsets)
        )
    except ValidationError as error:
        _refusal_to_forms(error, form, formsets)
        raise ProposalRefused from error
