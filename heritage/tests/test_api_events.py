import pytest

from heritage.models import HistoryEvent, Status
from heritage.tests.factories import make_event, make_source
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture
def palmyra():
    return make_site("Site of Palmyra", slug="palmyra")


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_events_come_in_true_chronological_order_across_bce_and_ad(api, palmyra):
    make_event([palmyra], title="Temple of Bel dedicated", date="0032")
    make_event([palmyra], title="Mark Antony's raid", date="-0040", kind=HistoryEvent.Kind.CONQUEST)
    make_event([palmyra], title="Earliest mention", date="-1899~/-1700~", kind=HistoryEvent.Kind.MENTION)
    make_event([palmyra], title="Inscribed on the World Heritage List", date="1980",
               kind=HistoryEvent.Kind.DESIGNATION)
    assert titles(api.get(EVENTS)) == [
        "Earliest mention", "Mark Antony's raid", "Temple of Bel dedicated", "Inscribed on the World Heritage List",
    ]
    assert titles(api.get(EVENTS, {"ordering": "-date"}))[0] == "Inscribed on the World Heritage List"
    body = api.get(EVENTS, {"date_to": "-0001"}).json()
    assert [event["date_display"] for event in body["results"]] == ["c. 1900–1701 BC", "41 BC"]


def test_it_filters_events_by_site_kind_confidence_dates_and_text(api, palmyra):
    other = make_site("Damascus", slug="damascus")
    make_event([palmyra], title="Mark Antony's raid", date="-0040", kind=HistoryEvent.Kind.CONQUEST,
               confidence="medium-high")
    make_event([other], title="Temple of Jupiter", date="0100", kind=HistoryEvent.Kind.CONSTRUCTION)
    assert titles(api.get(EVENTS, {"site": "palmyra"})) == ["Mark Antony's raid"]
    assert titles(api.get(EVENTS, {"kind": "construction"})) == ["Temple of Jupiter"]
    assert titles(api.get(EVENTS, {"confidence": "medium-high"})) == ["Mark Antony's raid"]
    assert titles(api.get(EVENTS, {"date_from": "-0040", "date_to": "-0040"})) == ["Mark Antony's raid"]
    assert titles(api.get(EVENTS, {"date_from": "0001"})) == ["Temple of Jupiter"]
    assert titles(api.get(EVENTS, {"q": "antony"})) == ["Mark Antony's raid"]


@pytest.mark.parametrize("params", [{"kind": "party"}, {"confidence": "total"}, {"date_to": "41 BC"}])
def test_bad_event_filters_are_a_400(api, params):
    response = api.get(EVENTS, params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_draft_events_are_hidden_from_readers(api, api_as, alice, palmyra):
    make_event([palmyra], title="Draft", status=Status.DRAFT)
    assert titles(api.get(EVENTS)) == []
    assert titles(api_as(alice).get(EVENTS)) == ["Draft"]


def test_an_editor_records_an_event_with_a_bce_date(api_as, alice, palmyra):
    source = make_source()
    response = api_as(alice).post(EVENTS, {
        "slug": "mark-antony-raid", "kind": "conquest", "title": "Mark Antony's raid", "date": "-0040",
        "sites": ["palmyra"], "status": "published", "citations": [{"source": source.slug, "quote": "…"}],
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["date_display"] == "41 BC"
    event = HistoryEvent.objects.get(slug="mark-antony-raid")
    assert event.date_earliest < event.date_latest
    assert {record.history_user for record in event.history.all()} == {alice}


def test_an_invalid_edtf_date_is_refused_with_help(api_as, alice, palmyra):
    response = api_as(alice).post(EVENTS, {
        "slug": "x", "kind": "conquest", "title": "X", "date": "41 BC", "sites": ["palmyra"],
    }, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["date"][0].startswith("“41 BC” is not a valid EDTF date.")


def test_the_event_list_takes_four_queries(api, palmyra, django_assert_num_queries):
    make_event([palmyra])
    # count, the page, its sites, its citations with their sources
    with django_assert_num_queries(4):
        api.get(EVENTS)
    for _ in range(6):
        make_event([palmyra, make_site()])
    with django_assert_num_queries(4):
        api.get(EVENTS)
