"""GIN indexes for full-text search of provisions and their texts (PostgreSQL only).

The indexed expressions are built by the same functions the search selectors use
(provisions.selectors), so a query matches its index exactly. Not part of the model state:
SQLite has no such index and searches with icontains.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEXES = {
    "provision": "provision_search_gin",
    "provisiontext": "provisiontext_search_gin",
}


def _vectors():
    from provisions.selectors import provision_text_vector, provision_vector

    return {"provision": provision_vector(), "provisiontext": provision_text_vector()}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, vector in _vectors().items():
        model = apps.get_model("provisions", model_name)
        schema_editor.add_index(model, GinIndex(vector, name=INDEXES[model_name]))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, vector in _vectors().items():
        model = apps.get_model("provisions", model_name)
        schema_editor.remove_index(model, GinIndex(vector, name=INDEXES[model_name]))


class Migration(migrations.Migration):
    dependencies = [("provisions", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
