"""Pages made for reading: a site's timeline shows each happening once, its table of contents counts
what its lists hold; lists link their exports with their filters; charts name their axes; the
conventions of the record (gradings, [supplied titles]) are explained on the page; categories are
numbered once. What only a browser can see (layout, overlap, sticky contents) is in test_reading_browser.py.
"""

import csv
import io
import re

from django.urls import reverse

from heritage.models import HistoryEvent
from heritage.tests.factories import make_event


def site_page(client, slug):
    return client.get(reverse("sites:detail", args=[slug]))


def incident_links(content, incident):
    return content.count(f'href="{incident.get_absolute_url()}"')


# One happening, once -----------------------------------------------------------------------


def test_an_incident_and_the_history_event_of_the_same_happening_make_one_timeline_entry(client, palmyra):
    make_event([palmyra.bel], title="Temple of Bel destroyed", date="2015-08-30",
               kind=HistoryEvent.Kind.DESTRUCTION, source=palmyra.unosat)

    response = site_page(client, "temple-of-bel")

    entries = [(entry.kind, entry.title, [incident.title for incident in entry.incidents])
               for entry in response.context["timeline"]]
    assert entries == [
        ("event", "Temple of Bel consecrated", []),
        ("event", "Temple of Bel destroyed", ["Temple of Bel blown up"]),
        ("assessment", "Condition assessed as Destroyed by UNOSAT", []),
    ]
    content = response.content.decode()
    assert incident_links(content, palmyra.destroyed) == 1
    assert "Recorded as an incident:" in content


def test_a_history_event_of_another_kind_or_date_stays_apart_from_the_incident(client, palmyra):
    make_event([palmyra.bel], title="Bel's feast", date="2015-08-30", kind=HistoryEvent.Kind.DEDICATION)
    make_event([palmyra.bel], title="Temple of Bel mined", date="2015-08-29", kind=HistoryEvent.Kind.DAMAGE)

    kinds = [(entry.kind, entry.title) for entry in site_page(client, "temple-of-bel").context["timeline"]]

    assert ("incident", "Temple of Bel blown up") in kinds
    assert ("event", "Bel's feast") in kinds and ("event", "Temple of Bel mined") in kinds


def test_a_history_event_at_another_site_stays_apart_from_the_incident(client, palmyra):
    make_event([palmyra.baalshamin], title="Another temple destroyed", date="2015-08-30",
               kind=HistoryEvent.Kind.DESTRUCTION)

    timeline = site_page(client, "palmyra").context["timeline"]

    assert [entry.kind for entry in timeline if entry.title == "Temple of Bel blown up"] == ["incident"]


def test_the_site_page_lists_each_incident_once_and_counts_them_as_its_lists_do(client, palmyra):
    make_event([palmyra.bel], title="Temple of Bel destroyed", date="2015-08-30",
               kind=HistoryEvent.Kind.DESTRUCTION, source=palmyra.unosat)

    response = site_page(client, "palmyra")

    content = response.content.decode()
    incidents = response.context["incidents"]
    assert [incident.title for incident in incidents] == ["Temple of Baalshamin blown up", "Temple of Bel blown up"]
    for incident in incidents:
        assert incident_links(content, incident) == 1, incident.title
    assert '<span class="count" id="toc-incident-count">2</span>' in content
    assert "2 incidents are recorded at Site of Palmyra and its parts." in content
    timeline = response.context["timeline"]
    assert f'<span class="count" id="toc-timeline-count">{len(timeline)}</span>' in content
    assert content.count('class="timeline-entry ') == len(timeline)


def test_the_site_page_has_a_table_of_contents_naming_its_sections(client, palmyra):
    content = site_page(client, "palmyra").content.decode()
    toc = content[content.index('<details class="page-toc"'):content.index("</details>", content.index("page-toc"))]
    targets = re.findall(r'href="#([\w-]+)"', toc)
    assert targets == ["status-heading", "timeline-heading", "incidents-heading", "names-heading",
                       "location-heading", "parts-heading", "designations-heading", "identifiers-heading",
                       "cite-heading"]
    for target in targets:
        assert f'id="{target}"' in content, target


