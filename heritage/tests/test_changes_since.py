"""/api/v1/changes/?since=…: what changed in the published record, deletions and withdrawals included,
so that a mirror can stay in step; drafts never show."""

import datetime

import pytest
from django.utils import timezone

from heritage.models import Incident, Release, Source
from heritage.tests.factories import make_incident, make_source
from sites.models import Site, SiteName
from sites.tests.factories import make_name


@pytest.fixture
def since(palmyra):
    """A moment after the Palmyra world was built: only what the test changes comes after it."""
    return timezone.now()


def changes(client, since, **params):
    response = client.get("/api/v1/changes/", {"since": since.isoformat() if hasattr(since, "isoformat") else since,
                                               **params})
    assert response.status_code == 200, response.content
    return response.json()


def listed(body):
    return [(row["type"], row["id"], row["change"]) for row in body["results"]]


def test_nothing_changed_lists_nothing(client, since):
    assert changes(client, since) == {"since": since.isoformat(), "next": None, "results": []}


def test_a_new_name_is_a_change_to_its_site_with_the_url_to_fetch_it_again(client, palmyra, since):
    make_name(palmyra.site, "Palmyre", "fr")

    body = changes(client, since)

    assert listed(body) == [("site", "palmyra", "updated")]
    assert body["results"][0]["url"] == "http://testserver/api/v1/sites/palmyra/"


def test_a_deleted_site_and_a_deleted_incident_are_listed_as_deleted(client, palmyra, since):
    # Fresh instances: delete() forgets the pk of the one it is given, and the world is shared by the module.
    Incident.objects.get(slug=palmyra.baalshamin_destroyed.slug).delete()
    SiteName.objects.filter(site__slug="ancient-city-of-damascus").delete()
    Site.objects.get(slug="ancient-city-of-damascus").delete()

    body = changes(client, since)

    assert listed(body) == [("incident", palmyra.baalshamin_destroyed.slug, "deleted"),
                            ("site", "ancient-city-of-damascus", "deleted")]
    assert [row["url"] for row in body["results"]] == [None, None]


def test_a_withdrawn_source_and_the_facts_it_alone_supported_are_deleted_for_mirrors(client, palmyra, since):
    palmyra.seed.withdraw()

    assert sorted(listed(changes(client, since))) == [
        ("incident", palmyra.baalshamin_destroyed.slug, "deleted"),
        ("source", palmyra.seed.slug, "deleted"),
    ]


def test_drafts_never_show_nor_changes_to_them(client, palmyra, since):
    palmyra.draft.title = "Looting reported"
    palmyra.draft.save()
    make_source("A draft report", status="draft")
    make_incident([palmyra.bel], title="Another unchecked rumour", status="draft")

    assert changes(client, since)["results"] == []


def test_a_draft_once_published_shows_as_it_is_published(client, palmyra, since):
    source = make_source("Report on the Temple of Bel", status="draft")
    source.publish()

    assert listed(changes(client, since)) == [("source", source.slug, "updated")]


def test_since_may_name_a_release(client, palmyra, since):
    Release.objects.create(version="2026.12.01", released=datetime.date(2026, 12, 1), record_as_of=since)
    Source.objects.filter(pk=palmyra.unosat.pk).get().save()

    assert listed(changes(client, "2026.12.01")) == [("source", palmyra.unosat.slug, "updated")]


def test_pages_follow_next_links_through_every_change_once(client, palmyra, since):
    for site in (palmyra.site, palmyra.bel, palmyra.baalshamin):
        site.summary = site.summary + " (revised)"
        site.save()

    first = changes(client, since, page_size=2)
    second = client.get(first["next"]).json()

    assert listed(first) + listed(second) == [
        ("site", "palmyra", "updated"), ("site", "temple-of-bel", "updated"), ("site", "temple-of-baalshamin", "updated"),
    ]
    assert second["next"] is None


@pytest.mark.parametrize(("params", "field", "message"), [
    ({}, "since", "Give since: a date-time such as 2026-11-30T12:00:00Z, or a release version such as 2026.12.01."),
    ({"since": "last tuesday"}, "since", "“last tuesday” is neither an ISO 8601 date-time nor a release version."),
    ({"since": "2026-02-30"}, "since", "“2026-02-30” is neither an ISO 8601 date-time nor a release version."),
    ({"since": "2026-11-30", "cursor": "bogus"}, "cursor",
     "This cursor is not valid: follow the “next” links of a previous response."),
    ({"since": "2026-11-30", "page_size": "0"}, "page_size", "Give a whole number from 1 to 500."),
    ({"since": "0001-01-01T00:00:00+14:00"}, "since", "“0001-01-01T00:00:00+14:00” is outside the years 1 to 9999 in UTC."),
    ({"since": "9999-12-31T23:59:59-01:00"}, "since", "“9999-12-31T23:59:59-01:00” is outside the years 1 to 9999 in UTC."),
    # Decodable cursors that no response gave: a naive time, a number for a type.
    ({"since": "2026-11-30", "cursor": "WyIyMDI2LTEyLTAxVDAwOjAwOjAwIiwgInNpdGUiLCAicGFsbXlyYSJd"}, "cursor",
     "This cursor is not valid: follow the “next” links of a previous response."),
    ({"since": "2026-11-30", "cursor": "WyIyMDI2LTEyLTAxVDAwOjAwOjAwKzAwOjAwIiwgNSwgInBhbG15cmEiXQ=="}, "cursor",
     "This cursor is not valid: follow the “next” links of a previous response."),
])
def test_bad_parameters_are_a_400_naming_the_field(client, palmyra, params, field, message):
    response = client.get("/api/v1/changes/", params)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: [message]}


def test_a_date_without_time_means_midnight_utc(client, palmyra):
    body = changes(client, "2026-11-30")

    assert body["since"] == "2026-11-30T00:00:00+00:00"


def test_the_changes_take_a_fixed_number_of_queries(client, palmyra, since, django_assert_num_queries):
    make_name(palmyra.site, "Palmyre", "fr")
    Incident.objects.get(slug=palmyra.baalshamin_destroyed.slug).delete()
    Site.objects.get(slug="temple-of-bel").save()
    # 1: is since a release's version? Then each kind's own history and its parts' history (site 1+3,
    # source 1+1, event 1+1, incident 1+1, assessment 1+1); for the kinds with changes (site, incident),
    # which are present now; for the one with absent records (the incident), its history's last versions.
    with django_assert_num_queries(1 + 4 + 2 + 2 + 2 + 2 + 2 + 1):
        changes(client, since)
