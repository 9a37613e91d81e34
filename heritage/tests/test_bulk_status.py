import datetime

from django.utils import timezone

from heritage.bulk_status import rebuild_site_statuses
from heritage.models import ClaimStanding, RecordSummary, Status
from heritage.tests.factories import make_assessment, make_incident
from sites.models import Designation
from sites.tests.factories import make_designation, make_site

AT = timezone.make_aware(datetime.datetime(2016, 6, 1))
FIELDS = ["condition_id", "condition_assessment_id", "in_danger", "standing_incidents", "latest_incident",
          "risk_level", "risk_rank", "risk_reasons"]


def one_by_one(sites):
    return {site.pk: {f: getattr(RecordSummary.refresh_for(site, at=AT), f) for f in FIELDS} for site in sites}


def in_bulk():
    rebuild_site_statuses(at=AT)
    return {status.site_id: {f: getattr(status, f) for f in FIELDS} for status in RecordSummary.objects.all()}


def test_the_bulk_rebuild_gives_the_same_status_as_refreshing_each_site(db):
    palmyra = make_site("Site of Palmyra")
    make_designation(palmyra, kind=Designation.Kind.IN_DANGER, start="2013")
    temple = make_site("Temple of Bel", parent=palmyra)
    make_assessment(temple, "fair", date="2010-04-01")
    make_assessment(temple, "destroyed", date="2015-08-31")
    make_assessment(temple, "good", date="2016-01-01", status=Status.DRAFT)
    theatre = make_site("Theatre", parent=palmyra)
    make_incident([temple, theatre], date="2015-08-30", claim=ClaimStanding.CONFIRMED)
    make_incident([theatre], date="2001-01-01")
    make_incident([theatre], date="2015-07-04", claim=ClaimStanding.RETRACTED)
    quiet = make_site("Qasr al-Hayr al-Gharbi")
    make_assessment(quiet, "good", date="2009")
    unknown = make_site("Somewhere unassessed")
    expected = one_by_one([palmyra, temple, theatre, quiet, unknown])
    RecordSummary.objects.all().delete()
    assert in_bulk() == expected
    assert expected[temple.pk]["risk_level"] == "critical"
    assert expected[quiet.pk]["risk_level"] == "low"


def test_the_bulk_rebuild_takes_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    for number in range(6):
        site = make_site(f"Site {number}")
        make_assessment(site, "poor")
        make_incident([site])
    # site ids, parents, states, assessments, in-danger designations, incident counts, one upsert
    with django_assert_max_num_queries(7):
        assert rebuild_site_statuses(at=AT) == 6
