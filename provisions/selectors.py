"""Reads of the text and the process: full-text search over provisions and texts.

The vectors here are the expressions indexed by migration 0002 (GIN); a query uses the
index only while the two stay identical, which tests/provisions/test_api_search.py
checks with EXPLAIN. On SQLite, the FTS5 tables of migration 0003 (PROVISION_FTS,
PROVISION_TEXT_FTS).
"""

from django.db.models import FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from common.fulltext import (
    SEARCH_CONFIG,
    Fts5Index,
    fts5_ids,
    fts5_matches,
    ranked_matches,
    search_query,
    uses_full_text_search,
)
from provisions.models import Provision, ProvisionText

# The same columns and weights as the vectors below (A = 2, B = 1).
PROVISION_FTS = Fts5Index("provisions_provision", ("title", "proposition"), (2.0, 1.0))
PROVISION_TEXT_FTS = Fts5Index(
    "provisions_provisiontext", ("label", "heading", "text"), (2.0, 2.0, 1.0)
)


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
        return fts5_matches(queryset, PROVISION_TEXT_FTS, query)
    return ranked_matches(queryset, provision_text_vector(), query)


def search_provisions(query, queryset=None):
    """Provisions whose title, proposition or any text matches, best first (`rank`)."""
    queryset = Provision.objects.all() if queryset is None else queryset
    if not uses_full_text_search():
        return _fts5_provisions(query, queryset)
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


def _fts5_provisions(query, queryset):
    """search_provisions on SQLite: own words or any text's, ranked by the better."""
    own = fts5_matches(Provision.objects.all(), PROVISION_FTS, query)
    texts = fts5_matches(ProvisionText.objects.all(), PROVISION_TEXT_FTS, query)
    own_rank = Subquery(
        own.filter(pk=OuterRef("pk")).values("rank")[:1], output_field=FloatField()
    )
    text_rank = Subquery(
        texts.filter(provision=OuterRef("pk")).order_by("-rank").values("rank")[:1],
        output_field=FloatField(),
    )
    in_texts = ProvisionText.objects.filter(
        pk__in=fts5_ids(PROVISION_TEXT_FTS, query)
    ).values("provision_id")
    return (
        queryset.filter(Q(pk__in=fts5_ids(PROVISION_FTS, query)) | Q(pk__in=in_texts))
        .annotate(rank=Coalesce(own_rank, Value(0.0)) + Coalesce(text_rank, Value(0.0)))
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


def latest_label():
    """A subquery for annotating provisions: the label of the latest draft that
    prints the provision, as latest_labels orders drafts ("" when none does)."""
    when = Coalesce("draft__published_on", "draft__session__start_date")
    texts = ProvisionText.objects.filter(provision=OuterRef("pk")).order_by(
        when.desc(nulls_first=True), "-draft_id"
    )
    return Coalesce(Subquery(texts.values("label")[:1]), Value(""))
