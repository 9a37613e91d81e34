import pytest
from django.urls import reverse

from heritage.models import ClaimStanding, ThreatCategory
from heritage.tests.factories import make_actor, make_category, make_incident, make_source
from sites.tests.factories import make_site


def incidents_in(response):
    return [incident.title for incident in response.context["page"].object_list]


# Home ------------------------------------------------------------------------


def test_home_shows_figures_latest_incidents_and_sites_at_risk(client, palmyra):
    response = client.get(reverse("heritage:home"))
    assert response.status_code == 200
    assert response.context["figures"] == {"sites": (4, False), "incidents": (2, False), "sources": (3, False), "countries": 1}
    content = response.content.decode()
    assert "Temple of Bel blown up" in content
    assert "Unchecked rumour of looting" not in content
    # Palmyra's record includes its temples' incidents; it ties with the Temple of Bel and comes first by name.
    assert [site.slug for site in response.context["at_risk"]][:3] == ["palmyra", "temple-of-bel", "temple-of-baalshamin"]
    assert 'role="search"' in content
    # The map draws the sites at highest risk, in the list's order, and says so.
    assert [point["name"] for point in response.context["map_points"]] == [
        site.name for site in response.context["at_risk"]
    ]
    assert "The map shows up to 100 sites at highest risk" in content


def test_home_map_draws_at_most_the_configured_number_of_sites_at_risk(client, palmyra, settings):
    settings.HOME_MAP_POINTS = 2
    response = client.get(reverse("heritage:home"))
    assert [point["url"] for point in response.context["map_points"]] == ["/sites/palmyra/", "/sites/temple-of-bel/"]
    assert "The map shows up to 2 sites at highest risk" in response.content.decode()


# Sources ---------------------------------------------------------------------


def test_source_page_explains_the_admiralty_grading(client, palmyra):
    response = client.get(reverse("heritage:source", args=[palmyra.unosat.slug]))
    content = response.content.decode()
    assert "How far to trust it: <abbr" in content
    assert '<tr class="selected" aria-current="true"><td>A – Completely reliable</td>' in content
    assert '<tr class="selected" aria-current="true"><td>1 – Confirmed by other sources</td>' in content
    assert "E – Unreliable" in content  # the whole scale, so readers see what the grade means


def test_graphic_source_content_stays_behind_a_warning(client, palmyra):
    content = client.get(reverse("heritage:source", args=[palmyra.seed.slug])).content.decode()
    details = content[content.index('<details class="graphic-warning">'):content.index("</details>")]
    assert "Content warning: this source describes or shows violence" in details
    assert "130 miles north-east of Damascus" in details
    assert content.count("130 miles north-east of Damascus") == 1


def test_source_page_shows_what_it_relies_on_and_what_relies_on_it(client, palmyra):
    seed = client.get(reverse("heritage:source", args=[palmyra.seed.slug])).content.decode()
    assert f'href="{palmyra.sohr.get_absolute_url()}"' in seed
    sohr = client.get(reverse("heritage:source", args=[palmyra.sohr.slug])).content.decode()
    assert "Relied on by" in sohr
    assert f'href="{palmyra.seed.get_absolute_url()}"' in sohr


def test_source_page_lists_the_sites_incidents_and_events_it_supports(client, palmyra):
    response = client.get(reverse("heritage:source", args=[palmyra.unosat.slug]))
    assert [site.slug for site in response.context["supported_sites"]] == ["palmyra", "temple-of-bel"]
    assert [incident.title for incident in response.context["incidents"]] == ["Temple of Bel blown up"]
    assert len(response.context["events"]) == 3


def test_draft_source_is_404_for_visitors_but_shown_to_editors(client, palmyra, alice):
    draft = make_source("Unverified post", status="draft")
    assert client.get(reverse("heritage:source", args=[draft.slug])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("heritage:source", args=[draft.slug])).status_code == 200


def test_source_page_is_404_for_an_unknown_slug(client, db):
    assert client.get(reverse("heritage:source", args=["no-such-source"])).status_code == 404


# Incidents -------------------------------------------------------------------


def test_incident_list_shows_published_incidents_latest_first(client, palmyra):
    response = client.get(reverse("heritage:incidents"))
    assert incidents_in(response) == ["Temple of Bel blown up", "Temple of Baalshamin blown up"]


def test_incident_list_filters_by_category(client, palmyra):
    fire = make_category("Fire", code="9.9")
    make_incident([palmyra.site], title="Brush fire", category=fire, date="2019-07")
    assert incidents_in(client.get(reverse("heritage:incidents"), {"category": fire.slug})) == ["Brush fire"]
    primary = ThreatCategory.objects.get(slug="other-human-activities")
    assert len(incidents_in(client.get(reverse("heritage:incidents"), {"category": primary.slug}))) == 3


