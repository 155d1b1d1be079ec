"""Full-text search over statements (PostgreSQL), `icontains` elsewhere.

The vector is the expression indexed by the states search migration (GIN); keep the two
identical or the index is not used (checked with EXPLAIN in the tests).
"""

from django.db.models import Q

from provisions.search import (
    SEARCH_CONFIG,
    ranked_matches,
    unranked,
    uses_full_text_search,
)
from provisions.search import with_headline as with_headline  # noqa: PLC0414
from states.models import Statement


def statement_vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "text", weight="B", config=SEARCH_CONFIG
    )


def search_statements(query, queryset=None):
    """Statements whose title or text matches `query`, best first (`rank`)."""
    queryset = Statement.objects.all() if queryset is None else queryset
    if not uses_full_text_search():
        return unranked(
            queryset.filter(Q(title__icontains=query) | Q(text__icontains=query))
        )
    return ranked_matches(queryset, statement_vector(), query)
