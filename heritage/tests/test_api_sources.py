import csv
import io

import pytest
from django.http import StreamingHttpResponse

from heritage.models import Quotation, Source, Status
from heritage.tests.factories import make_source

pytestmark = pytest.mark.django_db

SOURCES = "/api/v1/sources/"


@pytest.fixture
def sohr():
    return make_source(
        "Report on executions in the Roman theatre", publisher="Syrian Observatory for Human Rights",
        kind=Source.Kind.MONITORING, published="2015-07",
    )


@pytest.fixture
def daily_mail(sohr):
    source = make_source(
        "Executions in the Roman theatre of Palmyra", publisher="Daily Mail", published="2015-07-17", graphic=True,
        url="https://www.dailymail.co.uk/news/article-3164999/", reliability="C", credibility="3",
    )
    source.relies_on.add(sohr)
    Quotation.objects.create(source=source, text="…", supports="The theatre was used for executions.")
    return source


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_a_source_shows_its_grading_links_and_quotations(api, daily_mail, sohr):
    body = api.get(f"{SOURCES}{daily_mail.slug}/").json()
    assert body["title"] == "Executions in the Roman theatre of Palmyra"
    assert body["document_url"] == "https://www.dailymail.co.uk/news/article-3164999/"
    assert body["url"] == f"http://testserver/api/v1/sources/{daily_mail.slug}/"
    assert body["published"] == "2015-07-17" and body["published_display"] == "17 July 2015"
    assert body["grading"] == "C3"
    assert body["graphic"] is True
    assert body["relies_on"] == [{"slug": sohr.slug, "title": sohr.title,
                                  "url": f"http://testserver/api/v1/sources/{sohr.slug}/"}]
    assert body["quotations"] == [{"text": "…", "supports": "The theatre was used for executions.", "locator": ""}]


def test_draft_sources_are_hidden_from_readers(api, api_as, alice, sohr):
    draft = make_source("Unchecked", status=Status.DRAFT)
    assert slugs(api.get(SOURCES)) == [sohr.slug]
    assert api.get(f"{SOURCES}{draft.slug}/").status_code == 404
    assert set(slugs(api_as(alice).get(SOURCES))) == {sohr.slug, draft.slug}


def test_it_filters_sources_by_every_facet(api, daily_mail, sohr):
    assert slugs(api.get(SOURCES, {"kind": "monitoring"})) == [sohr.slug]
    assert slugs(api.get(SOURCES, {"reliability": "C"})) == [daily_mail.slug]
    assert slugs(api.get(SOURCES, {"credibility": "3"})) == [daily_mail.slug]
    assert slugs(api.get(SOURCES, {"graphic": "true"})) == [daily_mail.slug]
    assert slugs(api.get(SOURCES, {"graphic": "false"})) == [sohr.slug]
    assert slugs(api.get(SOURCES, {"publisher": "observatory"})) == [sohr.slug]
    assert slugs(api.get(SOURCES, {"language": "en", "ordering": "title"})) == [daily_mail.slug, sohr.slug]
    assert slugs(api.get(SOURCES, {"q": "palmyra theatre"})) == [daily_mail.slug]  # every word, in any order
    assert slugs(api.get(SOURCES, {"published_from": "2015-07-10"})) == [daily_mail.slug, sohr.slug]
    assert slugs(api.get(SOURCES, {"published_from": "2015-08"})) == []
    assert slugs(api.get(SOURCES, {"published_to": "2015-07-10"})) == [sohr.slug]
    assert slugs(api.get(SOURCES)) == [daily_mail.slug, sohr.slug]
    assert slugs(api.get(SOURCES, {"ordering": "published"})) == [sohr.slug, daily_mail.slug]


@pytest.mark.parametrize("params", [
    {"kind": "rumour"}, {"reliability": "Z"}, {"credibility": "9"}, {"graphic": "yes"}, {"published_from": "July"},
])
def test_bad_source_filters_are_a_400(api, params):
    response = api.get(SOURCES, params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_an_editor_adds_a_source_and_a_duplicate_url_is_refused(api_as, alice, daily_mail, sohr):
    client = api_as(alice)
    new = {"slug": "unosat-bel", "kind": "imagery", "title": "Damage to the Temple of Bel", "publisher": "UNOSAT",
           "published": "2015-08-31", "reliability": "A", "credibility": "1", "relies_on": [sohr.slug]}
    response = client.post(SOURCES, new, format="json")
    assert response.status_code == 201, response.content
    assert Source.objects.get(slug="unosat-bel").history.first().history_user == alice
    duplicate = client.post(SOURCES, {**new, "slug": "again", "document_url": daily_mail.url}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["error"]["fields"]["document_url"] == [
        f"This address is the document already recorded as the source “{daily_mail}” ({daily_mail.slug}): "
        "cite that source instead."
    ]


@pytest.mark.parametrize(("change", "field"), [
    ({"published": "mid-July"}, "published"), ({"language": "english!"}, "language"),
    ({"document_url": "not a url"}, "document_url"), ({"reliability": "Z"}, "reliability"),
    ({"relies_on": ["nothing"]}, "relies_on"), ({"archived_on": "2015-02-30"}, "archived_on"),
])
def test_invalid_sources_are_refused_field_by_field(api_as, alice, change, field):
    response = api_as(alice).post(SOURCES, {"slug": "s", "kind": "news", "title": "T", **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_source_cannot_rely_on_itself(api_as, alice, sohr):
    client = api_as(alice)
    url = f"{SOURCES}{sohr.slug}/"
    response = client.patch(url, {"relies_on": [sohr.slug]}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"relies_on": ["A source cannot rely on itself."]}


def test_the_list_takes_a_fixed_number_of_queries(api, daily_mail, django_assert_num_queries, settings):
    settings.RESPONSE_CACHE_SECONDS = 0  # the queries of building the response, not of a cached hit
    # count, the page, what each relies on, their quotations
    with django_assert_num_queries(4):
        api.get(SOURCES)
    for number in range(6):
        make_source(f"More {number}").relies_on.add(daily_mail)
    with django_assert_num_queries(4):
        api.get(SOURCES)


def test_the_csv_export_honours_the_filters_and_names_what_each_source_relies_on(api, daily_mail, sohr):
    response = api.get(f"{SOURCES}csv/", {"kind": "news"})
    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["slug"], row["relies_on"], row["graphic"]) for row in rows] == [(daily_mail.slug, sohr.slug, "True")]


def test_the_same_document_at_another_address_is_refused_naming_the_recorded_source(api_as, alice, daily_mail):
    new = {"slug": "copy", "kind": "news", "title": "Executions in Palmyra", "publisher": "Daily Mail",
           "document_url": "http://dailymail.co.uk/news/article-3164999?utm_source=feed"}

    response = api_as(alice).post(SOURCES, new, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"document_url": [
        f"This address is the document already recorded as the source “{daily_mail}” ({daily_mail.slug}): "
        "cite that source instead."
    ]}
    assert not Source.objects.filter(slug="copy").exists()
