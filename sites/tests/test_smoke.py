from sites.tests.factories import PALMYRA, make_site


def test_a_site_can_be_created(db):
    site = make_site("Site of Palmyra", **PALMYRA)
    assert site.point == (PALMYRA["latitude"], PALMYRA["longitude"])
