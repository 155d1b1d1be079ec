"""MatrixStance rows carry a build generation, part of the primary key.

A composite primary key cannot be altered in place; the table holds derived data, so
it is recreated, and every treaty's matrix is owed again (the sweep rebuilds it).
"""

import django.db.models.deletion
from django.db import migrations, models


def owe_every_matrix(apps, schema_editor):
    apps.get_model("states", "MatrixState").objects.update(stale_from=0, built_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("provisions", "0001_initial"),
        ("states", "0006_editors_view_sessions"),
    ]

    operations = [
        migrations.DeleteModel(name="MatrixStance"),
        migrations.CreateModel(
            name="MatrixStance",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "treaty_id",
                        "generation",
                        "actor_id",
                        "provision_id",
                        "from_number",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("generation", models.PositiveIntegerField(default=0)),
                ("from_number", models.PositiveSmallIntegerField()),
                ("to_number", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "stance",
                    models.CharField(
                        choices=[
                            ("support", "Support"),
                            ("support_with_changes", "Support with changes"),
                            ("undecided", "Undecided"),
                            ("oppose", "Oppose"),
                        ],
                        max_length=24,
                    ),
                ),
                ("position_id", models.BigIntegerField()),
                ("statement_id", models.BigIntegerField()),
                ("via", models.CharField(blank=True, max_length=80, null=True)),
                (
                    "actor",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="states.actor",
                    ),
                ),
                (
                    "provision",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="provisions.provision",
                    ),
                ),
                (
                    "treaty",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="provisions.treaty",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="matrixstate",
            name="generation",
            field=models.PositiveIntegerField(
                default=0, help_text="The MatrixStance generation readers use."
            ),
        ),
        migrations.RunPython(owe_every_matrix, migrations.RunPython.noop),
    ]
