"""From checked rows to a plan: the statements and positions a file would create,
update or leave unchanged, compared with the record in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from states import stances
from states.imports.columns import STATEMENT_COLUMNS, STATEMENT_KEY
from states.imports.rows import Issue
from states.models import Position, Statement, StatementSource, Status

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTIONS = (CREATE, UPDATE, UNCHANGED)
PUBLISH_PERMISSION = "states.publish_statement"
# Statement columns compared with a statement on record, and the model field each
# sets ("co_signers" and "supporters" are sets of actors; "source_kind" is the kind
# of the first source, "more_sources" the sources after it).
_COMPARED = {
    "on_behalf_of": "on_behalf_of_id",
    "also_for": "also_for",
    "kind": "kind",
    "text": "text",
    "verification": "verification",
    "language": "language",
    "document_symbol": "document_symbol",
    "statement_note": "note",
}
_POSITION_COMPARED = ("stance", "wants", "quote", "note")
_INHERITED = tuple(c for c in STATEMENT_COLUMNS if c not in STATEMENT_KEY)


@dataclass
class PositionPlan:
    row: int
    provision: object
    fields: dict
    action: str = CREATE
    existing: Position | None = None
    changes: list = field(default_factory=list)

    @property
    def stance_label(self):
        return stances.LABELS[self.fields["stance"]]

    @property
    def done(self):
        return _done(self.action)


@dataclass
class StatementPlan:
    rows: list
    values: dict  # the first row's resolved values, by column
    action: str = CREATE
    existing: Statement | None = None
    changes: list = field(default_factory=list)
    positions: list = field(default_factory=list)

    @property
    def row(self):
        return self.rows[0]

    @property
    def done(self):
        return _done(self.action)


@dataclass
class ImportReport:
    """What an import did, or would do: plans, issues and the names matched to none."""

    treaty: object
    columns: list
    publish: bool
    statements: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self):
        return not self.issues

    @property
    def counts(self):
        statements = Counter(plan.action for plan in self.statements)
        positions = Counter(
            p.action for plan in self.statements for p in plan.positions
        )
        return {
            "statements": {action: statements[action] for action in ACTIONS},
            "positions": {action: positions[action] for action in ACTIONS},
        }

    def counts_line(self):
        counts = self.counts
        return "; ".join(
            f"{what}: " + ", ".join(f"{counts[what][a]} {_done(a)}" for a in ACTIONS)
            for what in ("statements", "positions")
        )


def _done(action):
    return {CREATE: "created", UPDATE: "updated", UNCHANGED: "unchanged"}[action]


def _ids(actors):
    return {actor.pk for actor in actors}


def _group_rows(rows, issues):
    """Rows by statement: the first row of each gives its fields; later rows may
    leave a statement column empty or must repeat the first row's value."""
    groups = {}
    for row in rows:
        if row.values["session"] is None or row.values["speaker"] is None:
            continue
        first = groups.setdefault(row.key(), [row])[0]
        if first is row:
            if not row.raw.get("text"):
                issues.append(
                    Issue(
                        row.number,
                        "text",
                        "The text is required in the first row of a statement.",
                    )
                )
            continue
        groups[row.key()].append(row)
        for column in _INHERITED:
            if row.raw.get(column) and row.values[column] != first.values[column]:
                issues.append(
                    Issue(
                        row.number,
                        column,
                        f"“{row.raw[column]}” differs from row {first.number}, where "
                        "this statement starts (same session, speaker, date, source "
                        "and title): leave it empty or repeat that row's value.",
                    )
                )
    return groups


def _existing_statements(groups):
    """{key: [statement]} of the record's statements with the keys of `groups`."""
    sessions = {rows[0].values["session"].pk for rows in groups.values()}
    speakers = {rows[0].values["speaker"].pk for rows in groups.values()}
    if not groups:
        return {}
    found = {}
    statements = Statement.objects.filter(
        session_id__in=sessions, actor_id__in=speakers
    ).prefetch_related(
        Prefetch("co_signers", to_attr="co_signer_list"),
        Prefetch("supporters", to_attr="supporter_list"),
        Prefetch(
            "sources",
            queryset=StatementSource.objects.order_by("order", "id"),
            to_attr="source_list",
        ),
        Prefetch("positions", to_attr="position_list"),
    )
    for statement in statements:
        key = (
            statement.session_id,
            statement.actor_id,
            statement.date,
            statement.source_url,
            statement.title,
        )
        found.setdefault(key, []).append(statement)
    return found


