"""GIN indexes for full-text search of sources, history events and incidents (PostgreSQL only).

SQLite has no GIN indexes; its search fallback (heritage/search.py) needs none.
"""

from django.db import migrations

from heritage.search import search_indexes


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in search_indexes():
        schema_editor.add_index(apps.get_model("heritage", model_name), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in search_indexes():
        schema_editor.remove_index(apps.get_model("heritage", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("heritage", "0002_intake_keyword_rules_and_stories")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
