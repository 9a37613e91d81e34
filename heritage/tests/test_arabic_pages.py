"""Researcher pages in Arabic: vocabulary labels from their owners' Arabic lists, English-only labels marked
as English, dates in Arabic, filters in Arabic."""

import pytest
from django.utils import translation

from heritage.models import ConditionState, RiskProfile
from heritage.templatetags.heritage import term
from sites.models import SiteKind


@pytest.fixture
def eamena_arabic(palmyra):
    """EAMENA's Arabic label of Destroyed, as fixtures/vocabularies.json loads it."""
    ConditionState.objects.filter(slug="destroyed").update(label_ar="مدمر", source="EAMENA")


def test_a_term_reads_in_arabic_where_its_vocabulary_gives_an_arabic_label(palmyra, eamena_arabic):
    destroyed = ConditionState.objects.get(slug="destroyed")
    temple = SiteKind.objects.get(slug="temple")

    assert destroyed.label_in("ar") == ("مدمر", "ar")
    assert destroyed.label_in("en") == ("Destroyed", "en")
    assert temple.label_in("ar") == ("Temple", "en")


def test_an_english_only_label_on_an_arabic_page_says_it_is_english(palmyra, eamena_arabic):
    with translation.override("ar"):
        assert term(SiteKind.objects.get(slug="temple")) == '<span lang="en" dir="ltr">Temple</span>'
        assert term(ConditionState.objects.get(slug="destroyed")) == "مدمر"
    with translation.override("en"):
        assert term(SiteKind.objects.get(slug="temple")) == "Temple"


def test_the_site_page_in_arabic_gives_condition_dates_and_labels_in_arabic(client, palmyra, eamena_arabic):
    text = client.get("/ar/sites/temple-of-bel/").text

    assert '<p class="kicker"><span lang="en" dir="ltr">Temple</span> · سوريا</p>' in text
    assert "<dd>مدمر" in text
    assert '<time>32 م</time>' in text
    assert '<time>30 أغسطس 2015</time>' in text


def test_the_incident_filters_offer_their_choices_in_arabic(client, palmyra):
    text = client.get("/ar/incidents/").text

    assert '<label for="id_claim">الادعاء</label>' in text
    assert '<option value="confirmed">مؤكَّد بأدلة مباشرة</option>' in text
    assert '<option value="" selected>أي تهديد</option>' in text


def test_feeds_in_arabic_have_arabic_titles_and_say_their_language(client, palmyra):
    text = client.get("/ar/feeds/incidents.atom").text

    assert '<feed xml:lang="ar" xmlns="http://www.w3.org/2005/Atom">' in text
    assert "<title>التراث في خطر: حوادث جديدة</title>" in text


def test_an_incident_reads_in_arabic_where_an_editor_gave_an_arabic_title(client, palmyra):
    palmyra.destroyed.title_ar = "تفجير معبد بل"
    palmyra.destroyed.save()

    address = palmyra.destroyed.get_absolute_url()
    arabic = client.get(f"/ar{address}").text
    english = client.get(address).text

    assert '<h1 id="incident-heading">تفجير معبد بل</h1>' in arabic
    assert '<h1 id="incident-heading">Temple of Bel blown up</h1>' in english


def test_without_an_arabic_title_the_arabic_page_shows_the_english_one_marked_as_english(client, palmyra):
    text = client.get(f"/ar{palmyra.baalshamin_destroyed.get_absolute_url()}").text

    assert '<h1 id="incident-heading"><span lang="en" dir="ltr">Temple of Baalshamin blown up</span></h1>' in text


def test_risk_reasons_are_stored_as_codes_and_read_in_the_pages_language(client, palmyra):
    arabic = client.get("/ar/sites/palmyra/").text
    english = client.get("/sites/palmyra/").text

    assert RiskProfile.objects.get(site__slug="palmyra").risk_reasons[0] == {"code": "in_danger"}
    assert "<ul><li>مُدرج على قائمة التراث العالمي المعرّض للخطر.</li>" in arabic
    assert "On the List of World Heritage in Danger." not in arabic
    assert "<ul><li>On the List of World Heritage in Danger.</li>" in english


def test_a_site_page_in_arabic_is_headed_with_the_sites_arabic_name(client, palmyra):
    arabic = client.get("/ar/sites/palmyra/").text
    baalshamin = client.get("/ar/sites/temple-of-baalshamin/").text

    assert '<h1 id="site-heading">تدمر</h1>' in arabic
    assert '<h1 id="site-heading"><span lang="en" dir="ltr">Temple of Baalshamin</span></h1>' in baalshamin


def test_a_sources_summary_without_arabic_shows_its_english_paragraphs_marked_english(client, palmyra):
    address = palmyra.seed.get_absolute_url()
    palmyra.seed.summary = "Reports executions at Palmyra.\n\nCites the Observatory's count."
    palmyra.seed.save()

    text = client.get(f"/ar{address}").text

    assert ('<div lang="en" dir="ltr"><p>Reports executions at Palmyra.</p>\n\n'
            "<p>Cites the Observatory&#x27;s count.</p></div>") in text
