"""A site's risk profile (derived condition and risk) follows every write, through one write path.

RiskProfile.objects.refresh() is the one implementation of the rule's inputs,
for one site or many; every writer (admin, API, importers, model methods) ends
in RiskProfile.objects.record_changed(), and nothing listens to model signals.
"""

import datetime
import weakref
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone

from config import response_cache
from heritage.models import (
    Citation,
    ClaimStanding,
    DamageExtent,
    Incident,
    RiskProfile,
    RiskProfileQuerySet,
    Source,
    Status,
)
from heritage.risk import RiskLevel
from heritage.tests.factories import (
    CONDITION_SCALE,
    make_assessment,
    make_category,
    make_condition,
    make_incident,
    make_source,
)
from sites.models import Designation, Identifier, Site, SiteName
from sites.tests.admin_forms import admin_url, form_data
from sites.tests.factories import make_designation, make_site

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(datetime.datetime(2016, 6, 1))
FIELDS = ["condition_id", "condition_assessment_id", "in_danger", "standing_incidents", "latest_incident",
          "risk_level", "risk_rank", "risk_reasons"]
WHC_SAMPLE = Path(__file__).parents[2] / "sites" / "tests" / "data" / "whc-32-utf8-bom.csv"


def profile_of(site):
    return RiskProfile.objects.get(site=site)


def with_extent(slug):
    """A DamageExtent term, with EAMENA's condition scale it maps onto."""
    for state in CONDITION_SCALE[:-1]:
        make_condition(state)
    extent, _ = DamageExtent.objects.get_or_create(slug=slug, defaults={"label": f"{slug}%", "position": 5})
    return extent


# The rule's inputs, for one site or many ------------------------------------------------


def test_a_site_has_an_unknown_risk_once_refreshed_with_nothing_on_record():
    site = make_site("Temple of Bel")
    RiskProfile.objects.refresh([site])
    assert profile_of(site).risk_level == RiskLevel.UNKNOWN
    assert profile_of(site).reasons_in_words() == ["Nothing assessed or reported yet."]


def test_the_current_condition_is_the_latest_published_assessment():
    site = make_site("Temple of Bel")
    make_assessment(site, "good", date="2010")
    destroyed = make_assessment(site, "destroyed", date="2015-08-31")
    make_assessment(site, "fair", date="2016-04", status=Status.DRAFT)

    profile = profile_of(site)
    assert profile.condition.slug == "destroyed"
    assert profile.condition_assessment == destroyed
    assert profile.risk_level == RiskLevel.HIGH


