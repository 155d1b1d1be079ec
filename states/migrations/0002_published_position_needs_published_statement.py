"""A position cannot be published on an unpublished statement, enforced by triggers.

A CHECK constraint cannot look at another table, so both directions are guarded:
publishing a position on a draft statement, and unpublishing a statement that still
has published positions (states.services.statement_unpublish withdraws them first).
"""

from django.db import migrations

MESSAGE = "a position cannot be published on an unpublished statement"

POSTGRESQL = f"""
CREATE FUNCTION states_position_needs_published_statement() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'published' AND (
    SELECT status FROM states_statement WHERE id = NEW.statement_id
  ) <> 'published' THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER position_needs_published_statement
BEFORE INSERT OR UPDATE OF status, statement_id ON states_position
FOR EACH ROW EXECUTE FUNCTION states_position_needs_published_statement();

CREATE FUNCTION states_statement_keeps_published_positions() RETURNS trigger AS $$
BEGIN
  IF NEW.status <> 'published' AND EXISTS (
    SELECT 1 FROM states_position WHERE statement_id = NEW.id AND status = 'published'
  ) THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER statement_keeps_published_positions
BEFORE UPDATE OF status ON states_statement
FOR EACH ROW EXECUTE FUNCTION states_statement_keeps_published_positions();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS statement_keeps_published_positions ON states_statement;
DROP FUNCTION IF EXISTS states_statement_keeps_published_positions();
DROP TRIGGER IF EXISTS position_needs_published_statement ON states_position;
DROP FUNCTION IF EXISTS states_position_needs_published_statement();
"""

SQLITE = [
    f"""
    CREATE TRIGGER position_needs_published_statement_insert
    BEFORE INSERT ON states_position
    WHEN NEW.status = 'published' AND (
      SELECT status FROM states_statement WHERE id = NEW.statement_id
    ) <> 'published'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER position_needs_published_statement_update
    BEFORE UPDATE OF status, statement_id ON states_position
    WHEN NEW.status = 'published' AND (
      SELECT status FROM states_statement WHERE id = NEW.statement_id
    ) <> 'published'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER statement_keeps_published_positions
    BEFORE UPDATE OF status ON states_statement
    WHEN NEW.status <> 'published' AND EXISTS (
      SELECT 1 FROM states_position WHERE statement_id = NEW.id AND status = 'published'
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS position_needs_published_statement_insert;",
    "DROP TRIGGER IF EXISTS position_needs_published_statement_update;",
    "DROP TRIGGER IF EXISTS statement_keeps_published_positions;",
]


def install(apps, schema_editor):
    run(schema_editor, POSTGRESQL, SQLITE)


def uninstall(apps, schema_editor):
    run(schema_editor, POSTGRESQL_REVERSE, SQLITE_REVERSE)


def run(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("states", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
