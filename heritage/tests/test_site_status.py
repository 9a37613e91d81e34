import datetime

import pytest
from django.utils import timezone

from heritage.models import ClaimStanding, RecordSummary, Status
from heritage.risk import RiskLevel
from heritage.tests.factories import make_assessment, make_incident
from sites.models import Designation
from sites.tests.factories import make_designation, make_site


def status_of(site):
    return RecordSummary.objects.get(site=site)


def test_a_new_site_has_an_unknown_risk(db):
    site = make_site("Temple of Bel")
    assert status_of(site).risk_level == RiskLevel.UNKNOWN


def test_the_current_condition_is_the_latest_published_assessment(db):
    site = make_site("Temple of Bel")
    make_assessment(site, "good", date="2010")
    destroyed = make_assessment(site, "destroyed", date="2015-08-31")
    make_assessment(site, "fair", date="2016-04", status=Status.DRAFT)

    status = status_of(site)
    assert status.condition.slug == "destroyed"
    assert status.condition_assessment == destroyed
    assert status.risk_level == RiskLevel.HIGH


def test_deleting_the_latest_assessment_falls_back_to_the_one_before(db):
    site = make_site("Temple of Bel")
    make_assessment(site, "good", date="2010")
    make_assessment(site, "destroyed", date="2015-08-31").delete()

    assert status_of(site).condition.slug == "good"
    assert status_of(site).risk_level == RiskLevel.LOW


def test_parts_inherit_the_in_danger_listing_of_their_site(db):
    palmyra = make_site("Site of Palmyra")
    temple = make_site("Temple of Bel", parent=palmyra)

    listing = make_designation(palmyra, kind=Designation.Kind.IN_DANGER, start="2013-06-20")
    assert status_of(palmyra).in_danger and status_of(temple).in_danger
    assert status_of(temple).risk_level == RiskLevel.HIGH

    listing.end = "2030"
    listing.save()
    assert not status_of(temple).in_danger


def test_a_recent_standing_incident_at_an_endangered_site_is_critical(db):
    palmyra = make_site("Site of Palmyra")
    make_designation(palmyra, kind=Designation.Kind.IN_DANGER, start="2013-06-20")
    this_year = timezone.now().date().isoformat()

    incident = make_incident([palmyra], date=this_year)
    assert status_of(palmyra).risk_level == RiskLevel.CRITICAL
    assert status_of(palmyra).standing_incidents == 1

    incident.claim = ClaimStanding.RETRACTED
    incident.save()
    assert status_of(palmyra).risk_level == RiskLevel.HIGH


def test_old_incidents_are_not_recent_once_the_years_pass(db):
    site = make_site("Temple of Baalshamin")
    make_incident([site], date="2015-08-23")

    RecordSummary.refresh_for(site, at=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC))
    assert status_of(site).risk_level == RiskLevel.HIGH
    RecordSummary.refresh_for(site, at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert status_of(site).risk_level == RiskLevel.MODERATE


def test_draft_incidents_do_not_count(db):
    site = make_site("Temple of Baalshamin")
    make_incident([site], status=Status.DRAFT)
    assert status_of(site).standing_incidents == 0


def test_moving_an_incident_to_another_site_refreshes_both(db):
    theatre, tetrapylon = make_site("Theatre"), make_site("Tetrapylon")
    incident = make_incident([theatre], date="2017-01-10")
    assert status_of(theatre).standing_incidents == 1

    incident.sites.set([tetrapylon])
    assert status_of(theatre).standing_incidents == 0
    assert status_of(tetrapylon).standing_incidents == 1

    incident.sites.clear()
    assert status_of(tetrapylon).standing_incidents == 0


def test_deleting_an_incident_refreshes_its_sites(db):
    theatre = make_site("Theatre")
    make_incident([theatre], date="2017-01-10").delete()
    assert status_of(theatre).standing_incidents == 0


def test_the_latest_incident_date_is_kept_for_sorting(db):
    site = make_site("Theatre")
    make_incident([site], date="2015-07-04")
    latest = make_incident([site], date="2016-12-11/2017-01-10")
    assert status_of(site).latest_incident == latest.date_latest


@pytest.mark.parametrize("command", ["refresh_record_summaries"])
def test_the_refresh_command_recomputes_every_site(db, command):
    from django.core.management import call_command

    site = make_site("Theatre")
    RecordSummary.objects.filter(site=site).update(risk_level=RiskLevel.CRITICAL)
    call_command(command, verbosity=0)
    assert status_of(site).risk_level == RiskLevel.UNKNOWN
