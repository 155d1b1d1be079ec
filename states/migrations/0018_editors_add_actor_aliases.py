"""Editors and Reviewers may add, change and view actor aliases (ActorAlias).

The desk's pasted vote remembers an unmatched printed name as an actor's alias; an
alias is its own model, so the right to add one is its own permission, not the
actor's. Without it an editor who may change actors still could not add an alias
anywhere else (the admin), and one who may not change actors could not add one at
all. Deleting stays out: a wrong alias is corrected, its history kept.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_actoralias", "change_actoralias", "view_actoralias"]


def _permissions(apps):
    app_config = apps.get_app_config("states")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    return list(
        apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="states", codename__in=CODENAMES
        )
    )


def grant(apps, schema_editor):
    groups = apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Reviewers"]
    )
    permissions = _permissions(apps)
    for group in groups:
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    groups = apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Reviewers"]
    )
    permissions = _permissions(apps)
    for group in groups:
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("states", "0017_position_revisions_by_statement")]

    operations = [migrations.RunPython(grant, revoke)]
