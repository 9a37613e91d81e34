"""The JSON API in the reader's language: ?lang= or Accept-Language picks English or Arabic for what the API words
itself (vocabulary labels, dates in words, choices' names), with English where there is no Arabic; the answer says
its language, the schema describes the choice, and the response cache never serves one language's answer for the
other's question."""

import pytest

from config import response_cache
from heritage.models import RiskProfile
from heritage.tests.factories import make_category, make_incident
from sites.tests.factories import PALMYRA, make_kind, make_site

pytestmark = pytest.mark.django_db

SITE = "/api/v1/sites/palmyra/"
# EAMENA's Arabic label (fixtures/vocabularies.json, sites.sitekind archaeological-site).
ARCHAEOLOGICAL_SITE_AR = "الموقع الأثري"


@pytest.fixture
def palmyra():
    kind = make_kind("archaeological-site", "Archaeological site")
    kind.label_ar = ARCHAEOLOGICAL_SITE_AR
    kind.save()
    return make_site("Site of Palmyra", slug="palmyra", **PALMYRA)


def kind_label(response):
    return response.json()["kind"]["label"]


def test_without_a_choice_the_api_answers_in_english(api, palmyra):
    response = api.get(SITE)
    assert kind_label(response) == "Archaeological site"
    assert response["Content-Language"] == "en"


def test_lang_ar_gives_the_arabic_labels_of_vocabulary_terms(api, palmyra):
    response = api.get(SITE, {"lang": "ar"})
    assert kind_label(response) == ARCHAEOLOGICAL_SITE_AR
    assert response["Content-Language"] == "ar"
    # The record's own text is as written: its name, in English, with no invented translation.
    assert response.json()["name"] == "Site of Palmyra"
    assert kind_label(api.get(SITE, {"lang": "en"})) == "Archaeological site"


def test_a_site_whose_detail_is_stored_in_english_is_still_answered_in_arabic(api, palmyra):
    RiskProfile.objects.record_changed([palmyra])  # the write path stores the English detail (heritage/api/stored.py)
    assert kind_label(api.get(SITE)) == "Archaeological site"
    assert kind_label(api.get(SITE, {"lang": "ar"})) == ARCHAEOLOGICAL_SITE_AR
    assert kind_label(api.get(SITE, HTTP_ACCEPT_LANGUAGE="ar")) == ARCHAEOLOGICAL_SITE_AR


@pytest.mark.parametrize(("header", "expected"), [
    ("ar", ARCHAEOLOGICAL_SITE_AR),
    ("ar-SY,ar;q=0.9,en;q=0.8", ARCHAEOLOGICAL_SITE_AR),
    ("fr-FR,ar;q=0.5", ARCHAEOLOGICAL_SITE_AR),
    ("fr-FR,fr;q=0.9", "Archaeological site"),
    ("en-GB", "Archaeological site"),
])
def test_accept_language_picks_the_first_language_the_api_speaks(api, palmyra, header, expected):
    response = api.get(SITE, HTTP_ACCEPT_LANGUAGE=header)
    assert kind_label(response) == expected
    assert "Accept-Language" in response["Vary"]


def test_lang_wins_over_accept_language(api, palmyra):
    assert kind_label(api.get(SITE, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ar")) == "Archaeological site"


def test_a_term_without_an_arabic_label_comes_in_english_in_an_arabic_answer(api, palmyra):
    category = make_category()
    assert category.label_ar == ""
    incident = make_incident([palmyra], category=category, date="-0040")
    body = api.get(f"/api/v1/incidents/{incident.slug}/", {"lang": "ar"}).json()
    assert body["category"]["label"] == "Deliberate destruction of heritage"
    # Dates in words follow the language (heritage/tests/test_dates_in_words.py).
    assert body["date_display"] == "41 ق.م"
    assert api.get(f"/api/v1/incidents/{incident.slug}/").json()["date_display"] == "41 BC"


def test_lists_give_arabic_labels_too(api, palmyra):
    results = api.get("/api/v1/sites/", {"lang": "ar"}).json()["results"]
    assert [site["kind"]["label"] for site in results] == [ARCHAEOLOGICAL_SITE_AR]


def test_a_language_the_api_does_not_speak_is_a_clear_error(api, palmyra):
    response = api.get(SITE, {"lang": "fr"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_language"
    assert "“fr”" in error["message"] and "en, ar" in error["message"]
    assert error["fields"] == {"lang": ["One of en, ar."]}


def test_the_schema_describes_how_to_choose_the_language(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/sites/{slug}/"]["get"]
    parameters = {(parameter["in"], parameter["name"]): parameter for parameter in operation["parameters"]}
    assert sorted(parameters[("query", "lang")]["schema"]["enum"]) == ["ar", "en"]
    assert "Accept-Language" in parameters[("query", "lang")]["description"]
    assert ("header", "Accept-Language") in parameters
    assert "?lang=ar" in schema["info"]["description"]


@pytest.fixture
def response_cache_on(settings):
    settings.RESPONSE_CACHE_SECONDS = 300


@pytest.mark.parametrize(("arabic_address", "ask_arabic"), [
    (SITE, {"HTTP_ACCEPT_LANGUAGE": "ar"}),
    (SITE + "?lang=ar", {}),
])
def test_the_response_cache_keeps_english_and_arabic_answers_apart(
    client, palmyra, response_cache_on, arabic_address, ask_arabic
):
    english = client.get(SITE)
    arabic = client.get(arabic_address, **ask_arabic)
    assert (response_cache.HIT_HEADER in english, kind_label(english)) == (True, "Archaeological site")
    assert kind_label(arabic) == ARCHAEOLOGICAL_SITE_AR
    assert arabic["Content-Language"] == "ar"

    again_english, again_arabic = client.get(SITE), client.get(arabic_address, **ask_arabic)
    assert (again_english[response_cache.HIT_HEADER], kind_label(again_english)) == ("hit", "Archaeological site")
    assert (again_arabic[response_cache.HIT_HEADER], kind_label(again_arabic)) == ("hit", ARCHAEOLOGICAL_SITE_AR)
