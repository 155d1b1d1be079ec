"""GIN index for full-text search of statements (PostgreSQL only).

The indexed expression is built by the function the search selector uses
(states.selectors.statement_vector), so queries match the index exactly. Not part of the
model state: SQLite has no such index and searches with icontains.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

NAME = "statement_search_gin"


def _index():
    from states.selectors import statement_vector

    return GinIndex(statement_vector(), name=NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("states", "statement"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("states", "statement"), _index())


class Migration(migrations.Migration):
    dependencies = [("states", "0004_matrix_snapshots")]

    operations = [migrations.RunPython(create_index, drop_index)]
