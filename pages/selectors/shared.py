"""What several page selectors share: the matrix as a page asks for it, the current
session, chapter bands and one page of a list."""

from itertools import groupby

from django.core.paginator import InvalidPage, Paginator
from django.http import QueryDict

from common.errors import ParameterError
from provisions.models import Chapter, Session
from states.matrix import params as matrix_params
from states.matrix import read as matrix_read


def matrix_query(**params):
    """A QueryDict for the matrix selectors from keyword lists/values."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list | tuple):
            query.setlist(key, [str(v) for v in value])
        elif value is not None:
            query[key] = str(value)
    return query


def matrix_for(treaty_slug, **params):
    """The matrix view of a treaty with API-style parameters (kind, session, …)."""
    query = matrix_query(**params)
    return matrix_read.matrix_view(
        matrix_params.matrix_params_from_query(treaty_slug, query)
    )


def current_session(treaty):
    """The session the current matrix is as of: the highest started one, or None."""
    return (
        Session.objects.with_snapshot()
        .filter(treaty=treaty)
        .order_by("-number")
        .first()
    )


def one_page(queryset, page_number, per_page):
    """One page of `queryset`; a bad page number is a ParameterError (→ 400)."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number or 1)
    except InvalidPage as error:
        raise ParameterError("page", str(error)) from None


def chapter_bands(items, chapter_of):
    """[(chapter, [item, …])]: runs of consecutive items (in reading order) that
    `chapter_of` puts in the same chapter."""
    return [(chapter, list(run)) for chapter, run in groupby(items, key=chapter_of)]


def chapters_by_id(provisions):
    """{id: Chapter} for the chapters of provision dicts (as the matrix reads
    them), in one query."""
    return Chapter.objects.in_bulk(
        {p["chapter_id"] for p in provisions if p["chapter_id"]}
    )
