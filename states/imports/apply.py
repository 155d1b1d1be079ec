"""Carrying out a plan through the services: one transaction, drafts unless the
import publishes, every record attributed to the importing user (its revisions
follow), and the matrix marked stale once."""

from states import services
from states.imports.plan import CREATE, UPDATE, statement_fields
from states.models import Status

# The position fields a plan may set; "status" is the publish step's, not an edit.
_EDITED = ("stance", "wants", "quote", "note")


def _sources(values, columns, existing=None):
    """The statement's sources with the file's source first, its kind as given;
    then the file's further sources, or (without that column) the record's."""
    if not values["source_url"]:
        return None
    first = {"url": values["source_url"], "kind": values["source_kind"]}
    if "more_sources" in columns:
        rest = [{"url": url, "kind": kind} for url, kind in values["more_sources"]]
    else:
        rest = [
            {"url": s.url, "kind": s.kind}
            for s in getattr(existing, "source_list", ())
            if s.url != first["url"]
        ]
    return [first, *rest]


# Statement columns set through the service's own arguments, not as fields.
_RELATIONS = ("co_signers", "supporters", "source_kind", "more_sources")


def _apply_statement(plan, columns, user, publish):
    values = plan.values
    if plan.action == CREATE:
        # Published as it is created when the import publishes (see positions).
        status = {"status": Status.PUBLISHED} if publish else {}
        return services.statement_create(
            user=user,
            session=values["session"],
            actor=values["speaker"],
            co_signers=values["co_signers"],
            supporters=values["supporters"],
            sources=_sources(values, columns),
            **statement_fields(values),
            **status,
        )
    statement = plan.existing
    edits = [name for name in plan.changes if name != "status"]
    if plan.action == UPDATE and edits:
        resourced = {"source_kind", "more_sources"} & set(edits)
        statement = services.statement_update(
            statement=statement,
            user=user,
            co_signers=values["co_signers"] if "co_signers" in edits else None,
            supporters=values["supporters"] if "supporters" in edits else None,
            sources=_sources(values, columns, statement) if resourced else None,
            **statement_fields(values, [n for n in edits if n not in _RELATIONS]),
        )
    if publish and statement.status != Status.PUBLISHED:
        statement = services.statement_publish(statement=statement, user=user)
    return statement


def _apply_position(statement, position, user, publish):
    if position.action == CREATE:
        # Published as it is created when the import publishes (its statement is
        # published by then): one write, not a draft and then its publication.
        status = {"status": Status.PUBLISHED} if publish else {}
        return services.position_create(
            user=user,
            statement=statement,
            provision=position.provision,
            **position.fields,
            **status,
        )
    record = position.existing
    edits = {n: position.fields[n] for n in position.changes if n in _EDITED}
    if position.action == UPDATE and edits:
        record = services.position_update(position=record, user=user, **edits)
    if publish and record.status != Status.PUBLISHED:
        record = services.position_publish(position=record, user=user)
    return record


def apply_plans(report, *, user):
    """Write the report's plans; the caller holds the transaction."""
    columns = set(report.columns)
    with services.matrix_marks_deferred():
        for plan in report.statements:
            statement = _apply_statement(plan, columns, user, report.publish)
            for position in plan.positions:
                _apply_position(statement, position, user, report.publish)
    report.applied = True
