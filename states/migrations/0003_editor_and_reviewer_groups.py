"""The two editorial roles, as auth groups with model permissions.

Editors create and edit drafts of everything; Reviewers can also publish, unpublish
and close sessions. Publishing is a separate permission so an editor cannot do it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = {
    "provisions": ["provision", "provisiontext", "draft", "chapter"],
    "states": ["statement", "position", "actor", "group", "membership"],
}
REVIEWER_EXTRA = [
    ("states", "publish_statement"),
    ("states", "publish_position"),
    ("provisions", "change_session"),
    ("provisions", "add_session"),
]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor_perms = [
        Permission.objects.get(
            content_type__app_label=app, codename=f"{action}_{model}"
        )
        for app, models in EDITABLE.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(editor_perms)
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewer_perms = editor_perms + [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in REVIEWER_EXTRA
    ]
    reviewers.permissions.set(reviewer_perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Reviewers"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("states", "0002_published_position_needs_published_statement"),
        ("provisions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
