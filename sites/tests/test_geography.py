import pytest

from sites import geography
from sites.models import Site
from sites.tests.factories import DAMASCUS, PALMYRA, make_site

PALMYRA_POINT = (PALMYRA["latitude"], PALMYRA["longitude"])
DAMASCUS_POINT = (DAMASCUS["latitude"], DAMASCUS["longitude"])


def test_palmyra_lies_about_215_km_from_damascus():
    # The seed article says "130 miles north-east of the Syrian capital Damascus" (209 km).
    assert geography.distance_km(DAMASCUS_POINT, PALMYRA_POINT) == pytest.approx(215, abs=2)


def test_the_bearing_from_damascus_to_palmyra_is_north_east():
    bearing = geography.initial_bearing(DAMASCUS_POINT, PALMYRA_POINT)
    assert 45 <= bearing <= 67.5
    assert geography.compass_point(bearing) == "north-east"


def test_the_way_back_points_south_west():
    bearing = geography.initial_bearing(PALMYRA_POINT, DAMASCUS_POINT)
    assert geography.compass_point(bearing) == "south-west"


@pytest.mark.parametrize("km, text", [(214.6, "about 215 km"), (3.21, "about 3.2 km"), (0.624, "about 620 m")])
def test_distances_are_rounded_for_prose(km, text):
    assert geography.approximate_distance(km) == text


def test_a_relative_description_names_direction_and_distance():
    assert geography.describe_relative(PALMYRA_POINT, DAMASCUS_POINT, "Damascus") == (
        "about 215 km north-east of Damascus"
    )


def test_a_whole_site_is_described_from_the_city_in_the_gazetteer(db):
    make_site("Ancient City of Damascus", kind="city", **DAMASCUS)
    palmyra = make_site("Site of Palmyra", **PALMYRA)

    assert palmyra.relative_description() == "about 215 km north-east of Damascus"


def test_the_nearest_city_is_the_landmark(db):
    make_site("Ancient City of Damascus", kind="city", **DAMASCUS)
    make_site("Ancient City of Aleppo", kind="city", latitude=36.1991666667, longitude=37.1627777778)
    palmyra = make_site("Site of Palmyra", **PALMYRA)

    assert palmyra.relative_description() == "about 208 km south-east of Aleppo"


def test_a_part_is_described_from_the_site_it_belongs_to(db):
    make_site("Ancient City of Damascus", kind="city", **DAMASCUS)
    palmyra = make_site("Site of Palmyra", **PALMYRA)
    temple = make_site("Temple of Bel", parent=palmyra, latitude=34.5473478, longitude=38.2738581)

    assert temple.relative_description() == "about 1.0 km south-east of Palmyra"


def test_a_site_without_coordinates_has_no_relative_description(db):
    make_site("Ancient City of Damascus", kind="city", **DAMASCUS)
    assert make_site("Hypogeum").relative_description() == ""


def test_distance_and_bearing_between_sites(db):
    damascus = make_site("Ancient City of Damascus", kind="city", **DAMASCUS)
    palmyra = make_site("Site of Palmyra", **PALMYRA)
    unknown = make_site("Unlocated")

    assert damascus.distance_to(palmyra) == pytest.approx(215, abs=2)
    assert geography.compass_point(damascus.bearing_to(palmyra)) == "north-east"
    assert damascus.distance_to(unknown) is None


def test_the_radius_query_returns_sites_within_range_nearest_first(db):
    palmyra = make_site("Site of Palmyra", **PALMYRA)
    bel = make_site("Temple of Bel", latitude=34.5473478, longitude=38.2738581)
    qasr = make_site("Qasr al-Hayr al-Gharbi", latitude=34.374444, longitude=37.605833)
    make_site("Ancient City of Damascus", kind="city", **DAMASCUS)
    make_site("Unlocated")

    found = Site.objects.within(*PALMYRA_POINT, radius_km=100)

    assert [site.name for site in found] == [palmyra.name, bel.name, qasr.name]
    assert found[0].distance_km == pytest.approx(0)
    assert found[2].distance_km == pytest.approx(geography.distance_km(PALMYRA_POINT, qasr.point))


