"""Full-text search over provisions and their texts (PostgreSQL), `icontains` elsewhere.

The vectors here are the expressions indexed by migration 0002 (GIN); a query uses the
index only while the two stay identical, which tests/provisions/test_api_search.py
checks with EXPLAIN.
"""

from django.db import connection
from django.db.models import F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Substr

from provisions.models import Provision, ProvisionText

SEARCH_CONFIG = "english"


def uses_full_text_search():
    return connection.vendor == "postgresql"


def provision_vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "proposition", weight="B", config=SEARCH_CONFIG
    )


def provision_text_vector():
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("label", weight="A", config=SEARCH_CONFIG)
        + SearchVector("heading", weight="A", config=SEARCH_CONFIG)
        + SearchVector("text", weight="B", config=SEARCH_CONFIG)
    )


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


def search_provision_texts(query, queryset=None):
    """Provision texts matching `query`, best first, annotated with `rank`."""
    queryset = ProvisionText.objects.all() if queryset is None else queryset
    if not uses_full_text_search():
        return unranked(
            queryset.filter(
                Q(text__icontains=query)
                | Q(heading__icontains=query)
                | Q(label__icontains=query)
            )
        )
    return ranked_matches(queryset, provision_text_vector(), query)


def search_provisions(query, queryset=None):
    """Provisions whose title, proposition or any text matches, best first (`rank`)."""
    queryset = Provision.objects.all() if queryset is None else queryset
    if not uses_full_text_search():
        in_texts = ProvisionText.objects.filter(text__icontains=query).values(
            "provision_id"
        )
        return unranked(
            queryset.filter(
                Q(title__icontains=query)
                | Q(proposition__icontains=query)
                | Q(pk__in=in_texts)
            )
        )
    from django.contrib.postgres.search import SearchRank

    tsquery = search_query(query)
    own = Provision.objects.annotate(search=provision_vector()).filter(search=tsquery)
    texts = search_provision_texts(query)
    best_text_rank = Subquery(
        texts.filter(provision=OuterRef("pk")).order_by("-rank").values("rank")[:1],
        output_field=FloatField(),
    )
    # Two index-backed subqueries rather than one OR across a join, which could not
    # use either index.
    return (
        queryset.filter(
            Q(pk__in=own.values("pk")) | Q(pk__in=texts.values("provision"))
        )
        .annotate(
            rank=SearchRank(provision_vector(), tsquery)
            + Coalesce(best_text_rank, Value(0.0))
        )
        .order_by("-rank", "id")
    )


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
