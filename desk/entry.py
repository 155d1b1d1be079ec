"""Saving the statement form: a draft statement, its other actors and sources, the
provisions created from the grid and its positions, all in one transaction through
the services — or nothing, with each refusal put beside its field."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from desk import selectors
from provisions import services as provision_services
from provisions.models import Provision, ProvisionText
from states import services
from states.imports.lookup import Ambiguous
from states.models import Statement, StatementSource

LABEL_MAX = ProvisionText._meta.get_field("label").max_length
_PARAGRAPH = re.compile(r"^(?P<article>.+?)\s*\((?P<number>[0-9a-z]+)\)$", re.I)
STATEMENT_FIELDS = (
    "session",
    "date",
    "on_behalf_of",
    "also_for",
    "kind",
    "verification",
    "title",
    "text",
    "language",
    "document_symbol",
    "note",
)
POSITION_FIELDS = ("stance", "wants", "quote", "note")
GRID_REFUSED = "Some rows of the positions grid need attention."


class EntryRefused(Exception):
    """The form holds errors now; nothing was saved."""


def likely_duplicates(*, session, actor, source_urls):
    """Statements of the same session and speaker citing one of the same sources."""
    return Statement.objects.filter(
        session=session, actor=actor, sources__url__in=source_urls
    ).distinct()


def _roles(others):
    co_signers, supporters = [], []
    for row in others:
        actor, role = row.cleaned_data.get("actor"), row.cleaned_data.get("role")
        if actor is not None and role:
            (co_signers if role == "co_signer" else supporters).append(actor)
    return co_signers, supporters


def _sources(sources):
    return [
        {"url": row.cleaned_data["url"], "kind": row.cleaned_data["kind"]}
        for row in sources
        if row.cleaned_data.get("url") and row.cleaned_data.get("kind")
    ]


class Numbering:
    """How the grid reads what an editor types: the treaty's provisions (one lookup,
    the import's) in the numbering of the draft the statement's session follows."""

    def __init__(self, session):
        self.index = selectors.provision_index(session.treaty)
        self.draft = self.index.numbering_draft(session)

    def find(self, text):
        """The provision `text` names, or None; raises Ambiguous."""
        return self.index.provision(text, self.draft)

    def candidates(self, error):
        """An Ambiguous error's provisions, each with the draft that prints it so."""
        return "; ".join(
            f"{t.label} in {t.draft.title} is "
            f"“{self.index.provision_by_id(t.provision_id).title}” "
            f"({self.index.provision_by_id(t.provision_id).slug})"
            for t in error.texts
        )


def _ambiguous(row, numbering, text, error):
    row.add_error(
        "provision",
        f"“{text}” names different provisions in different drafts "
        f"({numbering.candidates(error)}): type the slug or title of the one meant.",
    )


def _new_provision(statement, row, numbering):
    """Create the provision a row names but which does not exist yet; a paragraph
    keeps its label as typed, in the draft whose numbering it follows (the one that
    prints its article so), so the grid finds it by that label next time."""
    treaty = statement.session.treaty
    label, kind = row.cleaned_data["provision"], row.cleaned_data["create_as"]
    title = row.cleaned_data["new_title"] or label
    fields = {"kind": kind, "title": title}
    if kind == Provision.Kind.PARAGRAPH:
        match = _PARAGRAPH.match(label.strip())
        try:
            parent = numbering.find(match["article"]) if match else None
        except Ambiguous as error:
            _ambiguous(row, numbering, match["article"], error)
            return None
        if parent is None:
            row.add_error(
                "provision",
                f"No single article matches “{label}”: type it as printed, e.g. 14(3).",
            )
            return None
        if len(label.strip()) > LABEL_MAX:
            row.add_error("provision", f"A label is at most {LABEL_MAX} characters.")
            return None
        number = match["number"]
        fields.update(
            parent=parent,
            chapter=parent.chapter,
            order=parent.order,
            slug=slugify(f"{parent.slug}-{number}"),
            title=row.cleaned_data["new_title"]
            or f"{parent.title}, paragraph {number}",
            proposition=f"Keep paragraph {number} of “{parent.title}”.",
        )
        provision = provision_services.provision_create(treaty=treaty, **fields)
        _record_label(provision, parent, match["article"], label.strip(), numbering)
        return provision
    fields.update(slug=slugify(title)[:120], proposition=f"Include: {title}"[:400])
    provision = provision_services.provision_create(treaty=treaty, **fields)
    numbering.index.remember(provision)
    return provision


def _record_label(provision, parent, article_label, label, numbering):
    numbering.index.remember(provision)
    draft = numbering.index.draft_printing(parent, article_label, numbering.draft)
    if draft is not None:
        numbering.index.remember_text(
            provision_services.provision_text_create(
                provision=provision, draft=draft, label=label
            )
        )


def _provision_of(statement, row, numbering):
    text = row.cleaned_data["provision"]
    try:
        found = numbering.find(text)
    except Ambiguous as error:
        _ambiguous(row, numbering, text, error)
        return None
    if found is not None:
        return found
    if row.cleaned_data.get("create_as"):
        return _new_provision(statement, row, numbering)
    row.add_error(
        "provision",
        f"No provision is labelled “{text}”; choose to create it, or type its title.",
    )
    return None


