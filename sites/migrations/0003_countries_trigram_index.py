"""A trigram index on countries for SiteQuerySet.in_country() (PostgreSQL only).

in_country("SY") asks countries = 'SY' OR LIKE 'SY,%' OR LIKE '%,SY' OR LIKE '%,SY,%';
gin_trgm_ops serves each branch, so country filters stop scanning every site.
"""

from django.db import migrations


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS site_countries_trgm ON sites_site USING gin (countries gin_trgm_ops)")


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS site_countries_trgm")


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_name_trigram_indexes")]

    operations = [migrations.RunPython(add_index, remove_index)]
