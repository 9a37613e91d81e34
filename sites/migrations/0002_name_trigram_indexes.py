"""Trigram indexes for name search (PostgreSQL only).

SiteQuerySet.named() matches ``folded LIKE '%…%'`` and, for transliterations
that differ in spacing, ``REPLACE(folded, ' ', '') LIKE '%…%'``. pg_trgm's GIN
operator class serves both substring searches without scanning every name.
The slug index serves the same search on slugs. SQLite has no such index; it scans, which is fine at its scale.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("sitename_folded_trgm", "sites_sitename USING gin (folded gin_trgm_ops)"),
    ("sitename_compact_trgm", "sites_sitename USING gin ((REPLACE(folded, ' ', '')) gin_trgm_ops)"),
    # named() also matches slug__icontains, i.e. UPPER(slug::text) LIKE '%…%'.
    ("site_slug_upper_trgm", "sites_site USING gin ((UPPER(slug::text)) gin_trgm_ops)"),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {expression}")


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("sites", "0001_initial")]

    operations = [TrigramExtension(), migrations.RunPython(add_indexes, remove_indexes)]
