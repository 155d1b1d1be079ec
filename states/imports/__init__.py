"""Importing positions from a spreadsheet (CSV or XLSX), one row per position
(issue 12; the columns in states.imports.columns).

read → check → plan → apply: `read_table` turns the file into rows of text (or
refuses the file), `import_table` checks every row against one treaty, plans what
would be created, updated or left unchanged and — unless it is a dry run or any row
has an issue — writes the plan through the services in one transaction. A file with
any issue writes nothing; the same file imported twice changes nothing the second
time.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from states.imports.apply import apply_plans
from states.imports.lookup import TreatyIndex
from states.imports.plan import PUBLISH_PERMISSION, ImportReport, plan_statements
from states.imports.reading import MAX_BYTES, MAX_ROWS, FileRefused, Table, read_table
from states.imports.rows import Issue, RowReader

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "FileRefused",
    "ImportReport",
    "Issue",
    "Table",
    "import_table",
    "read_table",
]


def import_table(*, treaty, table, user=None, publish=False, dry_run=True):
    """Check and plan `table` for `treaty`; write it unless `dry_run` or refused.

    Publishing needs the publish permission (PermissionDenied otherwise); records
    are drafts without it. Returns the ImportReport, `applied` when written.
    """
    if publish and user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only reviewers can publish an import.")
    report = ImportReport(treaty=treaty, columns=table.columns, publish=publish)
    with transaction.atomic():
        index = TreatyIndex(treaty)
        reader = RowReader(index, table.columns)
        rows = [reader.read(number, raw) for number, raw in table.rows]
        for row in rows:
            report.issues.extend(row.issues)
        report.unmatched = sorted({name for row in rows for name in row.unmatched})
        plan_statements(report, rows, user=user)
        report.issues.sort(key=lambda issue: (issue.row or 0, issue.column or ""))
        if dry_run or report.issues:
            return report
        try:
            apply_plans(report, user=user)
        except (ValidationError, PermissionDenied) as error:
            # The record changed since the plan (or a service refused what the
            # checks let through): nothing is kept.
            transaction.set_rollback(True)
            report.applied = False
            messages = getattr(error, "messages", None) or [str(error)]
            report.issues.append(Issue(None, None, "; ".join(messages)))
    return report