def _statement_changes(plan, columns, publish):
    """The fields of the statement on record the file changes."""
    existing, values = plan.existing, plan.values
    changes = [
        column
        for column, attname in _COMPARED.items()
        if column in columns
        and getattr(existing, attname) != getattr(values[column], "pk", values[column])
    ]
    if "co_signers" in columns and _ids(existing.co_signer_list) != _ids(
        values["co_signers"]
    ):
        changes.append("co_signers")
    if "supporters" in columns and _ids(existing.supporter_list) != _ids(
        values["supporters"]
    ):
        changes.append("supporters")
    first = existing.source_list[0] if existing.source_list else None
    if (
        "source_kind" in columns
        and first is not None
        and first.kind != values["source_kind"]
    ):
        changes.append("source_kind")
    if "more_sources" in columns and _more_sources(existing) != values["more_sources"]:
        changes.append("more_sources")
    if publish and existing.status != Status.PUBLISHED:
        changes.append("status")
    return changes


def _more_sources(statement):
    return tuple((s.url, s.kind) for s in statement.source_list[1:])


def _position_plans(plan, rows, columns, publish, issues):
    on_record = {p.provision_id: p for p in getattr(plan.existing, "position_list", ())}
    seen = {}
    for row in rows:
        provision = row.values["provision"]
        if provision is None or row.values["stance"] is None:
            continue
        if provision.pk in seen:
            issues.append(
                Issue(
                    row.number,
                    "provision",
                    f"{provision.title} has a row in this statement already (row "
                    f"{seen[provision.pk]}): one position per provision.",
                )
            )
            continue
        seen[provision.pk] = row.number
        fields = {"stance": row.values["stance"]}
        fields.update(
            (name, row.values[name])
            for name in _POSITION_COMPARED[1:]
            if name in columns
        )
        position = PositionPlan(row=row.number, provision=provision, fields=fields)
        existing = on_record.get(provision.pk)
        if existing is not None:
            position.existing = existing
            position.changes = [
                name
                for name, value in fields.items()
                if getattr(existing, name) != value
            ]
            if publish and existing.status != Status.PUBLISHED:
                position.changes.append("status")
            position.action = UPDATE if position.changes else UNCHANGED
        plan.positions.append(position)


def _locked(plan, may_change_published, issues):
    """Editors change no published record (they propose changes on the desk)."""
    if may_change_published:
        return
    existing = plan.existing
    if plan.action == UPDATE and existing.status == Status.PUBLISHED:
        issues.append(
            Issue(
                plan.row,
                plan.changes[0],
                f"Statement {existing.pk} (“{existing.title}”) is published; only a "
                "reviewer can change it: propose the change on the desk instead.",
            )
        )
    for position in plan.positions:
        if position.action == UPDATE and position.existing.status == Status.PUBLISHED:
            issues.append(
                Issue(
                    position.row,
                    position.changes[0],
                    f"The position on {position.provision.title} is published; only "
                    "a reviewer can change it.",
                )
            )


def plan_statements(report, rows, *, user):
    """Fill `report` with the plans of `rows` (checked Rows) and their issues."""
    columns = set(report.columns)
    groups = _group_rows(rows, report.issues)
    on_record = _existing_statements(groups)
    may_change_published = user is None or user.has_perm(PUBLISH_PERMISSION)
    for key, group in groups.items():
        plan = StatementPlan(rows=[row.number for row in group], values=group[0].values)
        matches = on_record.get(key, [])
        if len(matches) > 1:
            ids = ", ".join(str(s.pk) for s in matches)
            report.issues.append(
                Issue(
                    plan.row,
                    "title",
                    f"Statements {ids} on record have this session, speaker, date, "
                    "source and title: merge them on the desk first.",
                )
            )
        elif matches:
            plan.existing = matches[0]
            plan.changes = _statement_changes(plan, columns, report.publish)
            plan.action = UPDATE if plan.changes else UNCHANGED
        if report.publish and not plan.values["source_url"]:
            report.issues.append(
                Issue(plan.row, "source_url", "A published statement needs a source.")
            )
        _position_plans(plan, group, columns, report.publish, report.issues)
        _locked(plan, may_change_published, report.issues)
        report.statements.append(plan)


# The service keyword of each statement column a statement's fields come from.
STATEMENT_KEYWORDS = {
    "date": "date",
    "on_behalf_of": "on_behalf_of",
    "also_for": "also_for",
    "kind": "kind",
    "verification": "verification",
    "language": "language",
    "document_symbol": "document_symbol",
    "statement_note": "note",
    "title": "title",
    "text": "text",
}


def statement_fields(values, columns=STATEMENT_KEYWORDS):
    """The service keywords of a statement from its first row's values, for the
    statement `columns` given (all of them for a new statement)."""
    return {STATEMENT_KEYWORDS[c]: values[c] for c in columns}
