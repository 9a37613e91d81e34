from pathlib import Path

import pytest

from heritage.models import RecordSummary
from sites.tests.factories import make_designation, make_site
from sites.whc import import_file

pytestmark = pytest.mark.django_db

WHC_SAMPLE = Path(__file__).parents[2] / "sites" / "tests" / "data" / "whc-32-utf8-bom.csv"


def test_imported_sites_get_a_status_once_the_batch_ends():
    import_file(WHC_SAMPLE)

    assert RecordSummary.objects.get(site__identifiers__value="23").in_danger is True
    assert RecordSummary.objects.get(site__identifiers__value="95").in_danger is False
    assert RecordSummary.objects.count() == 6


def test_a_dry_run_batch_refreshes_nothing():
    import_file(WHC_SAMPLE, dry_run=True)

    assert not RecordSummary.objects.exists()


def test_outside_a_batch_a_designation_still_refreshes_its_site_at_once():
    site = make_site("Palmyra")
    make_designation(site, kind="in-danger", start="2013")

    assert RecordSummary.objects.get(site=site).in_danger is True
