"""Stored search documents for sources, history events and incidents (PostgreSQL only).

Each table gets a generated ``search_document`` tsvector column, kept by
PostgreSQL itself on every insert and update (bulk loads included), with a GIN
index; it replaces the expression indexes of 0003, which could find rows but
left ts_rank to re-parse the text of every match. SQLite needs none of this.
"""

from django.db import migrations

# Frozen here as they are now (heritage/search.py reads the column by this name).
DOCUMENT_COLUMN = "search_document"
SEARCH_FIELDS = {
    "source": (("title",), ("publisher", "authors", "summary")),
    "historyevent": (("title",), ("description",)),
    "incident": (("title",), ("description",)),
}

OLD_INDEX = "{}_search_idx"
NEW_INDEX = "{}_document_idx"


def document_sql(model_name):
    """A weighted tsvector of the model's fields: titles (A) count more than the rest (B)."""

    def weighted(fields, weight):
        text = " || ' ' || ".join(f"coalesce({field}, '')" for field in fields)
        return f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')"

    primary, secondary = SEARCH_FIELDS[model_name]
    return f"{weighted(primary, 'A')} || {weighted(secondary, 'B')}"


def tables(apps):
    return {name: apps.get_model("heritage", name)._meta.db_table for name in SEARCH_FIELDS}


def add_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in tables(apps).items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX.format(name)}")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({document_sql(name)}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {NEW_INDEX.format(name)} ON {table} USING gin ({DOCUMENT_COLUMN})")


def remove_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in tables(apps).items():
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {DOCUMENT_COLUMN}")
        schema_editor.execute(f"CREATE INDEX {OLD_INDEX.format(name)} ON {table} USING gin (({document_sql(name)}))")


class Migration(migrations.Migration):
    dependencies = [("heritage", "0004_incident_count_index")]

    operations = [migrations.RunPython(add_documents, remove_documents)]