def _refusal_to_form(error, form):
    """Put a service's ValidationError beside the fields it names."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            field = name if name in form.fields else None
            for message in errors:
                form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def statement_enter(*, user, form, others, sources, rows):
    """Save the draft; raises EntryRefused after putting errors on the forms."""
    data = form.cleaned_data
    co_signers, supporters = _roles(others)
    source_list = _sources(sources)
    if source_list and not data.get("confirm_duplicate"):
        duplicates = likely_duplicates(
            session=data["session"],
            actor=data["actor"],
            source_urls=[s["url"] for s in source_list],
        )
        if duplicates.exists():
            titles = "; ".join(d.title for d in duplicates[:3])
            form.add_error(
                "confirm_duplicate",
                f"Likely a duplicate of: {titles} (same session, speaker and "
                "source). Tick to save it even so.",
            )
            raise EntryRefused
    try:
        with transaction.atomic():
            statement = services.statement_create(
                user=user,
                actor=data["actor"],
                co_signers=co_signers,
                supporters=supporters,
                sources=source_list,
                **{name: data[name] for name in STATEMENT_FIELDS if name != "note"},
                note=data.get("note", ""),
            )
            _enter_positions(user, statement, rows)
    except ValidationError as error:
        _refusal_to_form(error, form)
        raise EntryRefused from error
    return statement


def position_fields(row):
    """What a grid row says of its position."""
    return {name: row.cleaned_data[name] for name in POSITION_FIELDS}


def grid_rows(statement, rows, numbering):
    """([(row, provision)], refused): the grid's rows that name a provision, once
    each, creating the provisions asked for; a row that names none, several or one
    named already gets its error and is left out (refused is then True)."""
    found, seen, refused = [], set(), False
    for row in rows:
        if not row.has_row():
            continue
        provision = _provision_of(statement, row, numbering)
        if provision is None:
            refused = True
            continue
        if provision.pk in seen:
            row.add_error("provision", "This provision has a row already.")
            refused = True
            continue
        seen.add(provision.pk)
        found.append((row, provision))
    return found, refused


def _enter_positions(user, statement, rows):
    found, refused = grid_rows(statement, rows, Numbering(statement.session))
    for row, provision in found:
        try:
            services.position_create(
                user=user,
                statement=statement,
                provision=provision,
                **position_fields(row),
            )
        except ValidationError as error:
            _refusal_to_form(error, row)
            refused = True
    if refused:
        # Roll back the statement and any provision created: nothing half-saved.
        raise ValidationError(GRID_REFUSED)


class _Rows(list):
    """A list the public partials can read as a related manager (`.all`)."""

    def all(self):
        return self


class StatementPreview:
    """A statement not saved, read as the public pages read one: its speaker, who
    else stood behind it and how, its sources and its positions. Its own fields
    come from an unsaved Statement (for get_kind_display and the like)."""

    def __init__(self, data, *, co_signers, supporters, sources, positions):
        self.statement = Statement(
            **{
                name: data[name]
                for name in STATEMENT_FIELDS
                if data.get(name) not in (None, "")
                and name not in ("session", "on_behalf_of")
            }
        )
        self.actor = data.get("actor")
        self.session = data.get("session")
        self.on_behalf_of = data.get("on_behalf_of")
        self.verification = data.get("verification", "")
        self.co_signers = _Rows(co_signers)
        self.supporters = _Rows(supporters)
        self.sources = _Rows(StatementSource(**source) for source in sources)
        self.positions = positions

    def __getattr__(self, name):
        return getattr(self.statement, name)


def _previewed_position(row, numbering):
    """What the public pages would show of a row: the provision's label in the
    session's numbering and its title, or what was typed and why it is not found."""
    data = row.cleaned_data
    text = data["provision"]
    position = {k: data.get(k, "") for k in ("stance", "wants", "quote")}
    try:
        provision = numbering.find(text) if numbering else None
    except Ambiguous:
        return {**position, "label": text, "problem": "names several provisions"}
    if provision is None:
        problem = "new" if data.get("create_as") else "not found"
        title = data.get("new_title", "")
        return {**position, "label": text, "title": title, "problem": problem}
    label = numbering.index.label_of(provision, numbering.draft)
    return {**position, "label": label, "title": provision.title}


def statement_preview(*, form, others, sources, rows):
    """The statement as the public pages would read it, from whatever of the form is
    valid so far (a half-filled form previews its half); nothing is written."""
    data = form.cleaned_data
    co_signers, supporters = _roles(
        row for row in others if hasattr(row, "cleaned_data")
    )
    session = data.get("session")
    numbering = Numbering(session) if session is not None else None
    positions = [
        _previewed_position(row, numbering)
        for row in rows
        if getattr(row, "cleaned_data", None) and row.has_row()
    ]
    return StatementPreview(
        data,
        co_signers=co_signers,
        supporters=supporters,
        sources=_sources(row for row in sources if hasattr(row, "cleaned_data")),
        positions=positions,
    )
