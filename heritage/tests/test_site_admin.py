"""The site admin the project registers: the gazetteer's SiteAdmin with the record's panel.

What the gazetteer's base class does alone (names, identifiers, filters) is tested in
sites/tests/test_admin.py.
"""

import pytest
from django.urls import reverse

from heritage.tests.factories import make_assessment, make_event, make_incident
from sites.tests.admin_forms import SITE_CHANGELIST, change_url, count_queries, form_data
from sites.tests.factories import grow_sites, make_palmyra, make_site


@pytest.fixture
def palmyra(db):
    """The gazetteer's Palmyra alone, in place of the record's Palmyra of heritage/tests/conftest.py."""
    return make_palmyra()


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
    assert f'href="{SITE_CHANGELIST}?part_of={palmyra.pk}">1 part</a>' in response.text


def test_the_add_form_explains_that_condition_risk_and_links_come_after_saving(editor, db):
    response = editor.get(reverse("admin:sites_site_add"))

    assert response.status_code == 200
    assert "Not computed yet" in response.text
    assert "appear once it is saved" in response.text


def grow_assessed_sites(count):
    for site in grow_sites(count):
        make_assessment(site, "fair")


def test_the_site_list_with_condition_and_risk_runs_the_same_queries_for_many_sites_as_for_few(editor, palmyra):
    grow_assessed_sites(2)
    few = count_queries(editor, SITE_CHANGELIST)
    grow_assessed_sites(6)

    # Session, user, user's and group's permissions; the filters' choices (countries in use,
    # kinds, condition states, sites with parts); filtered and total counts; the page of
    # sites with kind, parent, risk profile and its condition; their names.
    assert count_queries(editor, SITE_CHANGELIST) == few == 12


def test_the_admin_index_offers_an_editor_the_record(editor, db):
    response = editor.get(reverse("admin:index"))

    # The gazetteer's sections are checked in sites/tests/test_admin.py; these are what heritage adds.
    for section in ["Heritage record", "Incidents", "Threat categories"]:
        assert section in response.text


# A point outside the site's countries -----------------------------------------------------------------------


def test_swapped_coordinates_are_refused_with_the_swap_offered_and_one_tick_mends_them(editor, palmyra):
    form = editor.get(change_url(palmyra))
    swapped = form_data(form, latitude="38.2666666667", longitude="34.5541666667")

    refused = editor.post(change_url(palmyra), swapped)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["latitude"] == [
        "38.2666666667, 34.5541666667 (latitude, longitude) is not in Syria, but 34.5541666667, 38.2666666667 is: "
        "the latitude and longitude look swapped. Tick “Swap latitude and longitude” to correct it or “Keep this "
        "point” to save it as it is."
    ]
    assert '<div class="form-row field-swap_coordinates">' in refused.text
    assert '<input type="checkbox" name="swap_coordinates"' in refused.text
    mended = editor.post(change_url(palmyra), {**swapped, "swap_coordinates": "on"})

    assert mended.status_code == 302
    palmyra.refresh_from_db()
    assert (palmyra.latitude, palmyra.longitude) == (34.5541666667, 38.2666666667)


def test_the_swap_and_keep_boxes_stay_hidden_while_the_point_is_in_its_country(editor, palmyra):
    response = editor.get(change_url(palmyra))

    assert '<div class="form-row hidden field-swap_coordinates">' in response.text
    assert '<div class="form-row hidden field-keep_location">' in response.text


def test_an_editor_may_keep_a_point_outside_the_countries_when_no_swap_fits(editor, palmyra):
    form = editor.get(change_url(palmyra))
    # UNESCO's coordinates of the Qadisha Valley, a degree east of it, given to Palmyra in Syria: not a swap.
    elsewhere = form_data(form, latitude="34.2538888889", longitude="36.9511111111", countries=["LB"])

    refused = editor.post(change_url(palmyra), elsewhere)
    assert refused.context["adminform"].form.errors["latitude"] == [
        "34.2538888889, 36.9511111111 (latitude, longitude) is not in Lebanon: check the coordinates and the "
        "countries. Tick “Keep this point” to save it as it is."
    ]
    assert refused.context["adminform"].form.fields["swap_coordinates"].widget.is_hidden
    kept = editor.post(change_url(palmyra), {**elsewhere, "keep_location": "on"})

    assert kept.status_code == 302
    palmyra.refresh_from_db()
    assert (palmyra.latitude, [str(country) for country in palmyra.countries]) == (34.2538888889, ["LB"])


def test_a_site_whose_point_was_already_outside_can_be_edited_for_other_things(editor, palmyra):
    type(palmyra).objects.filter(pk=palmyra.pk).update(latitude=38.2666666667, longitude=34.5541666667)
    form = editor.get(change_url(palmyra))

    response = editor.post(change_url(palmyra), form_data(form, summary="Oasis city in the Syrian desert."))

    assert response.status_code == 302
