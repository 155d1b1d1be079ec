"""What the downloads hold: each table, its columns (CSVW datatypes), keys and the
rows it reads. Only what readers may see: published statements and positions, never
an editor's note. A new table (aliases, sources, formal acts) is one entry of TABLES.
"""

from dataclasses import dataclass, field

from django.db.models import Subquery

from provisions.models import Chapter, Draft, Provision, ProvisionText, Session
from states.models import (
    Actor,
    Group,
    MatrixStance,
    MatrixState,
    Membership,
    Position,
    Statement,
)

# The licence of the compilation; quoted statements remain their authors' words.
LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Column:
    name: str
    datatype: str  # a CSVW (XML Schema) datatype: integer, string, date, anyURI …
    source: str  # the ORM path read with values_list
    description: str
    required: bool = False


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    table_column: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    rows: object  # treaty -> queryset
    columns: tuple
    primary_key: tuple
    foreign_keys: tuple = field(default=())

    @property
    def csv_name(self):
        return f"{self.name}.csv"


def _id(description="Identifier (as in the REST API)."):
    return Column("id", "integer", "id", description, required=True)


def _ref(name, source, target, datatype="integer", required=False):
    return Column(name, datatype, source, f"See {target}.", required=required)


def _published_statements(treaty):
    return Statement.objects.published().filter(session__treaty=treaty)


def _matrix_cells(treaty):
    generation = MatrixState.objects.filter(treaty=treaty).values("generation")
    return MatrixStance.objects.filter(
        treaty=treaty, generation=Subquery(generation[:1])
    )


