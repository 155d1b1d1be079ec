"""Full-text search (PostgreSQL), and what stands in for it elsewhere.

PostgreSQL matches words in any form (English stemming) and ranks; on SQLite every
match ranks 1. Each app keeps the vectors of its own tables beside their indexes.
"""

from django.db import connection
from django.db.models import F, FloatField, Value
from django.db.models.functions import Substr

SEARCH_CONFIG = "english"


def uses_full_text_search():
    return connection.vendor == "postgresql"


def search_query(query):
    """The user's words as a tsquery; websearch syntax never fails on odd input."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def ranked_matches(queryset, vector, query):
    """The rows whose `vector` matches `query`, best first, with their `rank`."""
    from django.contrib.postgres.search import SearchRank

    tsquery = search_query(query)
    return (
        queryset.annotate(search=vector)
        .filter(search=tsquery)
        .annotate(rank=SearchRank(vector, tsquery))
        .order_by("-rank", "id")
    )


def unranked(queryset):
    """Matches without full-text search (SQLite): all of rank 1."""
    return queryset.annotate(rank=Value(1.0, output_field=FloatField()))


# Passages of 15 to 35 words, at most two of them, unless the caller asks otherwise.
HEADLINE_OPTIONS = {"max_words": 35, "min_words": 15, "max_fragments": 2}


def with_headline(
    queryset, query, field="text", start_sel="<b>", stop_sel="</b>", **options
):
    """Annotate `headline`: the passage of `field` around the words found.

    The passage is the stored text, not HTML-escaped: to show it in a page, pass
    markers that survive escaping (e.g. "\x02"/"\x03"), escape, then swap them
    for tags. On SQLite it is the first 240 characters. `options` override
    HEADLINE_OPTIONS (None leaves one to PostgreSQL's default).
    """
    if not uses_full_text_search():
        return queryset.annotate(headline=Substr(F(field), 1, 240))
    from django.contrib.postgres.search import SearchHeadline

    options = {
        name: value
        for name, value in {**HEADLINE_OPTIONS, **options}.items()
        if value is not None
    }
    return queryset.annotate(
        headline=SearchHeadline(
            field,
            search_query(query),
            config=SEARCH_CONFIG,
            start_sel=start_sel,
            stop_sel=stop_sel,
            **options,
        )
    )
