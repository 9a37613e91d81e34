"""The gazetteer's admin, as sites/admin.py builds it (served alone by sites.tests.admin_site)."""

import pytest
from django.urls import reverse

from sites.models import Designation, Site
from sites.tests.admin_forms import SITE_CHANGELIST, change_url, count_queries, form_data
from sites.tests.factories import (
    PALMYRA,
    grow_sites,
    make_designation,
    make_identifier,
    make_name,
    make_name_kind,
    make_palmyra,
    make_site,
)

pytestmark = pytest.mark.urls("sites.tests.admin_site")


@pytest.fixture
def palmyra(db):
    return make_palmyra()


@pytest.fixture
def baalshamin(palmyra):
    temple = make_site("Temple of Baalshamin", slug="temple-of-baalshamin", kind="temple", parent=palmyra)
    make_name(temple, "Temple of Baalshamin", kind="preferred")
    return temple


def listed(response):
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("term", ["Tadmur", "tadmur", "TADMOR", "تدمر", "تَدْمُر"])
def test_admin_search_finds_palmyra_by_any_of_its_names_in_any_script(editor, palmyra, baalshamin, term):
    response = editor.get(SITE_CHANGELIST, {"q": term})

    assert listed(response) == [palmyra]


@pytest.mark.parametrize("term", ["Baalshamin", "baal shamin", "Ba‘al Shamîn", "BAAL-SHAMIN"])
def test_admin_search_finds_the_temple_of_baalshamin_however_it_is_spelt(editor, palmyra, baalshamin, term):
    response = editor.get(SITE_CHANGELIST, {"q": term})

    assert listed(response) == [baalshamin]


def test_admin_search_lists_a_site_once_when_several_of_its_names_match(editor, palmyra):
    response = editor.get(SITE_CHANGELIST, {"q": "tadm"})

    assert listed(response) == [palmyra]
    assert response.context["cl"].result_count == 1


def test_arabic_names_display_right_to_left_in_the_site_list(editor, palmyra):
    response = editor.get(SITE_CHANGELIST)

    assert '<span dir="rtl" lang="ar">تدمر</span>' in response.text
    assert '<span lang="ar-Latn">Tadmur</span>' in response.text


def test_name_inputs_take_their_direction_from_the_text_typed(editor, palmyra):
    response = editor.get(change_url(palmyra))

    assert 'value="تدمر" dir="auto"' in response.text
    # The preferred name, four names, the blank row and the template row for "Add another".
    assert response.text.count('dir="auto"') == 7


def test_the_site_page_links_out_through_its_identifiers(editor, palmyra):
    response = editor.get(change_url(palmyra))

    assert '<a href="https://www.wikidata.org/wiki/Q5747" rel="noopener noreferrer" target="_blank">' in response.text


def test_an_editor_adds_a_site_with_its_names_identifiers_and_designations(editor, palmyra):
    kind = palmyra.kind
    variant = make_name_kind()
    form = form_data(editor.get(reverse("admin:sites_site_add")))
    form.update({
        "name": "Temple of Bel", "slug": "temple-of-bel", "kind": kind.pk, "parent": palmyra.pk, "countries": ["SY"],
        "names-0-name": "معبد بل", "names-0-language": "ar", "names-0-kind": variant.pk,
        "identifiers-0-authority": "wikidata", "identifiers-0-value": "Q797481",
    })

    response = editor.post(reverse("admin:sites_site_add"), form)

    assert response.status_code == 302, response.context["errors"]
    temple = Site.objects.get(slug="temple-of-bel")
    assert temple.parent == palmyra
    assert [(name.name, name.folded) for name in temple.names.all()] == [("معبد بل", "معبد بل")]
    assert temple.identifiers.get().url == "https://www.wikidata.org/wiki/Q797481"


def test_a_part_of_cycle_is_rejected_with_a_message(editor, palmyra, baalshamin):
    form = form_data(editor.get(change_url(palmyra)), parent=baalshamin.pk)

    response = editor.post(change_url(palmyra), form)

    assert response.status_code == 200
    assert "“Temple of Baalshamin” is part of “Site of Palmyra”, so it cannot also contain it." in response.text
    palmyra.refresh_from_db()
    assert palmyra.parent is None


@pytest.mark.parametrize(
    "coordinates, message",
    [
        ({"latitude": "95", "longitude": "38.27"}, "Ensure this value is less than or equal to 90."),
        ({"latitude": "34.55", "longitude": "-181"}, "Ensure this value is greater than or equal to -180."),
        ({"latitude": "34.55", "longitude": ""}, "Give both latitude and longitude, or neither."),
    ],
)
def test_invalid_coordinates_are_rejected_with_a_message(editor, palmyra, coordinates, message):
    form = form_data(editor.get(change_url(palmyra)), **coordinates)

    response = editor.post(change_url(palmyra), form)

    assert response.status_code == 200
    assert message in response.text
    palmyra.refresh_from_db()
    assert palmyra.point == (PALMYRA["latitude"], PALMYRA["longitude"])


