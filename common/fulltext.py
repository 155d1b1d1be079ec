"""Full-text search on both databases: PostgreSQL's, and SQLite's FTS5.

PostgreSQL matches words in any form (English stemming) and ranks with ts_rank. On
SQLite an FTS5 table beside each searched table (porter stemming, kept in sync by
triggers, see fts5_install) does the same job, ranked by bm25: the same words, in
any form, in quotes as a phrase, several words all required. Each app keeps the
vectors (PostgreSQL) and FTS5 columns (SQLite) of its own tables beside their
indexes.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Expression, F, FloatField, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Substr

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


class StoredVector(Expression):
    """A tsvector column that PostgreSQL keeps in step with the row (a generated
    column added by a migration, outside the model state: SQLite has none), named
    on the queried row whatever alias its table has. Matching and ranking read it,
    instead of parsing every row's text again per query."""

    def __init__(self, column):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.column = column
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.pk.alias)
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def unranked(queryset):
    """Matches without full-text search: all of rank 1."""
    return queryset.annotate(rank=Value(1.0, output_field=FloatField()))


# SQLite --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fts5Index:
    """An FTS5 table indexing `columns` of `table` (an external-content table: it
    stores only the index, the text stays in `table`). `weights` rank the columns,
    as PostgreSQL's A and B weights do."""

    table: str
    columns: tuple
    weights: tuple

    @property
    def name(self):
        return f"{self.table}_fts"


# PostgreSQL's english configuration drops these words, so a query that names them
# must not require them on SQLite either, or the two databases would disagree.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because
    been before being below between both but by can did do does doing down during
    each few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where
    which while who whom why will with you your yours yourself yourselves""".split()
)
_PHRASE_OR_WORD = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(query):
    """The user's words as an FTS5 MATCH expression, or "" when none is left.

    As websearch_to_tsquery reads them on PostgreSQL: "quoted words" are a phrase,
    other words are all required, `or` between two words accepts either, and a
    leading `-` excludes a word; punctuation separates words. Every word is quoted,
    so nothing typed is read as FTS5 syntax.
    """
    groups = [([], [])]  # OR-ed groups of (required, excluded) terms
    for negated, phrase, word in _PHRASE_OR_WORD.findall(query):
        if word.lower() == "or":
            groups.append(([], []))
            continue
        if word.startswith("-"):
            negated, word = "-", word[1:]
        words = _WORD.findall((phrase or word).lower())
        if phrase:
            terms = ['"' + " ".join(words) + '"'] if words else []
        else:
            terms = [f'"{w}"' for w in words if w not in STOP_WORDS]
        groups[-1][1 if negated else 0].extend(terms)
    # A group of exclusions alone would match every row without them, which FTS5
    # cannot express; it is dropped.
    parts = [
        "(" + " AND ".join(required) + "".join(f" NOT {t}" for t in excluded) + ")"
        for required, excluded in groups
        if required
    ]
    return " OR ".join(parts)


def fts5_install(connection, index):
    """Create `index` and the triggers that keep it in step with its table, and fill
    it; idempotent (a migration that rebuilds the table on SQLite drops its
    triggers, so apps call this again after every migrate)."""
    if connection.vendor != "sqlite":
        return
    t, fts, cols = index.table, index.name, ", ".join(index.columns)
    new = ", ".join(f"new.{c}" for c in index.columns)
    old = ", ".join(f"old.{c}" for c in index.columns)
    delete_old = (
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    )
    insert_new = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
            "(%s, %s, %s)",
            [f"{fts}_ai", f"{fts}_ad", f"{fts}_au"],
        )
        if cursor.fetchone()[0] == 3:
            return
        for statement in (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, "
            f"content='{t}', content_rowid='id', tokenize='porter unicode61')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {t} "
            f"BEGIN {insert_new} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {t} "
            f"BEGIN {delete_old} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE ON {t} "
            f"BEGIN {delete_old} {insert_new} END",
            # Whatever was written while the triggers were missing.
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ):
            cursor.execute(statement)


def fts5_uninstall(connection, index):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {index.name}_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {index.name}")


def fts5_matches(queryset, index, query):
    """The rows of `queryset` that `index` matches for `query`, best first, with
    their `rank` (bm25, negated so that higher is better, as on PostgreSQL)."""
    expression = fts5_query(query)
    if not expression:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    weights = ", ".join(str(w) for w in index.weights)
    return (
        queryset.filter(pk__in=fts5_ids(index, query))
        .annotate(
            rank=_Fts5Of(
                index, f"-bm25({index.name}, {weights})", [], expression, FloatField()
            )
        )
        .order_by("-rank", "id")
    )


def fts5_ids(index, query):
    """A subquery of the ids of `index`'s table rows that match `query`."""
    expression = fts5_query(query) or '""'
    fts = index.name
    return RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [expression])


# Passages of 15 to 35 words, at most two of them, unless the caller asks otherwise.
HEADLINE_OPTIONS = {"max_words": 35, "min_words": 15, "max_fragments": 2}


def with_headline(
    queryset,
    query,
    field="text",
    start_sel="<b>",
    stop_sel="</b>",
    fts5=None,
    **options,
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


class _Fts5Of(Expression):
    """(SELECT `select` FROM the FTS5 table WHERE it matches and rowid = the row's
    pk): a value the index computes for the outer row. The pk is compiled by Django,
    so it names the row whatever alias its table has in the query."""

    def __init__(self, index, select, select_params, expression, output_field):
        super().__init__(output_field=output_field)
        self.index, self.select, self.select_params = index, select, select_params
        self.expression = expression
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        fts = self.index.name
        sql = (
            f"(SELECT {self.select} FROM {fts} "
            f"WHERE {fts} MATCH %s AND rowid = {pk_sql})"
        )
        return sql, [*self.select_params, self.expression, *pk_params]


def _fts5_snippet(index, field, query, start_sel, stop_sel, options):
    words = options.get("max_words") or HEADLINE_OPTIONS["max_words"]
    snippet = _Fts5Of(
        index,
        f"snippet({index.name}, %s, %s, %s, '…', %s)",
        [index.columns.index(field), start_sel, stop_sel, min(int(words), 64)],
        fts5_query(query),
        TextField(),
    )
    # A text with none of the words (the match was in another column) still shows
    # its opening, as PostgreSQL's headline does.
    return Coalesce(snippet, Substr(F(field), 1, 240))
