"""Full-text search of statements on SQLite: an FTS5 table (porter stemming) kept in
step with states_statement by triggers (common.fulltext.fts5_install). PostgreSQL
searches with the GIN index of 0005 instead; there this migration does nothing.

Triggers rather than rebuilding an index per query: a search then costs one index
lookup whatever the number of statements, and a write costs one index row.
"""

from django.db import migrations


def install(apps, schema_editor):
    from common.fulltext import fts5_install
    from states.selectors import STATEMENT_FTS

    fts5_install(schema_editor.connection, STATEMENT_FTS)


def uninstall(apps, schema_editor):
    from common.fulltext import fts5_uninstall
    from states.selectors import STATEMENT_FTS

    fts5_uninstall(schema_editor.connection, STATEMENT_FTS)


class Migration(migrations.Migration):
    dependencies = [("states", "0011_formal_acts")]

    operations = [migrations.RunPython(install, uninstall)]
