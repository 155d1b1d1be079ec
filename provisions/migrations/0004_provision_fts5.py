"""Full-text search of provisions and their texts on SQLite: FTS5 tables (porter
stemming) kept in step by triggers (common.fulltext.fts5_install). PostgreSQL
searches with the GIN indexes of 0002 instead; there this migration does nothing."""

from django.db import migrations


def install(apps, schema_editor):
    from common.fulltext import fts5_install
    from provisions.selectors import PROVISION_FTS, PROVISION_TEXT_FTS

    fts5_install(schema_editor.connection, PROVISION_FTS)
    fts5_install(schema_editor.connection, PROVISION_TEXT_FTS)


def uninstall(apps, schema_editor):
    from common.fulltext import fts5_uninstall
    from provisions.selectors import PROVISION_FTS, PROVISION_TEXT_FTS

    fts5_uninstall(schema_editor.connection, PROVISION_FTS)
    fts5_uninstall(schema_editor.connection, PROVISION_TEXT_FTS)


class Migration(migrations.Migration):
    dependencies = [("provisions", "0003_treaty_formal_acts")]

    operations = [migrations.RunPython(install, uninstall)]
