import pytest
import tablib
from django.urls import reverse

from heritage.models import Citation, Incident, Source
from heritage.resources import IncidentResource, SourceResource
from heritage.tests.factories import make_category, make_incident, make_source
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db


def rows(model, fields):
    return sorted(model.objects.values_list(*fields))


SOURCE_FIELDS = ["slug", "kind", "title", "publisher", "url", "published", "graphic", "status", "reliability"]
INCIDENT_FIELDS = ["slug", "title", "date", "category__slug", "claim", "status"]


@pytest.fixture
def record():
    palmyra = make_site("Palmyra", slug="palmyra")
    bel = make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)
    observatory = make_source("Observatory statement", publisher="SOHR", url="https://example.org/sohr")
    article = make_source("Temple blown up", publisher="Example News", graphic=True, reliability="B")
    article.relies_on.set([observatory])
    make_incident([bel], title="Temple of Bel blown up", source=article, category=make_category())
    make_incident([palmyra, bel], title="Draft: damage reported", status="draft", date="2015-09")
    return palmyra, bel


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_sources_and_incidents_survive_an_export_and_an_import_into_empty_tables(record, file_format):
    sources_before, incidents_before = rows(Source, SOURCE_FIELDS), rows(Incident, INCIDENT_FIELDS)
    sites_before = sorted(Incident.sites.through.objects.values_list("incident__slug", "site__slug"))
    exported_sources = SourceResource().export().export(file_format)
    exported_incidents = IncidentResource().export().export(file_format)
    Citation.objects.all().delete()
    Incident.objects.all().delete()
    Source.objects.all().delete()

    for resource, exported in ((SourceResource(), exported_sources), (IncidentResource(), exported_incidents)):
        dataset = tablib.Dataset().load(exported, format=file_format)
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
        assert not result.has_validation_errors()

    assert rows(Source, SOURCE_FIELDS) == sources_before
    assert rows(Incident, INCIDENT_FIELDS) == incidents_before
    assert sorted(Incident.sites.through.objects.values_list("incident__slug", "site__slug")) == sites_before
    assert list(Source.objects.get(title="Temple blown up").relies_on.values_list("publisher", flat=True)) == ["SOHR"]
    assert Incident.objects.get(title="Temple of Bel blown up").citations.count() == 1


def test_an_import_dry_run_reports_row_errors_and_writes_nothing(record):
    dataset = tablib.Dataset(headers=["slug", "title", "date", "sites", "category", "claim", "status",
                                      "sources"])
    dataset.append(["new-one", "Arch blown up", "2015-10-04", "palmyra", "deliberate-destruction-of-heritage",
                    "alleged", "published", ""])
    dataset.append(["new-two", "Bad date", "30 August", "palmyra", "deliberate-destruction-of-heritage",
                    "alleged", "draft", ""])

    result = IncidentResource().import_data(dataset, dry_run=True)

    assert result.has_validation_errors()
    messages = {row.number: row.error_dict for row in result.invalid_rows}
    assert "sources" in str(messages[1]) and "date" in str(messages[2])
    assert not Incident.objects.filter(slug__startswith="new-").exists()


def test_the_admin_offers_import_and_export_on_sources_and_incidents(client, bob, record):
    client.force_login(bob)

    for name in ("source", "incident"):
        page = client.get(reverse(f"admin:heritage_{name}_changelist")).content.decode()
        assert reverse(f"admin:heritage_{name}_import") in page
        assert reverse(f"admin:heritage_{name}_export") in page
