"""Revisions of statements and positions; editors and reviewers may see them.

Restoring one needs the right to change what it is a revision of.
"""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def let_editors_view(apps, schema_editor):
    app_config = apps.get_app_config("states")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    view = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="states", codename="view_revision"
    )
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Reviewers"]
    ):
        group.permissions.add(view)


class Migration(migrations.Migration):

    dependencies = [
        ('states', '0008_matrix_partitions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Revision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entity', models.CharField(choices=[('statement', 'Statement'), ('position', 'Position')], max_length=10)),
                ('object_id', models.BigIntegerField()),
                ('action', models.CharField(choices=[('created', 'Created'), ('changed', 'Changed'), ('deleted', 'Deleted')], max_length=8)),
                ('data', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['entity', 'object_id', '-created_at'], name='states_revi_entity_b6ad92_idx')],
            },
        ),
        migrations.RunPython(let_editors_view, migrations.RunPython.noop),
    ]