def test_old_incidents_are_not_recent_once_the_years_pass():
    site = make_site("Temple of Baalshamin")
    make_incident([site], date="2015-08-23")

    RiskProfile.objects.refresh([site], at=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC))
    assert profile_of(site).risk_level == RiskLevel.HIGH
    RiskProfile.objects.refresh([site], at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert profile_of(site).risk_level == RiskLevel.MODERATE


def test_draft_and_retracted_incidents_do_not_count():
    site = make_site("Temple of Baalshamin")
    make_incident([site], status=Status.DRAFT)
    make_incident([site], claim=ClaimStanding.RETRACTED)
    assert profile_of(site).standing_incidents == 0


def test_the_latest_incident_date_is_kept_for_sorting():
    site = make_site("Theatre")
    make_incident([site], date="2015-07-04")
    latest = make_incident([site], date="2016-12-11/2017-01-10")
    assert profile_of(site).latest_incident == latest.date_latest


def test_refreshing_a_site_refreshes_its_parts_at_any_depth():
    palmyra = make_site("Site of Palmyra")
    temple = make_site("Temple of Bel", parent=palmyra)
    cella = make_site("Cella of the Temple of Bel", parent=temple)
    make_designation(palmyra, kind=Designation.Kind.IN_DANGER, start="2013-06-20")

    assert RiskProfile.objects.refresh([palmyra.pk]) == 3
    assert profile_of(cella).in_danger and profile_of(cella).risk_level == RiskLevel.HIGH


def test_one_site_at_a_time_and_all_sites_at_once_get_the_same_profiles():
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
    arch = make_site("Monumental Arch")
    make_incident([arch], date="2015-10-04", claim=ClaimStanding.CONFIRMED, damage_extent=with_extent("91-100"))
    quiet = make_site("Qasr al-Hayr al-Gharbi")
    make_assessment(quiet, "good", date="2009")
    unknown = make_site("Somewhere unassessed")
    sites = [palmyra, temple, theatre, arch, quiet, unknown]

    one_by_one = {}
    for site in sites:
        RiskProfile.objects.all().delete()
        RiskProfile.objects.refresh(Site.objects.filter(pk=site.pk), at=AT)
        one_by_one[site.pk] = {field: getattr(profile_of(site), field) for field in FIELDS}
    RiskProfile.objects.all().delete()
    assert RiskProfile.objects.refresh(at=AT) == 6
    at_once = {profile.site_id: {field: getattr(profile, field) for field in FIELDS}
               for profile in RiskProfile.objects.all()}

    assert at_once == one_by_one
    assert one_by_one[temple.pk]["risk_level"] == "critical"
    assert one_by_one[quiet.pk]["risk_level"] == "low"


@pytest.mark.parametrize("count", [1, 50])
def test_a_refresh_takes_the_same_queries_for_one_site_as_for_fifty(count, django_assert_num_queries):
    sites = [make_site(f"Site {number}") for number in range(count)]
    for site in sites:
        make_assessment(site, "poor")
        make_incident([site])
    # the sites and their parts (locked), condition states, latest assessments, the sites within current
    # In Danger listings, standing incident counts, confirmed damage, one upsert; then their stored API details
    # (StoredSiteDetail): the sites with their names, identifiers, designations and parts, for events and for
    # incidents the places within them, their links and the facts (of_sites()), their Linked Places features (the
    # sites, names, identifiers), one upsert
    with django_assert_num_queries(22):
        assert RiskProfile.objects.refresh(sites, at=AT) == count


def test_the_refresh_command_recomputes_every_site():
    site = make_site("Theatre")
    RiskProfile.objects.refresh([site])
    RiskProfile.objects.filter(site=site).update(risk_level=RiskLevel.CRITICAL)
    call_command("refresh_risk_profiles", verbosity=0)
    assert profile_of(site).risk_level == RiskLevel.UNKNOWN


# Confirmed damage and the condition ---------------------------------------------------


def test_confirmed_destruction_without_an_assessment_makes_the_condition_destroyed():
    arch = make_site("Monumental Arch")
    make_incident([arch], title="Arch blown up", date="2015-10-04", claim=ClaimStanding.CONFIRMED,
                  damage_extent=with_extent("91-100"))

    profile = profile_of(arch)
    assert profile.condition.slug == "destroyed"
    assert profile.condition_assessment is None
    assert "Current condition: Destroyed, from the confirmed incident “Arch blown up” (2015-10-04), " \
        "not from an assessment." in profile.reasons_in_words()


def test_damage_that_is_only_alleged_or_without_an_extent_sets_no_condition():
    theatre = make_site("Roman Theatre")
    make_incident([theatre], claim=ClaimStanding.CORROBORATED, damage_extent=with_extent("91-100"))
    make_incident([theatre], claim=ClaimStanding.CONFIRMED)  # "façade blown up": how much of the site is not said
    assert profile_of(theatre).condition is None


def test_confirmed_damage_after_the_latest_assessment_makes_the_condition_worse():
    tetrapylon = make_site("Tetrapylon")
    make_assessment(tetrapylon, "fair", date="2010")
    make_incident([tetrapylon], date="2016-12-11/2017-01-10", claim=ClaimStanding.CONFIRMED,
                  damage_extent=with_extent("61-90"))
    assert profile_of(tetrapylon).condition.slug == "very-bad"


def test_an_assessment_after_the_confirmed_damage_supersedes_it():
    temple = make_site("Temple of Bel")
    make_incident([temple], date="2015-08-30", claim=ClaimStanding.CONFIRMED, damage_extent=with_extent("91-100"))
    assessment = make_assessment(temple, "very-bad", date="2015-08-31")
    assert profile_of(temple).condition.slug == "very-bad"
    assert profile_of(temple).condition_assessment == assessment


# Every writer ends in the write path ------------------------------------------------------


def test_no_receiver_of_ours_listens_to_model_signals():
    # Every top-level package and module of the project, read from disk, so a receiver in a new one fails too.
    project = Path(__file__).parents[2]
    ours = {path.parent.name for path in project.glob("*/*.py")} | {path.stem for path in project.glob("*.py")}
    assert {"apikit", "bench", "config", "demo", "heritage", "sites", "conftest"} <= ours
    for signal in (pre_delete, post_save, post_delete, m2m_changed):
        receivers = [entry[1] for entry in signal.receivers]
        receivers = [ref() if isinstance(ref, weakref.ReferenceType) else ref for ref in receivers]
        modules = {getattr(receiver, "__module__", "") or "" for receiver in receivers}
        # django-simple-history connects its own (simple_history.models) to record the audit trail.
        assert not [module for module in modules if module.split(".")[0] in ours], signal


def test_publishing_and_confirming_refresh_the_profile():
    site = make_site("Temple of Bel")
    incident = make_incident([site], date=timezone.now().date().isoformat(), damage_extent=with_extent("91-100"))
    assert profile_of(site).standing_incidents == 1 and profile_of(site).condition is None

    incident.confirm()
    assert profile_of(site).condition.slug == "destroyed"
    assert profile_of(site).risk_level == RiskLevel.CRITICAL


def test_moving_an_incident_to_another_site_in_the_admin_refreshes_both(client, alice):
    theatre, tetrapylon = make_site("Theatre"), make_site("Tetrapylon")
    incident = make_incident([theatre], date="2017-01-10")
    client.force_login(alice)

    url = admin_url(Incident, "change", incident.pk)
    response = client.post(url, form_data(client.get(url), sites=[tetrapylon.pk]))

    assert response.status_code == 302
    assert profile_of(theatre).standing_incidents == 0
    assert profile_of(tetrapylon).standing_incidents == 1


def test_deleting_the_latest_assessment_through_the_api_falls_back_to_the_one_before(api_as, bob):
    site = make_site("Temple of Bel")
    make_assessment(site, "good", date="2010")
    latest = make_assessment(site, "destroyed", date="2015-08-31")
    client = api_as(bob)
    url = f"/api/v1/assessments/{latest.pk}/"

    response = client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"])

    assert response.status_code == 204
    assert profile_of(site).condition.slug == "good"
    assert profile_of(site).risk_level == RiskLevel.LOW


def test_an_in_danger_listing_added_in_the_admin_reaches_the_sites_parts(client, alice):
    palmyra = make_site("Site of Palmyra")
    temple = make_site("Temple of Bel", parent=palmyra)
    client.force_login(alice)

    url = admin_url(Designation, "add")
    response = client.post(url, form_data(client.get(url), site=palmyra.pk, kind="in-danger", start="2013-06-20"))

    assert response.status_code == 302
    assert profile_of(temple).in_danger and profile_of(temple).risk_level == RiskLevel.HIGH


def test_deleting_listings_in_bulk_in_the_admin_refreshes_their_sites_and_parts(client, bob):
    palmyra = make_site("Site of Palmyra")
    temple = make_site("Temple of Bel", parent=palmyra)
    listing = make_designation(palmyra, kind=Designation.Kind.IN_DANGER, start="2013-06-20")
    RiskProfile.objects.record_changed([palmyra])
    assert profile_of(temple).in_danger
    client.force_login(bob)

    client.post(admin_url(Designation, "changelist"), {"action": "delete_selected", "_selected_action": [listing.pk],
                                                       "post": "yes"})

    assert not Designation.objects.exists()
    assert not profile_of(temple).in_danger


def test_deleting_an_incident_through_the_api_refreshes_its_sites(api_as, bob):
    theatre = make_site("Theatre")
    incident = make_incident([theatre], date="2017-01-10")
    client = api_as(bob)
    url = f"/api/v1/incidents/{incident.slug}/"

    response = client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"])

    assert response.status_code == 204
    assert profile_of(theatre).standing_incidents == 0


def test_retracting_a_claim_through_the_api_lowers_the_risk(api_as, alice):
    palmyra = make_site("Site of Palmyra")
    make_designation(palmyra, kind=Designation.Kind.IN_DANGER, start="2013-06-20")
    incident = make_incident([palmyra], date=timezone.now().date().isoformat())
    assert profile_of(palmyra).risk_level == RiskLevel.CRITICAL
    client = api_as(alice)
    url = f"/api/v1/incidents/{incident.slug}/"

    response = client.patch(url, {"claim": "retracted"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])

    assert response.status_code == 200, response.content
    assert profile_of(palmyra).risk_level == RiskLevel.HIGH


def test_report_intake_files_its_drafts_through_the_write_path():
    from heritage.intake.proposals import ConfirmedSite, Report, save_drafts
    from heritage.tests.factories import make_category

    site = make_site("Temple of Bel")
    report = Report(text="The temple was blown up.", title="Temple of Bel blown up", publisher="Example News",
                    url="https://example.org/bel", published="2015-08-31")

    save_drafts(report, [ConfirmedSite(site=site, category=make_category(), date="2015-08-30", quote="blown up")])

    assert profile_of(site).standing_incidents == 0  # refreshed, and a draft does not count


def test_importing_unesco_s_list_refreshes_the_sites_it_touched():
    call_command("import_whc", str(WHC_SAMPLE), verbosity=0)

    assert RiskProfile.objects.get(site__identifiers__value="23").in_danger is True
    assert RiskProfile.objects.get(site__identifiers__value="95").in_danger is False
    assert RiskProfile.objects.count() == Identifier.objects.filter(authority="unesco").count() == 6


def test_a_dry_run_of_the_unesco_import_refreshes_nothing():
    call_command("import_whc", str(WHC_SAMPLE), "--dry-run", verbosity=0)
    assert not RiskProfile.objects.exists()
    assert not SiteName.objects.exists()


def test_a_source_published_in_the_admin_action_stays_out_of_every_profile(client, bob):
    source = make_source(status=Status.DRAFT)
    client.force_login(bob)
    client.post(admin_url(Source, "changelist"), {"action": "publish_selected", "_selected_action": [source.pk]})
    source.refresh_from_db()
    assert source.status == Status.PUBLISHED
    assert not RiskProfile.objects.exists()


def test_a_spreadsheet_import_refreshes_the_sites_of_its_incidents():
    import tablib

    from heritage.resources import IncidentResource
    from heritage.tests.factories import make_category

    site, source, category = make_site("Temple of Bel"), make_source(), make_category()
    sheet = tablib.Dataset(headers=["slug", "title", "date", "sites", "category", "claim", "status", "sources"])
    sheet.append(["bel-blown-up", "Bel blown up", "2015-08-30", site.slug, category.slug, "confirmed", "published",
                  source.slug])

    result = IncidentResource().import_data(sheet, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert profile_of(site).standing_incidents == 1


# Writers of many records end the write path once ------------------------------------------


def refreshes(monkeypatch):
    """The sites of each refresh of risk profiles from now on."""
    seen, refresh = [], RiskProfileQuerySet.refresh

    def spy(queryset, sites=None, **kwargs):
        seen.append(set(sites))
        return refresh(queryset, sites, **kwargs)

    monkeypatch.setattr(RiskProfileQuerySet, "refresh", spy)
    return seen


def test_publishing_a_source_retires_cached_answers(client, settings):
    settings.RESPONSE_CACHE_SECONDS = 300
    source = make_source(status=Status.DRAFT)
    client.get("/api/v1/sources/")
    before = response_cache.generation()

    Source.objects.filter(pk=source.pk).publish()

    assert response_cache.generation() != before
    assert [item["slug"] for item in client.get("/api/v1/sources/").json()["results"]] == [source.slug]


def test_publishing_a_selection_refreshes_the_profiles_of_all_its_sites_at_once(monkeypatch):
    sites = [make_site(f"Temple {number}") for number in range(3)]
    for site in sites:
        Citation.objects.create(incident=make_incident([site], status=Status.DRAFT), source=make_source())
    refreshed = refreshes(monkeypatch)

    published, refused = Incident.objects.all().publish()

    assert (len(published), refused) == (3, [])
    assert refreshed == [{site.pk for site in sites}]
    assert all(profile_of(site).standing_incidents == 1 for site in sites)


def test_confirming_a_selection_refreshes_the_profiles_of_all_its_sites_at_once(monkeypatch):
    sites = [make_site(f"Temple {number}") for number in range(3)]
    for site in sites:
        make_incident([site])
    refreshed = refreshes(monkeypatch)

    assert len(Incident.objects.all().confirm()) == 3
    assert Incident.objects.all().confirm() == []

    assert refreshed == [{site.pk for site in sites}, set()]
    assert set(Incident.objects.values_list("claim", flat=True)) == {ClaimStanding.CONFIRMED}


def test_refreshing_more_sites_than_a_statement_may_name_stores_only_those():
    asked = [make_site(f"Site {number}") for number in range(501)]
    part = make_site("Part of the first", parent=asked[0])
    untouched = make_site("Elsewhere")

    assert RiskProfile.objects.refresh(asked) == 502

    assert set(RiskProfile.objects.values_list("site_id", flat=True)) == {site.pk for site in [*asked, part]}
    assert not RiskProfile.objects.filter(site=untouched).exists()


# A site's record is the site and its parts ---------------------------------------------------


def test_a_sites_profile_counts_the_incidents_of_its_parts_at_any_depth_once_each():
    palmyra = make_site("Palmyra")
    temple = make_site("Temple of al-Lat", parent=palmyra)
    lion = make_site("Lion of al-Lat", parent=temple)
    make_incident([lion], date="2015-07-01")
    make_incident([temple, lion], date="2016-03-27")
    RiskProfile.objects.refresh([palmyra], at=AT)

    assert [profile_of(site).standing_incidents for site in (palmyra, temple, lion)] == [2, 2, 2]
    assert profile_of(palmyra).reasons_in_words() == [
        "2 standing incidents at the site and its parts in the last 3 years."]
    assert profile_of(lion).reasons_in_words() == ["2 standing incidents in the last 3 years."]


def test_an_incident_reported_at_a_part_through_the_api_refreshes_the_whole_site(api_as, alice):
    palmyra = make_site("Palmyra", slug="palmyra")
    make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)
    RiskProfile.objects.refresh([palmyra])
    category, source = make_category(), make_source()

    response = api_as(alice).post("/api/v1/incidents/", {
        "slug": "bel-blown-up", "title": "Temple of Bel blown up", "date": "2015-08-30", "sites": ["temple-of-bel"],
        "category": category.slug, "status": "published", "citations": [{"source": source.slug}],
    }, format="json")

    assert response.status_code == 201, response.json()
    assert profile_of(palmyra).standing_incidents == 1
