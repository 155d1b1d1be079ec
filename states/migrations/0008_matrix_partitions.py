"""On PostgreSQL, MatrixStance becomes a table partitioned by build generation.

A full build then loads a partition of its own and attaches it, and the generation
it replaces is detached and dropped instead of deleted row by row (see
states.matrix.storage). Generations come from a sequence, so partition names are
never reused. The rows are derived data: the table is recreated empty and every
treaty's matrix is owed again (the sweep rebuilds it). SQLite keeps a plain table.
"""

from django.db import migrations

TABLE = "states_matrixstance"
# Generation tables a cleanup detached but did not drop survive the parent's drop:
# both directions remove them, so that no old name is in the way of a new build.
# (%% because the schema editor binds parameters: psycopg reads % as one.)
DROP_GENERATION_TABLES = r"""
DO $$
DECLARE leftover record;
BEGIN
  FOR leftover IN SELECT relname FROM pg_class
    WHERE relkind IN ('r', 'p') AND relnamespace = current_schema()::regnamespace
      AND relname LIKE 'states\_matrixstance\_t%%'
  LOOP
    EXECUTE format('DROP TABLE IF EXISTS %%I', leftover.relname);
  END LOOP;
END $$;
"""
PARTITIONED = f"""
ALTER TABLE {TABLE} RENAME TO {TABLE}_plain;
CREATE TABLE {TABLE}
  (LIKE {TABLE}_plain INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY LIST (generation);
DROP TABLE {TABLE}_plain;
ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey
  PRIMARY KEY (treaty_id, generation, actor_id, provision_id, from_number);
{DROP_GENERATION_TABLES}
CREATE SEQUENCE IF NOT EXISTS {TABLE}_generation_seq;
"""
# The sequence stays: partition names made after a later forward migration must not
# repeat earlier ones.
PLAIN = f"""
ALTER TABLE {TABLE} RENAME TO {TABLE}_partitioned;
CREATE TABLE {TABLE}
  (LIKE {TABLE}_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
DROP TABLE {TABLE}_partitioned CASCADE;
ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey
  PRIMARY KEY (treaty_id, generation, actor_id, provision_id, from_number);
{DROP_GENERATION_TABLES}
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
        apps.get_model("states", "MatrixState").objects.update(
            stale_from=0, built_at=None
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("states", "0007_matrix_generations")]

    operations = [
        migrations.RunPython(_on_postgresql(PARTITIONED), _on_postgresql(PLAIN)),
    ]
