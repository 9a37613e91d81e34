"""The search page ranks a bounded set of candidates, so a common word costs no more than a rare one."""

import pytest
from django.db import connection
from django.urls import reverse

from heritage import views
from heritage.models import Incident
from heritage.tests.factories import make_incident
from sites.models import Site
from sites.tests.factories import make_name, make_site


def titles(found):
    return [record.title for record in found]


def slugs(found):
    return [site.slug for site in found]


def test_record_search_ranks_only_the_first_candidates_found_and_says_how_many(palmyra):
    found = Incident.objects.search("blown up", candidates=1)
    assert titles(found) == ["Temple of Bel blown up"]
    assert [incident.matches for incident in found] == [1]
    # Unbounded, both are ranked: equally good matches, the newer first.
    assert titles(Incident.objects.search("blown up")) == ["Temple of Baalshamin blown up", "Temple of Bel blown up"]


def test_record_search_with_room_for_every_match_ranks_them_all(palmyra):
    found = Incident.objects.search("blown up", candidates=20)
    assert titles(found) == ["Temple of Baalshamin blown up", "Temple of Bel blown up"]
    assert [incident.matches for incident in found] == [2, 2]


def test_record_search_candidates_are_only_records_the_reader_may_see(palmyra):
    for number in range(10):
        make_incident([palmyra.bel], title=f"Temple draft {number} written for this test", status="draft")
    # Two candidates of the twelve matches: had drafts been taken before the reader's filter, they would crowd out
    # the two published incidents.
    found = Incident.objects.published().search("temple", candidates=2)
    assert sorted(titles(found)) == ["Temple of Baalshamin blown up", "Temple of Bel blown up"]


def test_site_search_ranks_a_site_named_exactly_so_even_beyond_the_candidates(db):
    citadel = make_site("Bosra Citadel", slug="bosra-citadel")
    make_name(citadel, "Bosra Citadel", "en")
    theatre = make_site("Roman Theatre", slug="roman-theatre")
    make_name(theatre, "Roman Theatre of Bosra", "en")
    bosra = make_site("Ancient City of Bosra", slug="bosra")
    make_name(bosra, "Bosra", "en")
    found = Site.objects.search("bosra", candidates=1)
    assert slugs(found) == ["bosra", "bosra-citadel"]
    assert [(site.rank, site.matches) for site in found] == [(3, 2), (2, 2)]
    assert slugs(Site.objects.search("bosra")) == ["bosra", "bosra-citadel", "roman-theatre"]


def test_site_search_with_candidates_still_offers_resembling_names(palmyra):
    found = Site.objects.search("Palmira", candidates=1)
    assert slugs(found) == ["palmyra"]
    assert found[0].rank == 0


def test_search_page_says_when_the_best_are_of_the_first_matches_found(client, palmyra, monkeypatch, settings):
    settings.RESPONSE_CACHE_SECONDS = 0  # the same address is asked twice, with the bound changed between
    monkeypatch.setattr(views, "SEARCH_LIMIT", 1)
    monkeypatch.setattr(views, "SEARCH_CANDIDATES", 2)
    content = client.get(reverse("heritage:search"), {"q": "blown up"}).content.decode()
    assert "The best 1 of the first 2 matches found; refine the search for more." in content

    monkeypatch.setattr(views, "SEARCH_CANDIDATES", 3)
    content = client.get(reverse("heritage:search"), {"q": "blown up"}).content.decode()
    assert "The best 1 matches; refine the search for more." in content
    assert "of the first" not in content


def test_search_page_queries_do_not_grow_with_the_matches(client, palmyra, django_assert_num_queries):
    # Sites: the candidates' ids, then the ranked sites; incidents and their sites; events and theirs; sources.
    with django_assert_num_queries(7):
        client.get(reverse("heritage:search"), {"q": "temple"})
    for number in range(30):
        make_incident([palmyra.bel], title=f"Temple record {number} written for this test")
    with django_assert_num_queries(7):
        response = client.get(reverse("heritage:search"), {"q": "temple"})
    assert len(next(found for key, _, found in response.context["groups"] if key == "incidents")) == 20


@pytest.mark.postgres
def test_postgres_takes_the_candidates_from_the_gin_index_the_same_each_time(palmyra):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    found = Incident.objects.search("temple", candidates=1)
    assert "incident_document_idx" in found.explain()
    assert titles(found) == titles(found.all()) == ["Temple of Bel blown up"]
