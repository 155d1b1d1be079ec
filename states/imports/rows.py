"""One row of a positions file, checked and resolved: the statement it belongs to and
the position it records, or the issues that stop it, each naming its column."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from states import stances
from states.imports.columns import STATEMENT_KEY
from states.imports.lookup import Ambiguous
from states.models import Position, Statement, StatementSource, Verification

DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y")
DEFAULTS = {
    "kind": Statement.Kind.ORAL,
    "source_kind": StatementSource.Kind.OFFICIAL_RECORD,
    # An imported statement is unverified until the file says otherwise.
    "verification": Verification.UNVERIFIED,
    "language": "en",
}
_FREE_TEXT = (
    "also_for",
    "title",
    "text",
    "source_url",
    "document_symbol",
    "statement_note",
    "wants",
    "quote",
    "note",
)
# The model fields a row sets, and the column each comes from.
_STATEMENT_FIELDS = {
    "also_for": "also_for",
    "kind": "kind",
    "title": "title",
    "text": "text",
    "source_url": "source_url",
    "verification": "verification",
    "language": "language",
    "document_symbol": "document_symbol",
    "note": "statement_note",
}
_POSITION_FIELDS = {name: name for name in ("stance", "wants", "quote", "note")}
# Sources are separated by new lines, or by ';' before the next address (an address
# may hold a ';' of its own).
_SOURCE_SEPARATOR = re.compile(r"\s*(?:\n|;(?=\s*[a-z][a-z0-9+.-]*://))\s*", re.I)
_SOURCE_KIND = re.compile(r"^(?P<url>.*?)\s*\((?P<kind>[^()]*)\)$")


@dataclass
class Issue:
    """What stops the import: at a row and column, or of the whole file (None)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return (
            f"{', '.join(where).capitalize()}: {self.message}"
            if where
            else (self.message)
        )


@dataclass
class Row:
    """A row's resolved values: statement fields (by column) and position fields."""

    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)  # names no actor or group has

    def refuse(self, column, message):
        self.issues.append(Issue(self.number, column, message))

    def key(self):
        """The statement this row belongs to (issue 12's five columns)."""
        return tuple(_key_part(self.values.get(column)) for column in STATEMENT_KEY)


def _key_part(value):
    return getattr(value, "pk", value)


def date_range(start, end):
    """ "29 Jan–9 Feb 2024"; the years both shown when they differ."""
    if start.year == end.year:
        return f"{start:%-d %b}–{end:%-d %b %Y}"
    return f"{start:%-d %b %Y}–{end:%-d %b %Y}"


def _choice(row, column, text, values, labels=None):
    """A choice's value from its value or label (any case), or a refusal."""
    if not text:
        return DEFAULTS.get(column)
    wanted = text.strip().lower().replace(" ", "_")
    for value in values:
        label = (labels or {}).get(value, value)
        if wanted in (value, label.lower().replace(" ", "_")):
            return value
    row.refuse(column, f"“{text}” is not allowed; use one of: {', '.join(values)}.")
    return None


def _parse_date(text):
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, form).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


