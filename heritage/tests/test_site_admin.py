"""The site admin the project registers: the gazetteer's SiteAdmin with the record's panel.

What the gazetteer's base class does alone (names, identifiers, filters) is tested in
sites/tests/test_admin.py.
"""

import pytest
from django.urls import reverse

from heritage.tests.factories import make_assessment, make_event, make_incident
from sites.models import Designation, Site
from sites.tests.admin_forms import count_queries
from sites.tests.factories import PALMYRA, make_designation, make_identifier, make_name, make_site

CHANGELIST = reverse("admin:sites_site_changelist")


def change_url(site):
    return reverse("admin:sites_site_change", args=[site.pk])


@pytest.fixture
def editor(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def palmyra(db):
    site = make_site("Site of Palmyra", slug="palmyra", kind="city", **PALMYRA)
    make_name(site, "تدمر", language="ar")
    make_designation(site, start="1980", reference="23", criteria="(i)(ii)(iv)")
    return site


def test_the_site_page_links_to_its_events_incidents_assessments_and_parts(editor, palmyra):
    temple = make_site("Temple of Bel", parent=palmyra)
    make_event([palmyra])
    make_incident([palmyra, temple])
    make_assessment(palmyra, "poor")

    response = editor.get(change_url(palmyra))

    events = reverse("admin:heritage_historyevent_changelist")
    incidents = reverse("admin:heritage_incident_changelist")
    assessments = reverse("admin:heritage_conditionassessment_changelist")
    assert f'href="{events}?sites__id__exact={palmyra.pk}">1 history event</a>' in response.text
    assert f'href="{incidents}?sites__id__exact={palmyra.pk}">1 incident</a>' in response.text
    assert f'href="{assessments}?site__id__exact={palmyra.pk}">1 condition assessment</a>' in response.text
    assert f'href="{CHANGELIST}?part_of={palmyra.pk}">1 part</a>' in response.text


def test_the_add_form_explains_that_condition_risk_and_links_come_after_saving(editor, db):
    response = editor.get(reverse("admin:sites_site_add"))

    assert response.status_code == 200
    assert "Not computed yet" in response.text
    assert "appear once it is saved" in response.text


def grow_sites(count):
    for number in range(count):
        site = make_site(f"Site {number}", countries=("SY", "IQ"), parent=Site.objects.first())
        make_name(site, f"موقع {number}", language="ar")
        make_identifier(site, "pleiades", str(900000 + number + Site.objects.count() * 10))
        make_designation(site, kind=Designation.Kind.NATIONAL, start="1999")
        make_assessment(site, "fair")


def test_the_site_list_with_condition_and_risk_runs_the_same_queries_for_many_sites_as_for_few(editor, palmyra):
    grow_sites(2)
    few = count_queries(editor, CHANGELIST)
    grow_sites(6)

    # Session, user, user's and group's permissions; the filters' choices (countries in use,
    # kinds, condition states, sites with parts); filtered and total counts; the page of
    # sites with kind, parent, risk profile and its condition; their names.
    assert count_queries(editor, CHANGELIST) == few == 12


def test_the_admin_index_offers_an_editor_the_gazetteer_and_the_record(editor, db):
    response = editor.get(reverse("admin:index"))

    for section in ["Gazetteer", "Heritage record", "Sites", "Site names", "Incidents", "Threat categories"]:
        assert section in response.text
