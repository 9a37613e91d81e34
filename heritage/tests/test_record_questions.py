"""The questions every surface asks of the record, each answered by one QuerySet or model method.

"The record of a site" (of_site), "in this category or below it" (in_category), "in this
country" (in_country) and "sites threatened by a category" (ThreatCategory.site_pks).
test_surfaces_agree.py checks that the pages, the API, the feeds and the charts all use them.
"""

import pytest

from heritage.models import ConditionAssessment, HistoryEvent, Incident, Status
from heritage.tests.factories import make_assessment, make_category, make_event, make_incident
from sites.models import Site
from sites.tests.factories import make_site


@pytest.fixture
def palmyra(db):
    site = make_site("Palmyra", slug="palmyra")
    al_lat = make_site("Temple of al-Lat", slug="temple-of-al-lat", parent=site)
    make_site("Lion of al-Lat", slug="lion-of-al-lat", parent=al_lat)
    make_site("Damascus", slug="damascus")
    return site


def place(slug):
    return Site.objects.get(slug=slug)


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_a_sites_record_includes_its_parts_and_their_parts(palmyra):
    make_incident([palmyra], title="Palmyra captured")
    make_incident([place("lion-of-al-lat")], title="Lion smashed")
    make_incident([place("damascus")], title="Elsewhere")
    make_event([place("temple-of-al-lat")], title="Temple dedicated")

    assert titles(Incident.objects.of_site(palmyra)) == ["Lion smashed", "Palmyra captured"]
    assert titles(Incident.objects.of_site(place("temple-of-al-lat"))) == ["Lion smashed"]
    assert titles(HistoryEvent.objects.of_site(palmyra)) == ["Temple dedicated"]


def test_a_fact_about_a_site_and_its_part_is_in_the_record_once(palmyra):
    make_incident([palmyra, place("temple-of-al-lat"), place("lion-of-al-lat")], title="Site shelled")

    assert titles(Incident.objects.of_site(palmyra)) == ["Site shelled"]


def test_a_sites_record_includes_its_parts_condition_assessments(palmyra):
    make_assessment(place("lion-of-al-lat"), "destroyed")
    make_assessment(place("damascus"), "good")

    assert [a.site.slug for a in ConditionAssessment.objects.of_site(palmyra)] == ["lion-of-al-lat"]


def test_a_sites_record_keeps_the_editorial_filter_it_is_given(palmyra):
    make_incident([place("lion-of-al-lat")], title="Published")
    make_incident([place("lion-of-al-lat")], title="Draft", status=Status.DRAFT)

    assert titles(Incident.objects.published().of_site(palmyra)) == ["Published"]


def test_a_primary_category_includes_its_secondary_ones_and_a_secondary_only_itself(db):
    war, destruction = make_category("War", code="9.1"), make_category()
    make_incident([], title="Shelling", category=war)
    make_incident([], title="Demolition", category=destruction)

    assert titles(Incident.objects.in_category(war.parent)) == ["Demolition", "Shelling"]
    assert titles(Incident.objects.in_category(war)) == ["Shelling"]


def test_an_incident_in_a_transboundary_site_is_in_each_of_its_countries(db):
    make_incident([make_site("Euphrates sites", countries=["IQ", "SY"])], title="Both")
    make_incident([make_site("Hatra", countries=["IQ"])], title="Iraq")
    make_incident([make_site("Ani", countries=["TR"])], title="Turkey")

    assert titles(Incident.objects.in_country("SY")) == ["Both"]
    assert titles(Incident.objects.in_country("iq")) == ["Both", "Iraq"]


def test_sites_threatened_by_a_category_have_a_published_incident_in_it_or_below_it(db):
    destruction = make_category()
    bel, arch, nabu = make_site("Temple of Bel"), make_site("Arch"), make_site("Temple of Nabu")
    make_incident([bel], category=destruction)
    make_incident([arch], category=destruction, status=Status.DRAFT)
    make_incident([nabu], category=make_category("War", code="9.1"))

    assert list(Site.objects.filter(pk__in=destruction.site_pks())) == [bel]
    assert sorted(Site.objects.filter(pk__in=destruction.parent.site_pks()), key=str) == [bel, nabu]