# Lists and their exports -------------------------------------------------------------------


def test_the_site_list_links_its_exports_with_its_filters(client, api, palmyra):
    content = client.get(reverse("sites:list"), {"kind": "temple", "designation": "in-danger"}).content.decode()

    assert 'href="/api/v1/sites/csv/?kind=temple&amp;in_danger=true"' in content
    assert 'href="/api/v1/sites/geojson/?kind=temple&amp;in_danger=true"' in content
    assert 'href="/api/v1/sites/?kind=temple&amp;in_danger=true"' in content
    assert "The downloads cannot apply" not in content


def test_the_site_lists_csv_holds_the_sites_the_page_lists(client, api, palmyra):
    page = client.get(reverse("sites:list"), {"kind": "temple"})
    exported = api.get("/api/v1/sites/csv/", {"kind": "temple"})
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert sorted(row["slug"] for row in rows) == sorted(site.slug for site in page.context["page"].object_list)
    assert len(rows) == 2


def test_the_site_list_says_which_filters_its_exports_cannot_apply(client, palmyra):
    content = client.get(reverse("sites:list"), {"since": "2015-01-01", "designation": "world-heritage"}).content
    assert "The downloads cannot apply these filters and hold more: Designation, Incidents since." in content.decode()


def test_the_incident_list_links_its_exports_with_its_filters(client, palmyra):
    content = client.get(reverse("heritage:incidents"), {"claim": "confirmed", "start": "2015-08-01"}).content.decode()
    assert 'href="/api/v1/incidents/csv/?claim=confirmed&amp;date_from=2015-08-01"' in content
    assert 'href="/api/v1/incidents/?claim=confirmed&amp;date_from=2015-08-01"' in content


def test_the_incident_lists_export_holds_the_incidents_the_page_lists(client, api, palmyra):
    query = {"claim": "confirmed", "start": "2015-08-25"}
    page = client.get(reverse("heritage:incidents"), query).context["page"].object_list
    exported = api.get("/api/v1/incidents/", {"claim": "confirmed", "date_from": "2015-08-25"}).json()["results"]
    assert [incident["slug"] for incident in exported] == [incident.slug for incident in page] == [palmyra.destroyed.slug]


# Conventions explained, axes named, numbers once ----------------------------------------------


def test_the_incident_page_explains_gradings_and_bracketed_titles_in_words(client, palmyra):
    content = client.get(palmyra.destroyed.get_absolute_url()).content.decode()
    assert "How to read the sources: gradings such as B2, and titles in [square brackets]" in content
    assert "A – Completely reliable" in content and "6 – Truth cannot be judged" in content
    assert "A title in [square brackets] is ours" in content


def test_a_source_page_says_a_bracketed_title_is_ours(client, palmyra):
    palmyra.sohr.title = "[Report of executions in the Roman theatre of Palmyra]"
    palmyra.sohr.save()
    assert 'id="supplied-title-note"' in client.get(palmyra.sohr.get_absolute_url()).content.decode()
    assert 'id="supplied-title-note"' not in client.get(palmyra.unosat.get_absolute_url()).content.decode()


def test_a_chart_names_its_axes_and_labels_quarters_over_short_spans(client, palmyra):
    svg = client.get(reverse("heritage:site-chart", args=["palmyra"])).content.decode()
    assert ">Incidents in the month</text>" in svg
    assert ">Month (labelled each quarter)</text>" in svg
    assert re.findall(r'fill="#3d4447">(\w+)</text>', svg)[3:] == ["2015", "Apr", "Jul", "Oct"]


def test_categories_are_numbered_once_by_unesco_code(client, palmyra):
    content = client.get(reverse("heritage:categories")).content.decode()
    assert '<ul class="category-tree">' in content
    assert "9. Other human activities" in content
    assert "<ol" not in content[content.index("<main"):]

