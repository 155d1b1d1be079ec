"""Statement search on PostgreSQL reads a stored vector instead of parsing every
statement's text per query: `search_vector`, a generated column (title weight A, text
weight B: states.selectors.statement_vector) with a GIN index, replacing the
expression index of 0005, which a ranked search had to recompute row by row.

Outside the model state, as 0005's index was: SQLite has no tsvector and searches
with the FTS5 table of 0012; there this migration does nothing. PostgreSQL keeps the
column in step with every insert and update, whatever writes them.
"""

from django.db import migrations

# The expression of statement_vector(), as Django compiles it, without the table.
VECTOR = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'B')"
)

FORWARD = f"""
ALTER TABLE states_statement
  ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED;
CREATE INDEX statement_search_vector_gin ON states_statement USING gin (search_vector);
DROP INDEX IF EXISTS statement_search_gin;
"""

BACKWARD = f"""
CREATE INDEX IF NOT EXISTS statement_search_gin ON states_statement
  USING gin (({VECTOR}));
DROP INDEX IF EXISTS statement_search_vector_gin;
ALTER TABLE states_statement DROP COLUMN IF EXISTS search_vector;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("states", "0014_statement_roles_sources_proposals")]

    operations = [migrations.RunPython(forward, backward)]
