"""The position matrix rules (DESIGN §3–§4) as pure functions over plain data.

No database here: the SQL in states.matrix.build and storage materializes exactly
these rules, and the tests compare the two on generated treaties; the totals and
changes the API serves are computed by the functions here.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from states.stances import NO_POSITION
from states.stances import ORDER as STANCES

PUBLISHED = "published"


@dataclass(frozen=True)
class StatementFacts:
    id: int
    session_number: int
    session_start: datetime.date
    speaker: str
    date: datetime.date | None = None
    co_signers: tuple = ()
    supporters: tuple = ()
    on_behalf_of: str | None = None
    status: str = PUBLISHED

    @property
    def effective_date(self):
        return self.date or self.session_start


@dataclass(frozen=True)
class PositionFacts:
    id: int
    statement_id: int
    provision: int
    stance: str
    status: str = PUBLISHED


@dataclass(frozen=True)
class MembershipFacts:
    actor: str
    group: str
    start_date: datetime.date
    end_date: datetime.date | None = None

    def covers(self, day):
        return self.start_date <= day and (
            self.end_date is None or day <= self.end_date
        )


@dataclass(frozen=True)
class Attribution:
    actor: str
    provision: int
    session_number: int
    effective_date: datetime.date
    direct: bool
    position: int
    statement: int
    stance: str
    via: str | None

    @property
    def key(self):
        """Greatest wins: (session number, effective date, direct first, position)."""
        return (self.session_number, self.effective_date, self.direct, self.position)


@dataclass(frozen=True)
class Cell:
    stance: str
    position: int
    statement: int
    since: int
    via: str | None = None


@dataclass
class Matrix:
    rows: list
    columns: list
    cells: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)


def members_on(memberships, group, day):
    """Actors whose membership of `group` covers `day`."""
    return {m.actor for m in memberships if m.group == group and m.covers(day)}


def speaks_for(statement, memberships):
    """{actor: via} the statement speaks for; via is None for direct, else the group."""
    voices = {}
    if statement.on_behalf_of:
        for actor in members_on(
            memberships, statement.on_behalf_of, statement.effective_date
        ):
            voices[actor] = statement.on_behalf_of
    # Speaker, co-signers and supporters are direct, even when also group members.
    for actor in (statement.speaker, *statement.co_signers, *statement.supporters):
        voices[actor] = None
    return voices


def attributions(statements, positions, memberships):
    """Every attribution of a published position on a published statement."""
    by_id = {s.id: s for s in statements if s.status == PUBLISHED}
    result = []
    for position in positions:
        statement = by_id.get(position.statement_id)
        if position.status != PUBLISHED or statement is None:
            continue
        for actor, via in speaks_for(statement, memberships).items():
            result.append(
                Attribution(
                    actor=actor,
                    provision=position.provision,
                    session_number=statement.session_number,
                    effective_date=statement.effective_date,
                    direct=via is None,
                    position=position.id,
                    statement=statement.id,
                    stance=position.stance,
                    via=via,
                )
            )
    return result


def cells_as_of(all_attributions, session_number):
    """{(actor, provision): Cell} as of the session numbered `session_number`."""
    best = {}
    for attribution in all_attributions:
        if attribution.session_number > session_number:
            continue
        key = (attribution.actor, attribution.provision)
        current = best.get(key)
        if current is None or attribution.key > current.key:
            best[key] = attribution
    return {
        key: Cell(
            stance=a.stance,
            position=a.position,
            statement=a.statement,
            since=a.session_number,
            via=a.via,
        )
        for key, a in best.items()
    }


def select_rows(actors, *, kinds, memberships=(), group=None, codes=(), day=None):
    """Row actor codes, in the order given: kinds, then group members on `day`, codes.

    `actors` is an iterable of (code, kind) in display order.
    """
    members = members_on(memberships, group, day) if group else None
    wanted = set(codes)
    return [
        code
        for code, kind in actors
        if kind in kinds
        and (members is None or code in members)
        and (not wanted or code in wanted)
    ]


def totals(rows, columns, cells):
    """{provision: {stance: n, ..., "no_position": n}} over the row actors."""
    row_set = set(rows)
    stance_counts = Counter(
        (provision, cells[(actor, provision)].stance)
        for actor in row_set
        for provision in columns
        if (actor, provision) in cells
    )
    return totals_from_counts(len(row_set), columns, stance_counts)


def totals_from_counts(row_count, columns, stance_counts):
    """The totals of `columns` from a Counter of (provision, stance) over the cells
    of `row_count` row actors (the API counts them as it streams the rows)."""
    result = {}
    for provision in columns:
        column = {stance: stance_counts[provision, stance] for stance in STANCES}
        column[NO_POSITION] = row_count - sum(column.values())
        result[provision] = column
    return result


def matrix(all_attributions, session_number, rows, columns):
    """The matrix as of a session over the given rows and columns."""
    every = cells_as_of(all_attributions, session_number)
    row_set, column_set = set(rows), set(columns)
    cells = {
        key: cell
        for key, cell in every.items()
        if key[0] in row_set and key[1] in column_set
    }
    return Matrix(
        rows=list(rows),
        columns=list(columns),
        cells=cells,
        totals=totals(rows, columns, cells),
    )


def changes(before, after, rows, columns):
    """[{actor, provision, before, after}] where the stance differs, in row order.

    `before` and `after` map (actor, provision) to a stance, as of two sessions.
    """
    result = []
    for actor in rows:
        for provision in columns:
            old = before.get((actor, provision))
            new = after.get((actor, provision))
            if old != new:
                result.append(
                    {
                        "actor": actor,
                        "provision": provision,
                        "before": old,
                        "after": new,
                    }
                )
    return result


def stances_of(cells):
    """{(actor, provision): stance} of a cells dict, for `changes`."""
    return {key: cell.stance for key, cell in cells.items()}
