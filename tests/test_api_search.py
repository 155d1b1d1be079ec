"""Full-text search selectors: ranked results and GIN index use on PostgreSQL."""

import pytest
from django.db import connection

from common.fulltext import with_headline
from provisions.models import Provision, ProvisionText
from provisions.selectors import search_provision_texts, search_provisions
from states.models import Statement
from states.selectors import search_statements
from tests.factories import ProvisionFactory, ProvisionTextFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.services
def test_searches_use_the_gin_indexes():
    StatementFactory.create_batch(5)
    ProvisionTextFactory.create_batch(5)
    assert "statement_search_vector_gin" in _plan(search_statements("cybercrime"))
    assert "provisiontext_search_gin" in _plan(search_provision_texts("cybercrime"))
    assert "provision_search_gin" in _plan(search_provisions("cybercrime"))


@pytest.mark.services
def test_the_stored_statement_vector_follows_every_write():
    """The generated column is the vector statement_vector() computes, after an
    insert and after an update, so stored and computed searches find the same."""
    from states.selectors import statement_vector

    statement = StatementFactory(title="Criminalizing offences", text="Vague.")
    Statement.objects.filter(pk=statement.pk).update(text="Offences of hacking.")

    def stored_and_computed():
        with connection.cursor() as cursor:
            sql, params = (
                Statement.objects.filter(pk=statement.pk)
                .annotate(computed=statement_vector())
                .values("computed")
                .query.sql_with_params()
            )
            cursor.execute(
                f"SELECT search_vector::text, ({sql})::text FROM states_statement "
                "WHERE id = %s",
                [*params, statement.pk],
            )
            return cursor.fetchone()

    stored, computed = stored_and_computed()
    assert stored == computed
    assert "hack" in stored


@pytest.mark.services
def test_stemming_and_ranking_of_statements():
    title = StatementFactory(title="Criminalizing offences", text="Other words.")
    text = StatementFactory(title="General debate", text="Such an offence is vague.")
    found = list(search_statements("offence"))
    assert found == [title, text]
    assert found[0].rank > found[1].rank


@pytest.mark.services
def test_headline_marks_the_words_found():
    StatementFactory(text="We oppose any offence of disinformation in the convention.")
    row = with_headline(search_statements("disinformation"), "disinformation").get()
    assert "<b>disinformation</b>" in row.headline


def test_odd_queries_never_fail():
    StatementFactory(title="Quotes")
    for query in ['"unbalanced', "a & b | !c", "-", "((", "'"]:
        list(search_statements(query))
        list(search_provisions(query))


def test_selectors_accept_a_starting_queryset():
    keep = StatementFactory(title="Safeguards", status="published")
    StatementFactory(title="Safeguards", status="draft")
    found = search_statements("safeguards", queryset=Statement.objects.published())
    assert list(found) == [keep]
    provision = ProvisionFactory(title="Safeguards")
    ProvisionFactory(title="Safeguards")
    found = search_provisions(
        "safeguards", queryset=Provision.objects.filter(pk=provision.pk)
    )
    assert list(found) == [provision]
    assert ProvisionText.objects.count() == 0
