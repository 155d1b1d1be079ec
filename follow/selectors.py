"""Reads of the follow app, for the editors' desk and the admin."""

from follow.models import CorrectionReport
from states.models import Position, Statement


def open_correction_reports():
    """The reviewers' queue: reports not yet answered, oldest first, with what they
    are about."""
    return (
        CorrectionReport.objects.open()
        .select_related(
            "statement__actor", "statement__session__treaty", "position__provision"
        )
        .order_by("created_at", "id")
    )


def answered_correction_reports():
    return (
        CorrectionReport.objects.exclude(status=CorrectionReport.Status.OPEN)
        .select_related("statement__actor", "position__provision", "answered_by")
        .order_by("-answered_at", "-id")
    )


def reportable(*, statement_id=None, position_id=None):
    """(statement, position) a reader may report on: published ones only; None when
    there is no such public record."""
    if position_id is not None:
        position = (
            Position.objects.published()
            .select_related(
                "statement__actor", "statement__session__treaty", "provision"
            )
            .filter(pk=position_id)
            .first()
        )
        return (position.statement, position) if position else None
    statement = (
        Statement.objects.published()
        .select_related("actor", "session__treaty")
        .filter(pk=statement_id)
        .first()
    )
    return (statement, None) if statement else None
