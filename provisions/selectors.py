"""Reads of the text and the process: full-text search over provisions and texts.

The vectors here are the expressions indexed by migration 0002 (GIN); a query uses the
index only while the two stay identical, which tests/provisions/test_api_search.py
checks with EXPLAIN. On SQLite, `icontains`.
"""

from django.db.models import FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from common.fulltext import (
    SEARCH_CONFIG,
    ranked_matches,
    search_query,
    unranked,
    uses_full_text_search,
)
from provisions.models import Provision, ProvisionText


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


def latest_labels(provision_ids):
    """{provision id: (label, heading)} as printed in the latest draft that has the
    provision (drafts in the order of the provision page); one query."""
    texts = (
        ProvisionText.objects.filter(provision_id__in=provision_ids)
        .order_by(
            "provision_id",
            # Many drafts carry only the session they were prepared for.
            Coalesce("draft__published_on", "draft__session__start_date"),
            "draft_id",
        )
        .values_list("provision_id", "label", "heading")
    )
    # Later drafts overwrite earlier ones.
    return {provision_id: (label, heading) for provision_id, label, heading in texts}