def test_incident_list_filters_by_claim(client, palmyra):
    make_incident([palmyra.site], title="Claimed looting", claim=ClaimStanding.ALLEGED, date="2016-01")
    assert incidents_in(client.get(reverse("heritage:incidents"), {"claim": "alleged"})) == ["Claimed looting"]


def test_incident_list_filters_by_actor(client, palmyra):
    make_incident([palmyra.site], title="Shelling", actor=make_actor("Syrian Arab Army"), date="2016-03")
    assert incidents_in(client.get(reverse("heritage:incidents"), {"actor": "syrian-arab-army"})) == ["Shelling"]


def test_incident_list_filters_by_country(client, palmyra):
    make_incident([make_site("Hatra", countries=["IQ"])], title="Hatra damaged", date="2015-03")
    assert incidents_in(client.get(reverse("heritage:incidents"), {"country": "IQ"})) == ["Hatra damaged"]
    assert len(incidents_in(client.get(reverse("heritage:incidents"), {"country": "SY"}))) == 2


def test_incident_list_filters_by_date_range(client, palmyra):
    response = client.get(reverse("heritage:incidents"), {"start": "2015-08-24", "end": "2015-08-31"})
    assert incidents_in(response) == ["Temple of Bel blown up"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"claim": "rumoured"}, "Select a valid choice. rumoured is not one of the available choices."),
        ({"start": "2015-13-45"}, "Enter a valid date."),
        ({"start": "2016-01-01", "end": "2015-01-01"}, "The end date is before the start date."),
        ({"actor": "nobody"}, "Select a valid choice."),
    ],
)
def test_incident_list_explains_bad_filter_values(client, palmyra, params, message):
    response = client.get(reverse("heritage:incidents"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_incident_list_hides_drafts_from_visitors_and_shows_them_to_editors(client, palmyra, alice):
    assert "Unchecked rumour of looting" not in incidents_in(client.get(reverse("heritage:incidents")))
    client.force_login(alice)
    assert "Unchecked rumour of looting" in incidents_in(client.get(reverse("heritage:incidents")))


def test_incident_page_shows_its_claim_sites_and_sources(client, palmyra):
    content = client.get(reverse("heritage:incident", args=[palmyra.destroyed.slug])).content.decode()
    assert "Confirmed by direct evidence" in content
    assert "30 August 2015" in content
    assert 'href="/sites/temple-of-bel/"' in content
    assert palmyra.unosat.title in content
    assert "Islamic State" in content


def test_draft_incident_is_404_for_visitors(client, palmyra):
    assert client.get(reverse("heritage:incident", args=[palmyra.draft.slug])).status_code == 404


def test_incident_page_is_404_for_an_unknown_slug(client, db):
    assert client.get(reverse("heritage:incident", args=["nothing"])).status_code == 404


# Threat categories -----------------------------------------------------------


def test_categories_show_the_unesco_tree_with_counts(client, palmyra):
    make_incident([palmyra.site], category=make_category("Illicit excavation", code="9.3"), date="2016-02")
    response = client.get(reverse("heritage:categories"))
    primary = response.context["primaries"][0]
    assert primary.label == "Other human activities"
    assert primary.total == 3
    content = response.content.decode()
    assert "9. Other human activities" in content
    assert 'Deliberate destruction of heritage</a> <span class="count">2</span>' in content


def test_category_page_lists_its_incidents_and_those_of_its_children(client, palmyra):
    response = client.get(reverse("heritage:category", args=["other-human-activities"]))
    assert incidents_in(response) == ["Temple of Bel blown up", "Temple of Baalshamin blown up"]
    content = response.content.decode()
    assert reverse("heritage:category-chart", args=["other-human-activities"]) in content
    assert reverse("heritage:category-feed", args=["other-human-activities", "atom"]) in content


def test_category_page_is_404_for_an_unknown_slug(client, db):
    assert client.get(reverse("heritage:category", args=["alien-invasion"])).status_code == 404


def test_threat_filter_lists_each_primary_factor_before_its_secondary_ones(client, palmyra):
    fire = make_category("Fire", code="", parent_label="Other human activities")
    form = client.get(reverse("heritage:incidents")).context["filterset"].form
    labels = [label for value, label in form.fields["category"].choices if value]
    assert labels == [
        "Other human activities",
        "Other human activities › Deliberate destruction of heritage",
        "Other human activities › Fire",
    ]
    assert fire.parent.label == "Other human activities"


def test_unknown_addresses_get_a_helpful_not_found_page(client, db):
    response = client.get("/sites/atlantis/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content
    assert 'role="search"' in content
