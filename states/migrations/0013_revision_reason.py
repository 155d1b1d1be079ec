"""A revision may say why it was made: the public reason of a correction."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("states", "0012_statement_fts5"),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="reason",
            field=models.TextField(blank=True, default=""),
        ),
    ]