def test_the_radius_is_exact_not_the_bounding_box(db):
    # A point in the corner of the 100 km box is ~141 km away and must be left out.
    south, north, west, east = geography.bounding_box(*PALMYRA_POINT, 100)
    make_site("Corner", latitude=north - 0.01, longitude=east - 0.01)
    make_site("Edge", latitude=PALMYRA["latitude"] + 0.85, longitude=PALMYRA["longitude"])

    assert [site.name for site in Site.objects.within(*PALMYRA_POINT, radius_km=100)] == ["Edge"]


def test_the_radius_query_works_across_the_antimeridian(db):
    make_site("Fiji east", latitude=-17.0, longitude=179.9)
    make_site("Fiji west", latitude=-17.0, longitude=-179.9)

    assert {site.name for site in Site.objects.within(-17.0, 179.95, radius_km=50)} == {"Fiji east", "Fiji west"}


def test_nearby_sites_read_like_a_list(db):
    for number in range(5):
        make_site(f"Tell {number}", latitude=PALMYRA["latitude"] + number / 100, longitude=PALMYRA["longitude"])
    found = Site.objects.within(*PALMYRA_POINT, radius_km=100)
    names = [site.name for site in found]
    assert len(found) == 5
    assert [site.name for site in found[1:3]] == names[1:3]
    assert found[0].name == names[0] and found[-1].name == names[-1]
    assert found[10:] == []
    with pytest.raises(IndexError):
        found[5]


def test_nearby_leaves_out_the_site_itself(db):
    palmyra = make_site("Site of Palmyra", **PALMYRA)
    make_site("Temple of Bel", latitude=34.5473478, longitude=38.2738581)

    assert [site.name for site in palmyra.nearby(radius_km=10)] == ["Temple of Bel"]


def test_ranking_on_the_sphere_first_never_changes_the_answer():
    import random

    class Place:
        def __init__(self, point):
            self.point = point

        def __str__(self):
            return str(self.point)

    generator = random.Random(7)
    origin = (34.55, 38.27)
    places = [Place((origin[0] + generator.uniform(-3, 3), origin[1] + generator.uniform(-3, 3))) for _ in range(500)]
    exact = sorted(
        (place for place in places if geography.distance_km(origin, place.point) <= 200),
        key=lambda place: geography.distance_km(origin, place.point),
    )

    assert geography.nearest(origin, places, radius_km=200) == exact
    assert geography.nearest(origin, places, radius_km=200, limit=10) == exact[:10]
    assert geography.spherical_distance_km(origin, (33.51, 36.31)) == pytest.approx(
        geography.distance_km(origin, (33.51, 36.31)), rel=geography.SPHERE_ERROR
    )


# Whether a point lies in its countries (Natural Earth outlines); coordinates from UNESCO's 2024 export ----------


def test_palmyra_lies_in_syria():
    assert geography.misplaced_point(PALMYRA["latitude"], PALMYRA["longitude"], ["SY"]) is None


def test_palmyra_with_latitude_and_longitude_swapped_is_outside_syria_and_the_swap_is_offered():
    misplaced = geography.misplaced_point(PALMYRA["longitude"], PALMYRA["latitude"], ["SY"])

    assert misplaced.swap_fits
    assert misplaced.message == (
        "38.2666666667, 34.5541666667 (latitude, longitude) is not in Syria, but 34.5541666667, 38.2666666667 is: "
        "the latitude and longitude look swapped."
    )


def test_a_point_outside_its_country_that_no_swap_mends_is_named_without_a_swap():
    # UNESCO's export puts the Qadisha Valley a degree east, in Syria; the valley lies near 35.95° E.
    misplaced = geography.misplaced_point(34.2538888889, 36.9511111111, ["LB"])

    assert not misplaced.swap_fits
    assert misplaced.message == (
        "34.2538888889, 36.9511111111 (latitude, longitude) is not in Lebanon: check the coordinates and the countries."
    )


@pytest.mark.parametrize(("latitude", "longitude", "codes"), [
    (34.11917, 35.6455555556, ["LB"]),  # Byblos, on the shore
    (50.4065277778, 12.8373444444, ["CZ", "DE"]),  # Erzgebirge/Krušnohoří, on the border of two
    (69.13333333, -49.5, ["DK"]),  # Ilulissat Icefjord: Greenland, outlined apart from Denmark
    (36.1226694444, -5.3420611111, ["GI"]),  # Gorham's Cave: Gibraltar has no outline to judge by
    (PALMYRA["latitude"], PALMYRA["longitude"], []),
    (None, None, ["SY"]),
])
def test_points_in_on_the_edge_of_or_beyond_judging_are_not_misplaced(latitude, longitude, codes):
    assert geography.misplaced_point(latitude, longitude, codes) is None


