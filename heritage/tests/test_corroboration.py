"""How many independent primary sources support an incident, and the claim standing they suggest."""

import re

import pytest
from django.urls import reverse

from heritage.models import Citation, ClaimStanding, Incident, Source, Status
from heritage.tests.factories import make_incident, make_source
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def bel():
    return make_site("Temple of Bel", slug="temple-of-bel")


def observatory_claim(status=Status.PUBLISHED):
    return make_source("[Report that the Temple of Bel had been blown up]", kind=Source.Kind.MONITORING,
                       publisher="Syrian Observatory for Human Rights", published="2015-08-30", status=status)


def repeating(title, *upstream, status=Status.PUBLISHED):
    report = make_source(title, publisher="Example News", published="2015-08-31", status=status)
    report.relies_on.set(upstream)
    return report


def cite(incident, *sources):
    for source in sources:
        Citation.objects.create(incident=incident, source=source)


def test_reports_repeating_one_claim_count_once(bel):
    claim = observatory_claim()
    incident = make_incident([bel], source=repeating("Temple blown up", claim))
    cite(incident, repeating("Temple of Bel destroyed", claim))

    assert list(incident.independent_primary_sources()) == [claim]


def test_independent_claims_count_each_and_chains_are_followed_to_their_root(bel):
    claim = observatory_claim()
    imagery = make_source("UNOSAT analysis", kind=Source.Kind.IMAGERY, publisher="UNITAR-UNOSAT",
                          published="2015-09-01")
    wire = repeating("Wire copy", claim)
    incident = make_incident([bel], source=repeating("Paper quoting the wire", wire))
    cite(incident, imagery, claim)

    assert set(incident.independent_primary_sources()) == {claim, imagery}


def test_a_report_relying_on_nothing_is_its_own_primary_source(bel):
    report = make_source("Eyewitness report")
    incident = make_incident([bel], source=report)

    assert list(incident.independent_primary_sources()) == [report]


def test_readers_count_only_published_sources_and_editors_count_drafts_too(bel, alice, charlie):
    from django.contrib.auth.models import AnonymousUser

    claim = observatory_claim(status=Status.DRAFT)
    report = repeating("Temple blown up", claim)
    incident = make_incident([bel], source=report)
    imagery = make_source("UNOSAT analysis (draft)", status=Status.DRAFT)
    cite(incident, imagery)

    # A reader cannot see what the report relies on: it stands as its own primary source.
    assert list(incident.independent_primary_sources(AnonymousUser())) == [report]
    assert list(incident.independent_primary_sources(charlie)) == [report]
    assert list(incident.independent_primary_sources()) == [report]
    assert set(incident.independent_primary_sources(alice)) == {claim, imagery}


def test_one_primary_source_suggests_alleged_and_two_independent_ones_corroborated(bel):
    incident = make_incident([bel], source=repeating("Temple blown up", observatory_claim()),
                             claim=ClaimStanding.CORROBORATED)
    assert incident.suggested_claim() == ClaimStanding.ALLEGED

    incident.claim = ClaimStanding.ALLEGED
    assert incident.suggested_claim() is None

    cite(incident, make_source("UNOSAT analysis", kind=Source.Kind.IMAGERY))
    assert incident.suggested_claim() == ClaimStanding.CORROBORATED


def test_copies_of_one_claim_never_suggest_corroborated_even_when_the_claim_is_a_draft(bel):
    claim = observatory_claim(status=Status.DRAFT)
    incident = make_incident([bel], source=repeating("Temple blown up", claim), claim=ClaimStanding.CORROBORATED)
    cite(incident, repeating("Temple of Bel destroyed", claim), repeating("Bel gone", claim))

    assert incident.suggested_claim() == ClaimStanding.ALLEGED  # one claim, three copies


def test_a_draft_source_does_not_count_toward_the_suggested_standing(bel):
    incident = make_incident([bel], source=make_source("Eyewitness report"))
    cite(incident, make_source("UNOSAT analysis (draft)", status=Status.DRAFT))

    assert incident.suggested_claim() is None


def test_confirmed_disputed_and_retracted_claims_are_never_suggested_away(bel):
    for standing in (ClaimStanding.CONFIRMED, ClaimStanding.DISPUTED, ClaimStanding.RETRACTED):
        incident = make_incident([bel], source=make_source("One report"), claim=standing)

        assert incident.suggested_claim() is None


def test_the_suggestion_is_never_applied_on_its_own(bel):
    incident = make_incident([bel], source=make_source("One report"))

    cite(incident, make_source("Another, independent report"))
    incident.refresh_from_db()

    assert incident.claim == ClaimStanding.ALLEGED
    assert incident.suggested_claim() == ClaimStanding.CORROBORATED


def test_editors_accept_suggestions_with_an_admin_action(bel, editor):
    corroborated = make_incident([bel], source=make_source("One report"))
    cite(corroborated, make_source("Another, independent report"))
    single = make_incident([bel], source=make_source("A lone report"))

    response = editor.post(reverse("admin:heritage_incident_changelist"), {
        "action": "accept_suggested_claims", "_selected_action": [corroborated.pk, single.pk],
    })

    assert response.status_code == 302
    corroborated.refresh_from_db()
    single.refresh_from_db()
    assert (corroborated.claim, single.claim) == (ClaimStanding.CORROBORATED, ClaimStanding.ALLEGED)
    assert corroborated.history.first().claim == ClaimStanding.CORROBORATED


def test_the_admin_change_page_shows_the_count_and_the_suggestion(bel, editor):
    incident = make_incident([bel], source=make_source("One report"))
    cite(incident, make_source("Another, independent report"))

    html = editor.get(reverse("admin:heritage_incident_change", args=[incident.pk])).content.decode()

    assert "2 independent primary sources" in html
    assert "suggest the claim <strong>Corroborated by independent sources</strong>" in html


def count_on_page(client, incident):
    html = client.get(incident.get_absolute_url()).content.decode()
    return int(re.search(r'id="independent-sources">\s*(\d+) independent', html).group(1))


def count_in_admin(client, incident):
    html = client.get(reverse("admin:heritage_incident_change", args=[incident.pk])).content.decode()
    return int(re.search(r'id="independent-sources-count">\s*(\d+) independent', html).group(1))


def count_in_api(client, incident):
    return client.get(f"/api/v1/incidents/{incident.slug}/").json()["independent_primary_sources"]


def test_the_incident_page_the_admin_and_the_api_give_the_same_count_for_the_same_user(bel, client, alice):
    from rest_framework.test import APIClient

    published_claim = observatory_claim()
    draft_imagery = make_source("UNOSAT analysis (draft)", status=Status.DRAFT)
    incident = make_incident([bel], source=repeating("Temple blown up", published_claim))
    cite(incident, repeating("Temple of Bel destroyed", published_claim), draft_imagery)
    api = APIClient()

    assert (count_on_page(client, incident), count_in_api(api, incident)) == (1, 1)

    client.force_login(alice)
    api.force_login(alice)  # a session, as a signed-in reader has: never answered from the anonymous cache
    assert (count_on_page(client, incident), count_in_admin(client, incident), count_in_api(api, incident)) == (2, 2, 2)


def test_a_draft_incident_has_no_count_for_readers_because_it_is_not_shown(bel, client):
    incident = make_incident([bel], status=Status.DRAFT)

    assert client.get(incident.get_absolute_url()).status_code == 404
    assert Incident.objects.get(pk=incident.pk).independent_primary_sources().count() == 0
