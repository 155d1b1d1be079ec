"""Carrying out a plan through the services: one transaction, drafts unless the
import publishes, every record attributed to the importing user (its revisions
follow), and the matrix marked stale once."""

from states import services
from states.imports.plan import CREATE, UPDATE, statement_fields
from states.models import Status

# The position fields a plan may set; "status" is the publish step's, not an edit.
_EDITED = ("stance", "wants", "quote", "note")


def _sources(values, existing=None):
    """The statement's sources with the file's source first, its kind as given."""
    if not values["source_url"]:
        return None
    first = {"url": values["source_url"], "kind": values["source_kind"]}
    rest = [
        {"url": s.url, "kind": s.kind}
        for s in getattr(existing, "source_list", ())
        if s.url != first["url"]
    ]
    return [first, *rest]


def _apply_statement(plan, user):
    values = plan.values
    if plan.action == CREATE:
        return services.statement_create(
            user=user,
            session=values["session"],
            actor=values["speaker"],
            co_signers=values["co_signers"],
            supporters=values["supporters"],
            sources=_sources(values),
            **statement_fields(values),
        )
    statement = plan.existing
    edits = [name for name in plan.changes if name != "status"]
    if plan.action == UPDATE and edits:
        fields = statement_fields(values)
        statement = services.statement_update(
            statement=statement,
            user=user,
            co_signers=values["co_signers"] if "co_signers" in edits else None,
            supporters=values["supporters"] if "supporters" in edits else None,
            sources=_sources(values, statement) if "source_kind" in edits else None,
            **{
                name: fields[name]
                for name in edits
                if name not in ("co_signers", "supporters", "source_kind")
            },
        )
    return statement


def _apply_position(statement, position, user):
    if position.action == CREATE:
        return services.position_create(
            user=user,
            statement=statement,
            provision=position.provision,
            **position.fields,
        )
    record = position.existing
    edits = {n: position.fields[n] for n in position.changes if n in _EDITED}
    if position.action == UPDATE and edits:
        record = services.position_update(position=record, user=user, **edits)
    return record


def apply_plans(report, *, user):
    """Write the report's plans; the caller holds the transaction."""
    with services.matrix_marks_deferred():
        for plan in report.statements:
            statement = _apply_statement(plan, user)
            positions = [
                _apply_position(statement, position, user)
                for position in plan.positions
            ]
            if not report.publish:
                continue
            if statement.status != Status.PUBLISHED:
                statement = services.statement_publish(statement=statement, user=user)
            for position in positions:
                if position.status != Status.PUBLISHED:
                    services.position_publish(position=position, user=user)
    report.applied = True
