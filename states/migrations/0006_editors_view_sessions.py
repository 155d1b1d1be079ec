"""Editors may view sessions (read only).

A statement belongs to a session, and the admin's session autocomplete answers 403 to
a user who cannot view sessions, so without this an editor cannot record a statement.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _view_session(apps):
    app_config = apps.get_app_config("provisions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="provisions", codename="view_session"
    )


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.add(_view_session(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(_view_session(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("states", "0005_statement_search_index"),
        ("provisions", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