class RowReader:
    """Checks rows against one treaty's TreatyIndex."""

    def __init__(self, index, columns):
        self.index = index
        self.columns = set(columns)

    def read(self, number, raw):
        row = Row(number=number, raw=raw)
        values = row.values
        values["session"] = self._session(row, raw["session"])
        values["date"] = self._date(row, raw.get("date", ""), values["session"])
        values["speaker"] = self._actor(row, "speaker", raw["speaker"], required=True)
        for column in ("co_signers", "supporters"):
            values[column] = self._actors(row, column, raw.get(column, ""))
        values["on_behalf_of"] = self._group(row, raw.get("on_behalf_of", ""))
        for column in _FREE_TEXT:
            values[column] = raw.get(column, "")
        values["kind"] = _choice(row, "kind", raw.get("kind"), Statement.Kind.values)
        values["source_kind"] = _choice(
            row, "source_kind", raw.get("source_kind"), StatementSource.Kind.values
        )
        values["verification"] = _choice(
            row, "verification", raw.get("verification"), Verification.values
        )
        values["more_sources"] = self._more_sources(row, raw.get("more_sources", ""))
        values["language"] = raw.get("language") or DEFAULTS["language"]
        if raw["provision"] or raw["stance"]:
            values["provision"] = self._provision(row, raw["provision"])
            values["stance"] = self._stance(row, raw["stance"])
        else:
            # The row records the statement alone: it takes no position.
            values["provision"] = values["stance"] = None
        if not raw["title"]:
            row.refuse("title", "The title is required.")
        self._roles(row)
        self._field_limits(row)
        return row

    def _session(self, row, text):
        try:
            number = int(text)
        except ValueError:
            number = None
        session = self.index.sessions.get(number)
        if session is None:
            known = ", ".join(str(n) for n in sorted(self.index.sessions)) or "none"
            what = f"session {text}" if text else "an empty session"
            row.refuse(
                "session",
                f"{self.index.treaty.short_title or self.index.treaty.title} has no "
                f"{what}; its sessions are: {known}.",
            )
        return session

    def _date(self, row, text, session):
        if not text:
            return None
        day = _parse_date(text)
        if day is None:
            row.refuse("date", f"“{text}” is not a date; write it as 2024-02-05.")
            return None
        if session and not session.start_date <= day <= session.end_date:
            row.refuse(
                "date",
                f"{day:%-d %b %Y} is outside session {session.number}'s dates "
                f"{date_range(session.start_date, session.end_date)}.",
            )
        return day

    def _actor(self, row, column, name, required=False):
        if not name:
            if required:
                row.refuse(column, "The speaker is required.")
            return None
        actor = self.index.actor(name)
        if actor is None:
            row.unmatched.append(name)
            row.refuse(
                column,
                f"No actor is called “{name}” (by code, name or alias): use its "
                "code, or add the name as an alias of the actor.",
            )
        return actor

    def _actors(self, row, column, text):
        actors = {}
        for name in (part.strip() for part in text.split(";")):
            actor = self._actor(row, column, name) if name else None
            if actor is not None:
                actors[actor.pk] = actor
        return tuple(actors[pk] for pk in sorted(actors))

    def _group(self, row, text):
        if not text:
            return None
        group = self.index.group(text)
        if group is None:
            row.unmatched.append(text)
            row.refuse("on_behalf_of", f"No group has the slug or name “{text}”.")
        return group

    def _more_sources(self, row, text):
        """((url, kind), ...) of the sources after the first, each checked."""
        sources, seen = [], {row.values["source_url"]}
        for part in _SOURCE_SEPARATOR.split(text.strip()) if text.strip() else ():
            match = _SOURCE_KIND.match(part)
            url, kind_text = (match["url"], match["kind"]) if match else (part, "")
            kind = (
                _choice(row, "more_sources", kind_text, StatementSource.Kind.values)
                or (row.values["source_kind"])
            )
            if not row.values["source_url"]:
                row.refuse("more_sources", "Further sources need a source_url first.")
                return ()
            if url in seen:
                row.refuse("more_sources", f"{url} is listed twice.")
                continue
            seen.add(url)
            try:
                StatementSource(url=url, kind=kind).clean_fields(exclude=["statement"])
            except ValidationError as error:
                for message in error.messages:
                    row.refuse("more_sources", f"{url}: {message}")
                continue
            sources.append((url, kind))
        return tuple(sources)

    def _provision(self, row, text):
        if not text:
            row.refuse("provision", "The provision is required.")
            return None
        try:
            provision = self.index.provision(text)
        except Ambiguous as error:
            named = "; ".join(
                f"{t.label} in {t.draft.title} is "
                f"{self.index.provision_by_id(t.provision_id).slug}"
                for t in error.texts
            )
            row.refuse(
                "provision",
                f"“{text}” names different provisions in different drafts ({named}): "
                "use the slug.",
            )
            return None
        if provision is None:
            row.refuse(
                "provision",
                f"Unknown provision “{text}”: use a slug, a title, or a label as "
                "printed in a draft of this treaty.",
            )
        return provision

    def _stance(self, row, text):
        if not text:
            row.refuse(
                "stance", f"The stance is required: one of {', '.join(stances.ORDER)}."
            )
            return None
        return _choice(row, "stance", text, stances.ORDER, stances.LABELS)

    def _roles(self, row):
        values = row.values
        speaker = values["speaker"]
        co_signers = {a.pk for a in values["co_signers"]}
        supporters = {a.pk for a in values["supporters"]}
        if speaker is not None and speaker.pk in co_signers | supporters:
            column = "co_signers" if speaker.pk in co_signers else "supporters"
            row.refuse(column, f"{speaker.name} is the speaker; list it only there.")
        for pk in co_signers & supporters:
            name = next(a.name for a in values["co_signers"] if a.pk == pk)
            row.refuse("supporters", f"{name} is a co-signer already; list it once.")

    def _field_limits(self, row):
        """The models' own field checks (lengths, URLs), without queries."""
        values = row.values
        statement = Statement(**{f: values[c] for f, c in _STATEMENT_FIELDS.items()})
        position = Position(**{f: values[c] or "" for f, c in _POSITION_FIELDS.items()})
        for record, columns in (
            (statement, _STATEMENT_FIELDS),
            (position, _POSITION_FIELDS),
        ):
            # Empty texts are the required checks' business (a later row of a
            # statement may leave its text empty).
            exclude = [
                f.name
                for f in record._meta.fields
                if f.name not in columns or values.get(columns[f.name]) == ""
            ]
            try:
                record.clean_fields(exclude=exclude)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    if values.get(columns[name]) is None:
                        continue  # refused above already
                    for message in messages:
                        row.refuse(columns[name], message)
