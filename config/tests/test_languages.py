"""The interface in English (plain addresses) and Arabic (/ar/…): routing, language links, the admin, the
anonymous response cache and the compiled catalogue."""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from config import response_cache
from sites.tests.factories import PALMYRA, make_site

LOCALE = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES"
# Names of registries and projects, kept as they write themselves.
UNTRANSLATED_NAMES = {"Wikidata", "Pleiades", "GeoNames", "EAMENA"}


@pytest.fixture
def palmyra(db):
    return make_site("Site of Palmyra", slug="palmyra", **PALMYRA)


def test_english_pages_keep_their_plain_addresses_and_arabic_ones_live_under_ar(client, palmyra):
    english = client.get("/sites/palmyra/")
    arabic = client.get("/ar/sites/palmyra/")

    assert (english.status_code, english["Content-Language"]) == (200, "en")
    assert (arabic.status_code, arabic["Content-Language"]) == (200, "ar")
    assert '<html lang="en" dir="ltr">' in english.text
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert client.get("/en/sites/palmyra/").status_code == 404


def test_every_page_names_both_of_its_languages_for_search_engines(client, palmyra):
    text = client.get("/ar/sites/palmyra/").text

    assert '<link rel="alternate" hreflang="en" href="http://testserver/sites/palmyra/">' in text
    assert '<link rel="alternate" hreflang="ar" href="http://testserver/ar/sites/palmyra/">' in text
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/sites/palmyra/">' in text
    assert '<link rel="canonical" href="http://testserver/ar/sites/palmyra/">' in text


def test_the_language_switch_links_to_the_same_page_with_its_filters(client, db):
    english = client.get("/sites/?sort=risk&country=SY").text
    arabic = client.get("/ar/sites/?sort=risk&country=SY").text

    assert '<a href="/ar/sites/?sort=risk&amp;country=SY" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in english
    assert '<a href="/sites/?sort=risk&amp;country=SY" hreflang="en" lang="en" dir="ltr">English</a>' in arabic


def test_arabic_pages_read_in_arabic(client, db):
    text = client.get("/ar/incidents/").text

    assert "<h1>الحوادث</h1>" in text
    assert '<a class="skip-link" href="#main">انتقل إلى المحتوى</a>' in text


def test_the_api_answers_in_the_language_the_client_asks_for_at_its_one_address(client, db):
    # Accept-Language or ?lang= (heritage/tests/test_api_language.py); there is no /ar/ API.
    assert client.get("/api/v1/sites/")["Content-Language"] == "en"
    assert client.get("/api/v1/sites/", HTTP_ACCEPT_LANGUAGE="ar")["Content-Language"] == "ar"
    assert client.get("/api/v1/sites/?lang=ar")["Content-Language"] == "ar"
    assert client.get("/ar/api/v1/sites/").status_code == 404


def test_the_admin_follows_the_editors_browser_language(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(editor)

    arabic = client.get(f"/{settings.ADMIN_URL}", HTTP_ACCEPT_LANGUAGE="ar")
    english = client.get(f"/{settings.ADMIN_URL}", HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="ar" dir="rtl">' in arabic.text and "التراث في خطر — المحررون" in arabic.text
    assert '<html lang="en" dir="ltr">' in english.text and "Heritage at Risk — editors" in english.text


@pytest.mark.usefixtures("palmyra")
def test_the_response_cache_keeps_each_language_apart(client, settings):
    settings.RESPONSE_CACHE_SECONDS = 300

    first_english = client.get("/sites/palmyra/")
    first_arabic = client.get("/ar/sites/palmyra/")
    second_english = client.get("/sites/palmyra/", HTTP_ACCEPT_LANGUAGE="ar")
    second_arabic = client.get("/ar/sites/palmyra/")

    assert [r[response_cache.HIT_HEADER] for r in (first_english, first_arabic, second_english, second_arabic)] == [
        "miss", "miss", "hit", "hit"
    ]
    assert second_english["Content-Language"] == "en" and second_arabic["Content-Language"] == "ar"


def test_the_compiled_arabic_catalogue_matches_its_source():
    with open(LOCALE / "django.po", "rb") as source:
        catalogue = read_po(source, locale="ar")
    with open(LOCALE / "django.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)

    for message in catalogue:
        if not message.id or not message.string or (not isinstance(message.string, str) and not all(message.string)):
            continue
        key = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, str):
            assert compiled._catalog.get(key + message.id) == message.string, message.id
        else:
            for index, form in enumerate(message.string):
                assert compiled._catalog.get((key + message.id[0], index)) == form, message.id


def test_every_interface_string_has_an_arabic_translation_but_proper_names():
    with open(LOCALE / "django.po", "rb") as source:
        catalogue = read_po(source, locale="ar")

    untranslated = {
        message.id for message in catalogue
        if message.id and (not message.string if isinstance(message.string, str) else not all(message.string))
    }
    fuzzy = {message.id for message in catalogue if message.id and message.fuzzy}

    assert untranslated == UNTRANSLATED_NAMES
    assert fuzzy == set()
