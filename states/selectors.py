"""Reads of statements and positions that are more than a one-line queryset.

Statement search on PostgreSQL reads the stored column `search_vector` (migration
0015: generated from statement_vector(), GIN-indexed), so a query parses no text; on
SQLite, the FTS5 table of migration 0012 (STATEMENT_FTS).
Matrix reads live in states.matrix.read.
"""

from django.db.models import Count

from common.fulltext import (
    SEARCH_CONFIG,
    Fts5Index,
    StoredVector,
    fts5_matches,
    ranked_matches,
    uses_full_text_search,
)
from states.models import Actor, Statement, Status

# Title weighs as PostgreSQL's weight A against the text's B.
STATEMENT_FTS = Fts5Index("states_statement", ("title", "text"), (2.0, 1.0))


# The stored vector's column (PostgreSQL only; not in the model state).
STATEMENT_VECTOR_COLUMN = "search_vector"


def statement_vector():
    """Title (weight A) and text (B), as the stored column is generated."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "text", weight="B", config=SEARCH_CONFIG
    )


def search_statements(query, queryset=None):
    """Statements whose title or text matches `query`, best first (`rank`)."""
    queryset = Statement.objects.all() if queryset is None else queryset
    if not uses_full_text_search():
        return fts5_matches(queryset, STATEMENT_FTS, query)
    return ranked_matches(queryset, StoredVector(STATEMENT_VECTOR_COLUMN), query)


def draft_statements(*, created_by=None, status=Status.DRAFT):
    """Draft statements (or those of `status`), newest change first, with their
    speaker, session and author and the number of positions; only `created_by`'s
    when given."""
    drafts = Statement.objects.filter(status=status)
    if created_by is not None:
        drafts = drafts.filter(created_by=created_by)
    return (
        drafts.select_related("actor", "session__treaty", "created_by")
        .annotate(position_count=Count("positions"))
        .order_by("-updated_at", "-id")
    )


def actors_by_ids(ids):
    return Actor.objects.filter(pk__in=ids).order_by("code")