TABLES = (
    Table(
        "sessions",
        "Meetings of the negotiating body; `number` orders them.",
        lambda t: Session.objects.filter(treaty=t),
        (
            _id(),
            Column("number", "integer", "number", "Session number.", True),
            Column("title", "string", "title", "Title.", True),
            Column("start_date", "date", "start_date", "First day.", True),
            Column("end_date", "date", "end_date", "Last day.", True),
            Column("venue", "string", "venue", "Where it met."),
            Column("status", "string", "status", "scheduled, in_progress or closed."),
        ),
        ("id",),
    ),
    Table(
        "drafts",
        "Versions of the negotiating text.",
        lambda t: Draft.objects.filter(treaty=t),
        (
            _id(),
            Column("slug", "string", "slug", "Short name.", True),
            Column("title", "string", "title", "Title.", True),
            Column("symbol", "string", "symbol", "UN document symbol."),
            Column("published_on", "date", "published_on", "Date of publication."),
            _ref("session", "session_id", "sessions.id"),
        ),
        ("id",),
        (ForeignKey("session", "sessions", "id"),),
    ),
    Table(
        "chapters",
        "Chapters of the treaty, in reading order (`order`).",
        lambda t: Chapter.objects.filter(treaty=t),
        (
            _id(),
            Column("number", "string", "number", "Number as printed.", True),
            Column("title", "string", "title", "Title.", True),
            Column("order", "integer", "order", "Reading order.", True),
        ),
        ("id",),
    ),
    Table(
        "provisions",
        "Units of text or proposals, stable across drafts; `proposition` says what "
        "support means.",
        lambda t: Provision.objects.filter(treaty=t),
        (
            _id(),
            Column("slug", "string", "slug", "Short name.", True),
            Column("title", "string", "title", "Title.", True),
            Column("kind", "string", "kind", "article, paragraph, proposal or issue."),
            _ref("chapter", "chapter_id", "chapters.id"),
            _ref("parent", "parent_id", "provisions.id"),
            Column("order", "integer", "order", "Order within the chapter.", True),
            Column("proposition", "string", "proposition", "What support means."),
        ),
        ("id",),
        (
            ForeignKey("chapter", "chapters", "id"),
            ForeignKey("parent", "provisions", "id"),
        ),
    ),
    Table(
        "texts",
        "A provision's label and heading in one draft, and its text where that is "
        "the draft's own text (empty when not on record).",
        lambda t: ProvisionText.objects.filter(provision__treaty=t),
        (
            _id(),
            _ref("provision", "provision_id", "provisions.id", required=True),
            _ref("draft", "draft_id", "drafts.id", required=True),
            Column("label", "string", "label", "Label as printed.", True),
            Column("heading", "string", "heading", "Heading as printed."),
            Column("text", "string", "text", "The text in that draft."),
        ),
        ("id",),
        (
            ForeignKey("provision", "provisions", "id"),
            ForeignKey("draft", "drafts", "id"),
        ),
    ),
    Table(
        "actors",
        "Everyone who speaks (all actors on record, shared by every treaty).",
        lambda t: Actor.objects.all(),
        (
            Column("code", "string", "code", "ISO 3166-1 alpha-3 or short code.", True),
            Column("name", "string", "name", "Name.", True),
            Column("kind", "string", "kind", "member_state, civil_society, …", True),
        ),
        ("code",),
    ),
    Table(
        "groups",
        "Sets of actors: UN regional groups, blocs, coalitions.",
        lambda t: Group.objects.all(),
        (
            Column("slug", "string", "slug", "Short name.", True),
            Column("name", "string", "name", "Name.", True),
            Column("kind", "string", "kind", "Kind of group.", True),
        ),
        ("slug",),
    ),
    Table(
        "memberships",
        "An actor in a group from `start_date` to `end_date` (empty: still).",
        lambda t: Membership.objects.all(),
        (
            _id(),
            _ref("actor", "actor__code", "actors.code", "string", True),
            _ref("group", "group__slug", "groups.slug", "string", True),
            Column("start_date", "date", "start_date", "First day.", True),
            Column("end_date", "date", "end_date", "Last day."),
        ),
        ("id",),
        (
            ForeignKey("actor", "actors", "code"),
            ForeignKey("group", "groups", "slug"),
        ),
    ),
    Table(
        "statements",
        "Published statements: who said what at which session, with its source.",
        _published_statements,
        (
            _id(),
            _ref("session", "session_id", "sessions.id", required=True),
            _ref("actor", "actor__code", "actors.code (the speaker)", "string", True),
            _ref("on_behalf_of", "on_behalf_of__slug", "groups.slug", "string"),
            Column("date", "date", "date", "Day within the session."),
            Column("kind", "string", "kind", "oral, written or joint.", True),
            Column("title", "string", "title", "Title.", True),
            Column("text", "string", "text", "The quote or a summary."),
            Column("source_url", "anyURI", "source_url", "The source.", True),
            Column("document_symbol", "string", "document_symbol", "UN symbol."),
            Column("language", "string", "language", "Language code."),
        ),
        ("id",),
        (
            ForeignKey("session", "sessions", "id"),
            ForeignKey("actor", "actors", "code"),
            ForeignKey("on_behalf_of", "groups", "slug"),
        ),
    ),
    Table(
        "co_signers",
        "Co-signers of joint statements (each speaks directly).",
        lambda t: Statement.co_signers.through.objects.filter(
            statement__in=_published_statements(t)
        ),
        (
            _ref("statement", "statement_id", "statements.id", required=True),
            _ref("actor", "actor__code", "actors.code", "string", True),
        ),
        ("statement", "actor"),
        (
            ForeignKey("statement", "statements", "id"),
            ForeignKey("actor", "actors", "code"),
        ),
    ),
    Table(
        "positions",
        "Published positions: what a statement says about a provision.",
        lambda t: Position.objects.published().filter(statement__session__treaty=t),
        (
            _id(),
            _ref("statement", "statement_id", "statements.id", required=True),
            _ref("provision", "provision_id", "provisions.id", required=True),
            Column("stance", "string", "stance", "support … oppose.", True),
            Column("quote", "string", "quote", "The passage the coding rests on."),
        ),
        ("id",),
        (
            ForeignKey("statement", "statements", "id"),
            ForeignKey("provision", "provisions", "id"),
        ),
    ),
    Table(
        "matrix_cells",
        "The materialized matrix as runs of sessions: the cell (actor, provision) "
        "as of every session s with from_session <= s < to_session (to_session "
        "empty: every later session). `position` and `statement` are the "
        "attribution's, as of the matrix build (built_at in the metadata).",
        _matrix_cells,
        (
            _ref("actor", "actor__code", "actors.code", "string", True),
            _ref("provision", "provision_id", "provisions.id", required=True),
            Column("from_session", "integer", "from_number", "First session.", True),
            Column("to_session", "integer", "to_number", "Session it ends before."),
            Column("stance", "string", "stance", "support … oppose.", True),
            Column("position", "integer", "position_id", "positions.id", True),
            Column("statement", "integer", "statement_id", "statements.id", True),
            Column("via", "string", "via", "groups.slug when inherited, else empty."),
        ),
        ("actor", "provision", "from_session"),
        (
            ForeignKey("actor", "actors", "code"),
            ForeignKey("provision", "provisions", "id"),
        ),
    ),
)
