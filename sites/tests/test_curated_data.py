"""manage.py load_curated: the curated fixtures go into an empty database only.

Loading itself, and the loaded data, are tested in heritage/tests/test_curated_data.py.
"""

import io
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from sites.management.commands.load_curated import CURATED_FIXTURES
from sites.models import Site, SiteKind
from sites.tests.factories import make_site


def fixture_rows(name):
    (path,) = [path for folder in settings.FIXTURE_DIRS if (path := Path(folder) / f"{name}.json").exists()]
    return json.loads(path.read_text(encoding="utf-8"))


def test_load_curated_leaves_a_database_with_sites_untouched(db):
    make_site("A site an editor added")
    out = io.StringIO()

    call_command("load_curated", stdout=out)

    assert "The database already has sites: curated data not loaded" in out.getvalue()
    assert list(Site.objects.values_list("name", flat=True)) == ["A site an editor added"]
    assert not SiteKind.objects.filter(slug="temple").exists()


def test_curated_fixtures_use_natural_keys_and_never_primary_keys():
    for name in CURATED_FIXTURES:
        rows = fixture_rows(name)
        assert rows, f"fixtures/{name}.json is empty"
        assert [row for row in rows if "pk" in row] == [], f"fixtures/{name}.json hard-codes primary keys"