def test_an_invalid_identifier_is_rejected_with_the_expected_form(editor, palmyra):
    form = form_data(editor.get(change_url(palmyra)))
    form.update({"identifiers-1-authority": "pleiades", "identifiers-1-value": "Palmyra"})

    response = editor.post(change_url(palmyra), form)

    assert response.status_code == 200
    assert "“Palmyra” is not a Pleiades place number such as 668331." in response.text
    assert palmyra.identifiers.count() == 1


def test_the_country_filter_offers_countries_in_use_and_finds_transboundary_sites(editor, palmyra):
    border = make_site("A transboundary site", countries=("IQ", "SY"))
    make_site("A site in Lebanon", countries=("LB",))

    response = editor.get(SITE_CHANGELIST, {"country": "IQ"})

    assert listed(response) == [border]
    country_filter = next(spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "country")
    assert [label for _, label in country_filter.lookup_choices] == ["Iraq", "Lebanon", "Syria"]


def test_the_part_of_filter_separates_whole_sites_from_their_parts(editor, palmyra, baalshamin):
    assert listed(editor.get(SITE_CHANGELIST, {"part_of": "top"})) == [palmyra]
    assert listed(editor.get(SITE_CHANGELIST, {"part_of": "parts"})) == [baalshamin]
    assert listed(editor.get(SITE_CHANGELIST, {"part_of": str(palmyra.pk)})) == [baalshamin]


def test_the_coordinates_filter_finds_sites_whose_location_is_unknown(editor, palmyra, baalshamin):
    assert listed(editor.get(SITE_CHANGELIST, {"located": "no"})) == [baalshamin]
    assert listed(editor.get(SITE_CHANGELIST, {"located": "yes"})) == [palmyra]


def test_the_site_list_runs_the_same_queries_for_many_sites_as_for_few(editor, palmyra):
    grow_sites(2)
    few = count_queries(editor, SITE_CHANGELIST)
    grow_sites(6)

    # Session, user, user's and group's permissions; the filters' choices (countries in use,
    # kinds, sites with parts); filtered and total counts; the page of sites with kind and
    # parent; their names.
    assert count_queries(editor, SITE_CHANGELIST) == few == 11


def test_the_site_page_runs_the_same_queries_for_many_names_as_for_few(editor, palmyra):
    editor.get(change_url(palmyra))  # fills the per-process content-type cache, as any earlier page would
    few = count_queries(editor, change_url(palmyra))
    for number in range(6):
        make_name(palmyra, f"Palmyra {number}", language="la")
        make_designation(palmyra, kind=Designation.Kind.NATIONAL, start=f"19{number}0")
    make_identifier(palmyra, "pleiades", "668331")

    assert count_queries(editor, change_url(palmyra)) == few


def test_editing_a_site_is_recorded_with_the_editor_and_the_change(editor, alice, palmyra):
    form = form_data(editor.get(change_url(palmyra)), summary="A caravan city of the Syrian desert.")

    editor.post(change_url(palmyra), form)

    latest = palmyra.history.latest()
    assert latest.history_user == alice
    assert latest.summary == "A caravan city of the Syrian desert."
    history = editor.get(reverse("admin:sites_site_history", args=[palmyra.pk]))
    assert "<strong>Summary:</strong>" in history.text
    assert "A caravan city of the Syrian desert." in history.text
    assert "alice" in history.text


def test_reverting_a_site_in_the_admin_restores_the_old_value(editor, alice, palmyra):
    editor.post(change_url(palmyra), form_data(editor.get(change_url(palmyra)), name="Palmyra (renamed by mistake)"))
    before = palmyra.history.earliest()
    revert_url = reverse("admin:sites_site_simple_history", args=[palmyra.pk, before.history_id])

    response = editor.post(revert_url, form_data(editor.get(revert_url)))

    assert response.status_code == 302
    palmyra.refresh_from_db()
    assert palmyra.name == "Site of Palmyra"
    assert palmyra.history.latest().history_user == alice
    assert palmyra.history.count() == 3


def test_the_admin_index_offers_an_editor_the_gazetteer(editor, db):
    response = editor.get(reverse("admin:index"))

    for section in ["Gazetteer", "Sites", "Site names", "Identifiers", "Designations", "Site kinds"]:
        assert section in response.text


def test_a_user_without_permissions_is_refused(client, charlie, palmyra):
    client.force_login(charlie)
    assert client.get(SITE_CHANGELIST).status_code == 302  # not staff: sent to the login page

    charlie.is_staff = True
    charlie.save()
    assert client.get(SITE_CHANGELIST).status_code == 403
    assert client.get(change_url(palmyra)).status_code == 403
    assert client.post(change_url(palmyra), {"name": "Vandalised"}).status_code == 403
    palmyra.refresh_from_db()
    assert palmyra.name == "Site of Palmyra"


def test_a_duplicate_name_in_the_same_language_is_refused_with_a_sentence(editor, palmyra):
    add_url = reverse("admin:sites_sitename_add")
    tadmor = palmyra.names.get(name="Tadmor")
    form = form_data(editor.get(add_url), site=palmyra.pk, name="Tadmor", language="en", kind=tadmor.kind_id)

    response = editor.post(add_url, form)

    assert response.status_code == 200
    assert "This site already has this name in this language." in response.text
    assert "site_name_unique_per_language" not in response.text
    assert palmyra.names.filter(name="Tadmor").count() == 1
