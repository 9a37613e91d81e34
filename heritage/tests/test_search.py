import pytest
from django.db import connection
from django.urls import reverse

from heritage.models import HistoryEvent, Incident, Source
from heritage.tests.factories import make_incident
from sites.models import Site
from sites.tests.factories import make_name, make_site


def slugs(queryset):
    return [site.slug for site in queryset]


def results(response, key):
    return next(found for group, _, found in response.context["groups"] if group == key)


# Sites: every name, any script -----------------------------------------------


def test_site_search_finds_any_name_in_any_script(palmyra):
    assert slugs(Site.objects.search("Tadmor")) == ["palmyra"]
    assert slugs(Site.objects.search("تدمر")) == ["palmyra"]
    assert slugs(Site.objects.search("تَدْمُر")) == ["palmyra"]  # with vowel marks


def test_site_search_ignores_case_and_accents(palmyra):
    make_name(palmyra.baalshamin, "Temple de Baalšamîn", "fr")
    assert slugs(Site.objects.search("TEMPLE OF BEL")) == ["temple-of-bel"]
    assert slugs(Site.objects.search("baalsamin")) == ["temple-of-baalshamin"]


def test_site_search_matches_transliterations_that_differ_in_spacing(palmyra):
    assert slugs(Site.objects.search("Baalshamin")) == ["temple-of-baalshamin"]
    assert slugs(Site.objects.search("Baal Shamin")) == ["temple-of-baalshamin"]
    assert slugs(Site.objects.search("Ba'al-Shamin")) == ["temple-of-baalshamin"]


def test_site_search_ranks_whole_names_before_partial_ones(db):
    citadel = make_site("Bosra Citadel", slug="bosra-citadel")
    make_name(citadel, "Bosra Citadel", "en")
    bosra = make_site("Ancient City of Bosra", slug="bosra")
    make_name(bosra, "Bosra", "en")
    make_name(bosra, "Ancient City of Bosra", "en")
    found = Site.objects.search("bosra")
    assert slugs(found) == ["bosra", "bosra-citadel"]
    assert [site.rank for site in found] == [3, 2]


def test_site_search_of_punctuation_alone_finds_nothing(palmyra):
    assert list(Site.objects.search(" ‘’ - ")) == []


# The record ------------------------------------------------------------------


def test_record_search_finds_sources_events_and_incidents_by_their_words(palmyra):
    assert [source.slug for source in Source.objects.search("Observatory")] == [palmyra.sohr.slug, palmyra.seed.slug]
    assert [event.title for event in HistoryEvent.objects.search("cavalry raid")] == [
        "Mark Antony's cavalry raid on Palmyra"
    ]
    assert [incident.title for incident in Incident.objects.search("Baalshamin")] == ["Temple of Baalshamin blown up"]


def test_record_search_needs_every_word(palmyra):
    assert list(Incident.objects.search("temple bel")) == [palmyra.destroyed]
    assert list(Incident.objects.search("temple nowhere")) == []


def test_record_search_ranks_title_matches_first(db):
    in_body = make_incident(title="Shelling near the citadel", description="Damage to the minaret was reported.")
    in_title = make_incident(title="Minaret collapses", description="Reported by residents.")
    assert list(Incident.objects.search("minaret")) == [in_title, in_body]


# The page --------------------------------------------------------------------


def test_search_page_groups_ranked_results_by_type(client, palmyra):
    response = client.get(reverse("heritage:search"), {"q": "Bel"})
    assert response.status_code == 200
    assert slugs(results(response, "sites"))[0] == "temple-of-bel"
    assert [incident.title for incident in results(response, "incidents")] == ["Temple of Bel blown up"]
    content = response.content.decode()
    assert content.index('id="sites-heading"') < content.index('id="incidents-heading"')
    assert 'href="/sites/temple-of-bel/"' in content


def test_search_page_hides_drafts_from_visitors(client, palmyra):
    response = client.get(reverse("heritage:search"), {"q": "rumour"})
    assert response.context["total"] == 0
    assert "Nothing found" in response.content.decode()


def test_search_page_without_a_query_shows_just_the_box(client, db):
    response = client.get(reverse("heritage:search"))
    assert response.status_code == 200
    assert response.context["groups"] == []


def test_search_page_escapes_the_query(client, db):
    content = client.get(reverse("heritage:search"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# PostgreSQL ------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_search_stems_english_words(palmyra):
    make_incident([palmyra.site], title="Columns destroyed", description="Several columns were blown up.")
    assert [incident.title for incident in Incident.objects.search("column destruction")] == []
    assert [incident.title for incident in Incident.objects.search("column destroy")] == ["Columns destroyed"]


@pytest.mark.postgres
def test_postgres_search_understands_web_search_syntax(palmyra):
    titles = [incident.title for incident in Incident.objects.search('"blown up" -Baalshamin')]
    assert titles == ["Temple of Bel blown up"]


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_indexes_of_the_stored_documents(palmyra):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "incident_document_idx" in Incident.objects.search("temple").explain()
    assert "source_document_idx" in Source.objects.search("temple").explain()
    assert "historyevent_document_idx" in HistoryEvent.objects.search("temple").explain()


@pytest.mark.postgres
def test_postgres_search_documents_follow_every_edit_even_bulk_updates(palmyra):
    incident = make_incident([palmyra.site], title="Columns destroyed")
    incident.title = "Colonnade toppled"
    incident.save()
    assert [found.title for found in Incident.objects.search("toppled")] == ["Colonnade toppled"]
    assert Incident.objects.search("columns").filter(pk=incident.pk).count() == 0
    Incident.objects.filter(pk=incident.pk).update(description="The tetrapylon was hit as well.")
    assert [found.pk for found in Incident.objects.search("tetrapylon")] == [incident.pk]
