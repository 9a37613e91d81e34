"""Site.objects.with_parts() and with_wholes(): walking the tree of parts at any depth, in one query."""

from sites.models import Site
from sites.tests.factories import make_site


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


def test_a_site_with_parts_includes_parts_of_parts_at_any_depth(db):
    palmyra = make_site("Palmyra", slug="palmyra")
    al_lat = make_site("Temple of al-Lat", slug="temple-of-al-lat", parent=palmyra)
    lion = make_site("Lion of al-Lat", slug="lion-of-al-lat", parent=al_lat)
    make_site("Lion's paw", slug="lions-paw", parent=lion)
    make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)
    make_site("Damascus", slug="damascus")

    assert slugs(Site.objects.filter(pk=palmyra.pk).with_parts()) == [
        "lion-of-al-lat", "lions-paw", "palmyra", "temple-of-al-lat", "temple-of-bel",
    ]
    assert slugs(Site.objects.filter(pk=al_lat.pk).with_parts()) == ["lion-of-al-lat", "lions-paw", "temple-of-al-lat"]


def test_a_site_without_parts_is_its_own_family(db):
    damascus = make_site("Damascus", slug="damascus")
    make_site("Palmyra", slug="palmyra")

    assert slugs(Site.objects.filter(pk=damascus.pk).with_parts()) == ["damascus"]


def test_several_sites_with_parts_list_each_place_once(db):
    palmyra = make_site("Palmyra", slug="palmyra")
    bel = make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)
    make_site("Cella", slug="cella", parent=bel)

    assert slugs(Site.objects.filter(slug__in=["palmyra", "temple-of-bel"]).with_parts()) == [
        "cella", "palmyra", "temple-of-bel",
    ]


def test_with_parts_takes_one_query_however_deep_the_parts_go(db, django_assert_num_queries):
    site = top = make_site("Top", slug="top")
    for depth in range(6):
        site = make_site(f"Level {depth}", parent=site)

    with django_assert_num_queries(1):  # one recursive CTE, as a subquery of the sites' SELECT
        assert len(Site.objects.filter(pk=top.pk).with_parts()) == 7


def test_with_wholes_climbs_from_a_part_to_every_site_it_is_part_of(db, django_assert_num_queries):
    palmyra = make_site("Palmyra", slug="palmyra")
    al_lat = make_site("Temple of al-Lat", slug="temple-of-al-lat", parent=palmyra)
    lion = make_site("Lion of al-Lat", slug="lion-of-al-lat", parent=al_lat)
    make_site("Lion's paw", slug="lions-paw", parent=lion)
    make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)

    with django_assert_num_queries(1):
        assert slugs(Site.objects.filter(pk=lion.pk).with_wholes()) == ["lion-of-al-lat", "palmyra", "temple-of-al-lat"]
    assert slugs(Site.objects.filter(pk=palmyra.pk).with_wholes()) == ["palmyra"]
