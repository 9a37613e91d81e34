"""The rule for protected locations (sites/locations.py): who sees which point of a site."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import ValidationError
from django.utils import translation

from sites.locations import SitePoint, generalise, snap
from sites.models import Site
from sites.tests.factories import PALMYRA, make_site

HIDDEN, GENERALISED = Site.LocationSensitivity.HIDDEN, Site.LocationSensitivity.GENERALISED


@pytest.fixture
def curator(django_user_model):
    user = django_user_model.objects.create_user("curator")
    user.user_permissions.add(Permission.objects.get(codename="view_exact_location"))
    return user


@pytest.mark.parametrize(("degrees", "centre"), [
    (34.5541666667, 34.55), (38.2666666667, 38.25), (34.374444, 34.35), (0.0, 0.05), (-0.01, -0.05),
    (-33.8568, -33.85), (0.3, 0.35), (90, 89.95), (-90, -89.95),
])
def test_a_latitude_snaps_to_the_centre_of_its_tenth_of_a_degree(degrees, centre):
    assert snap(degrees, -90, 90) == centre


def test_the_antimeridian_belongs_to_the_cell_west_of_it():
    assert (snap(180, -180, 180), snap(-180, -180, 180)) == (179.95, -179.95)


def test_a_generalised_point_widens_the_uncertainty_by_the_cells_half_diagonal():
    assert generalise(34.374444, 37.605833, 100) == SitePoint(34.35, 37.65, 8_000, generalised=True)
    assert generalise(34.374444, 37.605833).uncertainty_m == 7_900


def test_every_reader_sees_a_public_point_as_recorded(db):
    site = make_site(**PALMYRA, coordinate_uncertainty_m=25)

    assert site.point_for(None) == SitePoint(34.5541666667, 38.2666666667, 25, generalised=False)
    assert site.point_for(AnonymousUser()) == site.point_for(None)


def test_a_generalised_point_is_the_same_cell_centre_on_every_request(db):
    site = make_site(**PALMYRA, location_sensitivity=GENERALISED)

    assert {site.point_for(None) for _ in range(20)} == {SitePoint(34.55, 38.25, 7_900, generalised=True)}


def test_only_readers_with_the_permission_see_a_hidden_point(db, curator, django_user_model):
    site = make_site(**PALMYRA, location_sensitivity=HIDDEN)
    editor = django_user_model.objects.create_user("editor", is_staff=True)

    assert site.point_for(None) is None
    assert site.point_for(editor) is None
    assert site.point_for(curator) == SitePoint(34.5541666667, 38.2666666667)


def test_a_site_without_coordinates_has_no_point_for_anyone(db, curator):
    assert make_site(location_sensitivity=GENERALISED).point_for(curator) is None


def test_the_queryset_gives_every_row_the_point_that_point_for_gives(db, curator):
    points = [(34.5541666667, 38.2666666667), (-0.01, 179.99), (34.374444, 37.605833), (-33.8568, -151.2153)]
    for number, (latitude, longitude) in enumerate(points):
        for sensitivity in Site.LocationSensitivity:
            make_site(f"{sensitivity} {number}", latitude=latitude, longitude=longitude,
                      location_sensitivity=sensitivity, coordinate_uncertainty_m=number * 10 or None)
    make_site("Unlocated", location_sensitivity=GENERALISED)

    for user in (None, curator):
        for site in Site.objects.with_points_for(user):
            shown = site.point_for(user)
            annotated = (site.point_latitude, site.point_longitude, site.point_uncertainty_m, site.point_generalised)
            expected = (None, None, None, False) if shown is None else (
                shown.latitude, shown.longitude, shown.uncertainty_m, shown.generalised
            )
            assert annotated == expected, (site.name, user)


def test_located_for_leaves_out_hidden_sites_for_readers_without_the_permission(db, curator):
    make_site("Public", **PALMYRA)
    make_site("Generalised", **PALMYRA, location_sensitivity=GENERALISED)
    make_site("Hidden", **PALMYRA, location_sensitivity=HIDDEN)

    assert list(Site.objects.located_for(None).values_list("name", flat=True)) == ["Generalised", "Public"]
    assert Site.objects.located_for(curator).count() == 3


def test_nearby_from_a_generalised_site_starts_at_its_cell_centre_in_whole_km(db):
    # The theatre is 1.7 km from Palmyra's cell centre (34.55, 38.25), 0.4 km from its recorded point.
    palmyra = make_site("Palmyra", **PALMYRA, location_sensitivity=GENERALISED)
    make_site("Theatre", kind="theatre", latitude=34.55079, longitude=38.268862)
    make_site("Tomb", kind="tomb", latitude=34.5535764, longitude=38.2503176, location_sensitivity=HIDDEN)

    assert [(site.name, site.distance_km) for site in palmyra.nearby(radius_km=10)] == [("Theatre", 2.0)]


def test_a_part_cannot_be_less_protected_than_its_whole(db):
    palmyra = make_site("Palmyra", **PALMYRA, location_sensitivity=GENERALISED)
    theatre = make_site("Theatre", parent=palmyra, latitude=34.55079, longitude=38.268862)

    with pytest.raises(ValidationError) as error:
        theatre.full_clean()

    assert error.value.message_dict == {
        "location_sensitivity": ["“Palmyra” is generalised: its parts must be at least as protected."]
    }


def test_the_protection_of_the_whole_is_named_in_the_editors_language(db):
    palmyra = make_site("Palmyra", **PALMYRA, location_sensitivity=HIDDEN)
    theatre = make_site("Theatre", parent=palmyra, latitude=34.55079, longitude=38.268862)

    with translation.override("ar"), pytest.raises(ValidationError) as error:
        theatre.full_clean()

    [message] = error.value.message_dict["location_sensitivity"]
    assert "«Palmyra» هي «مخفي»" in message
    assert "hidden" not in message


def test_a_whole_cannot_be_protected_more_than_its_parts(db):
    palmyra = make_site("Palmyra", **PALMYRA)
    make_site("Theatre", parent=palmyra, latitude=34.55079, longitude=38.268862, location_sensitivity=GENERALISED)
    palmyra.location_sensitivity = HIDDEN

    with pytest.raises(ValidationError) as error:
        palmyra.full_clean()

    assert error.value.message_dict == {"location_sensitivity": [
        "Protect its parts at least as much first, or they would give its location away: “Theatre”."
    ]}
