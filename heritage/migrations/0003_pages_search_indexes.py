"""GIN indexes for full-text search of sources, history events and incidents (PostgreSQL only).

SQLite has no GIN indexes; its search fallback (heritage/search.py) needs none.
"""

from django.db import migrations

# Frozen here as they were: migration 0005 replaces these expression indexes with stored columns.
SEARCH_FIELDS = {
    "source": (("title",), ("publisher", "authors", "summary")),
    "historyevent": (("title",), ("description",)),
    "incident": (("title",), ("description",)),
}


def search_indexes():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    def vector(name):
        primary, secondary = SEARCH_FIELDS[name]
        return SearchVector(*primary, weight="A", config="english") + SearchVector(
            *secondary, weight="B", config="english"
        )

    return [(name, GinIndex(vector(name), name=f"{name}_search_idx")) for name in SEARCH_FIELDS]


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
