"""manage.py release run on its own, as in production: one REPEATABLE READ snapshot of the record on PostgreSQL.

Apart from test_releases.py, whose module-wide fixture holds a transaction open around every test there.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.models import Release
from sites.tests.factories import PALMYRA, make_site


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_its_own_a_release_reads_one_repeatable_read_snapshot(tmp_path, settings):
    settings.CANONICAL_URL = "https://heritage.example.org"
    make_site("Site of Palmyra", slug="palmyra", **PALMYRA)

    with CaptureQueriesContext(connection) as queries:
        call_command("release", output=str(tmp_path / "r"), date="2026-12-01", stdout=io.StringIO())

    statements = [query["sql"] for query in queries.captured_queries]
    assert statements[:2] == ["BEGIN", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"]
    assert Release.objects.get().counts["sites"] == 1
