"""A whole site answers for its parts at any depth, wherever a page gathers what is said of it."""

import pytest
from django.urls import reverse

from heritage.models import Story
from heritage.tests.factories import make_incident, make_source
from sites.models import Designation
from sites.tests.factories import make_designation, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def palmyra():
    """Palmyra → the Temple of al-Lat → the Lion of al-Lat: a part of a part."""
    palmyra = make_site("Palmyra", slug="palmyra")
    temple = make_site("Temple of al-Lat", slug="temple-of-al-lat", parent=palmyra)
    make_site("Lion of al-Lat", slug="lion-of-al-lat", parent=temple)
    return palmyra


def test_a_story_about_a_part_of_a_part_is_among_the_whole_sites_stories(palmyra):
    lion = palmyra.parts.get().parts.get()
    report = make_source("Lion of al-Lat smashed", published="2015-07-02")
    make_incident([lion], source=report)
    Story.assign(report)

    assert [story.title for story in Story.objects.for_site(palmyra)] == ["Lion of al-Lat smashed"]


def test_parts_of_a_world_heritage_property_at_any_depth_are_listed_with_it(client, palmyra):
    make_site("Inscription of the Lion", slug="lion-inscription", parent=palmyra.parts.get().parts.get())
    make_designation(palmyra, kind=Designation.Kind.WORLD_HERITAGE)
    make_site("Elsewhere", slug="elsewhere")

    response = client.get(reverse("sites:list"), {"designation": "world-heritage"})

    assert {site.slug for site in response.context["page"]} == {
        "palmyra", "temple-of-al-lat", "lion-of-al-lat", "lion-inscription",
    }