def test_a_site_asks_the_same_question_of_its_own_point(db):
    site = make_site("Site of Palmyra", latitude=PALMYRA["longitude"], longitude=PALMYRA["latitude"])

    assert site.misplaced_point().swap_fits


def _scatter(count, seed, spread=1.5):
    import random

    rng = random.Random(seed)
    for number in range(count):
        make_site(f"Tell {number}", latitude=PALMYRA["latitude"] + rng.uniform(-spread, spread),
                  longitude=PALMYRA["longitude"] + rng.uniform(-spread, spread))


@pytest.mark.parametrize("count", [1, 3, 10])
def test_the_nearest_few_read_from_the_database_are_the_nearest_of_all(db, count):
    _scatter(80, seed=count)
    found = Site.objects.within(*PALMYRA_POINT, radius_km=100)

    first = found.first(count)

    assert [(site.name, site.distance_km) for site in first] == [(site.name, site.distance_km) for site in found[:count]]


def test_the_nearest_few_of_sites_in_one_place_are_found_even_when_the_database_cannot_tell_them_apart(db):
    for number in range(40):  # all as far away: every one of them can make the cut, so all are read
        make_site(f"Tell {number:02}", latitude=PALMYRA["latitude"] + 0.3, longitude=PALMYRA["longitude"])

    first = Site.objects.within(*PALMYRA_POINT, radius_km=100).first(3)

    assert [site.name for site in first] == ["Tell 00", "Tell 01", "Tell 02"]


def test_the_nearest_few_leave_out_what_lies_beyond_the_radius(db):
    make_site("Inside", latitude=PALMYRA["latitude"] + 0.5, longitude=PALMYRA["longitude"])
    make_site("Corner", latitude=PALMYRA["latitude"] + 0.89, longitude=PALMYRA["longitude"] + 1.09)

    assert [site.name for site in Site.objects.within(*PALMYRA_POINT, radius_km=100).first(10)] == ["Inside"]


def test_a_site_page_reads_its_neighbours_and_landmark_without_reading_every_candidate(db, django_assert_num_queries):
    _scatter(300, seed=1)
    make_site("Ancient City of Damascus", kind="city", **DAMASCUS)
    make_site("Ancient City of Aleppo", kind="city", latitude=36.1991666667, longitude=37.1627777778)
    palmyra = make_site("Site of Palmyra", **PALMYRA)
    everything = Site.objects.exclude(pk=palmyra.pk).within(*PALMYRA_POINT, radius_km=100)
    expected = [site.name for site in everything[:10]]

    with django_assert_num_queries(2) as context:  # the nearest sites; the nearest cities
        nearby = palmyra.nearby(limit=10)
        landmark = palmyra.landmark()

    assert [site.name for site in nearby] == expected
    assert landmark.name == "Ancient City of Aleppo"
    assert all(" LIMIT " in query["sql"] for query in context.captured_queries)


def test_a_city_farther_than_the_first_search_is_still_the_landmark(db):
    make_site("Baghdad", kind="city", latitude=33.3152, longitude=44.3661)
    palmyra = make_site("Site of Palmyra", **PALMYRA)

    assert palmyra.landmark().name == "Baghdad"
    assert palmyra.relative_description() == "about 580 km west of Baghdad"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_list_of_nearby_sites_counted_and_paged_is_the_list_of_every_site_ranked(db, seed):
    _scatter(150, seed=seed)
    # Sites about 100 km north, on both sides of the radius, where only the exact geodesic distance decides.
    for number, km in enumerate([99.5, 99.8, 99.95, 100.05, 100.2, 100.5]):
        make_site(f"Edge {number}", latitude=PALMYRA["latitude"] + km / 110.92, longitude=PALMYRA["longitude"])
    every = geography.nearest(PALMYRA_POINT, list(Site.objects.all()), radius_km=100)

    found = Site.objects.within(*PALMYRA_POINT, radius_km=100)

    assert len(found) == len(every)
    assert {"Edge 0", "Edge 1"} <= {site.name for site in every}
    assert "Edge 5" not in {site.name for site in every}
    for page in [slice(0, 10), slice(10, 20), slice(len(every) - 5, len(every) + 5)]:
        assert [(site.name, site.distance_km) for site in found[page]] == [
            (site.name, site.distance_km) for site in every[page]]
