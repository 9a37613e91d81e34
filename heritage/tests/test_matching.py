"""Match what is known: incidents already recorded, and reports already recorded under another address."""

import pytest
from django.core.exceptions import ValidationError

from heritage.intake.proposals import ConfirmedSite, Report, propose, save_drafts
from heritage.models import CategoryKeywordRule, Citation, Incident, RiskProfile, Source, Status, ThreatCategory
from heritage.tests.factories import make_category, make_incident, make_source
from heritage.tests.gazetteer import build_gazetteer
from heritage.web_addresses import article_id, normalise_url
from sites.dates import bounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    return build_gazetteer()


@pytest.fixture
def destruction():
    return make_category("Deliberate destruction of heritage", code="9.2")


def matching(site, category, date):
    return list(Incident.objects.matching(site, category, *bounds(date)))


# Incident.objects.matching ------------------------------------------------------


def test_an_incident_at_the_site_in_the_category_on_the_day_matches(sites, destruction):
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)

    assert matching(sites["temple-of-bel"], destruction, "2015-08-30") == [recorded]


def test_a_report_dated_by_its_publication_days_after_the_event_matches(sites, destruction):
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)

    assert matching(sites["temple-of-bel"], destruction, "2015-09-04") == [recorded]
    assert matching(sites["temple-of-bel"], destruction, "2015-09-10") == []


def test_an_incident_at_a_part_or_a_whole_of_the_site_matches(sites, destruction):
    at_part = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)
    at_whole = make_incident([sites["palmyra"]], date="2015-08", category=destruction)

    assert set(matching(sites["palmyra"], destruction, "2015-08-30")) == {at_part, at_whole}
    assert set(matching(sites["temple-of-bel"], destruction, "2015-08-30")) == {at_part, at_whole}
    assert matching(sites["temple-of-baalshamin"], destruction, "2015-08-30") == [at_whole]


def test_an_incident_at_the_site_itself_comes_before_one_at_its_part_or_whole_even_if_further_in_time(
    sites, destruction
):
    at_whole = make_incident([sites["palmyra"]], date="2015-08-30", category=destruction)
    at_site = make_incident([sites["temple-of-bel"]], date="2015-08-26", category=destruction)

    found = Incident.objects.matching(sites["temple-of-bel"], destruction, *bounds("2015-08-30"))

    assert [(incident, incident.at_site) for incident in found] == [(at_site, True), (at_whole, False)]


def test_a_report_is_by_default_cited_only_for_an_incident_at_the_site_itself(sites, destruction):
    at_whole = make_incident([sites["palmyra"]], date="2015-08-30", category=destruction)
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up")

    [bel] = [item for item in propose(Report(text=REPORT, published="2015-08-31")).sites if item.is_affected]

    assert bel.site.slug == "temple-of-bel"
    assert bel.matches == [at_whole]  # offered to the editor
    assert bel.match is None  # but not ticked: the whole's incident may be another event


def test_an_incident_in_a_category_under_or_above_the_proposed_one_matches(sites, destruction):
    primary = ThreatCategory.objects.get(slug="other-human-activities")
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)

    assert matching(sites["temple-of-bel"], primary, "2015-08-30") == [recorded]
    assert matching(sites["temple-of-bel"], destruction, "2015-08-30") == [recorded]


def test_another_threat_another_site_or_another_time_does_not_match(sites, destruction):
    war = make_category("War", code="9.1", parent_label="Other human activities")
    make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)

    assert matching(sites["temple-of-bel"], war, "2015-08-30") == []
    assert matching(sites["citadel-of-aleppo"], destruction, "2015-08-30") == []
    assert matching(sites["temple-of-bel"], destruction, "2016-03") == []


def test_without_a_category_any_threat_at_the_place_and_time_matches(sites, destruction):
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)

    assert matching(sites["temple-of-bel"], None, "2015") == [recorded]


def test_the_closest_in_time_comes_first(sites, destruction):
    later = make_incident([sites["temple-of-bel"]], date="2015-10-04", category=destruction)
    earlier = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)

    assert matching(sites["temple-of-bel"], destruction, "2015-08-31") == [earlier]
    assert matching(sites["temple-of-bel"], destruction, "2015") == [earlier, later]


# Proposals and drafts ----------------------------------------------------------


REPORT = "Militants blew up the Temple of Bel in Palmyra on 30 August 2015, officials said."


def test_a_report_of_a_recorded_incident_offers_to_cite_it(sites, destruction):
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up")

    [bel] = [item for item in propose(Report(text=REPORT, published="2015-08-31")).sites if item.is_affected]

    assert (bel.site.slug, bel.match) == ("temple-of-bel", recorded)


def test_citing_a_recorded_incident_adds_a_citation_and_no_incident(sites, destruction):
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)
    confirmed = [ConfirmedSite(site=sites["temple-of-bel"], category=destruction, date="2015-08-30",
                               quote=REPORT, incident=recorded)]

    source = save_drafts(Report(text=REPORT, title="Temple of Bel blown up", published="2015-08-31"), confirmed)

    assert Incident.objects.count() == 1
    assert list(Citation.objects.filter(source=source).values_list("incident__slug", "quote")) == [
        (recorded.slug, REPORT)
    ]
    assert source.status == Status.DRAFT and source.story is not None
    assert RiskProfile.objects.filter(site=sites["temple-of-bel"]).exists()


def test_a_new_incident_is_still_made_when_none_is_chosen(sites, destruction):
    confirmed = [ConfirmedSite(site=sites["temple-of-bel"], category=destruction, date="2015-08-30", quote=REPORT)]

    source = save_drafts(Report(text=REPORT, title="Temple of Bel blown up", published="2015-08-31"), confirmed)

    incident = Incident.objects.get()
    assert (incident.status, list(incident.citations.values_list("source", flat=True))) == (Status.DRAFT, [source.pk])


# The same document ---------------------------------------------------------------


@pytest.mark.parametrize(("url", "key"), [
    ("https://www.bbc.co.uk/news/world-middle-east-34111092", "bbc.co.uk/news/world-middle-east-34111092"),
    ("http://bbc.co.uk/news/world-middle-east-34111092/", "bbc.co.uk/news/world-middle-east-34111092"),
    ("https://www.bbc.co.uk/news/amp/world-middle-east-34111092?utm_source=twitter&fbclid=x",
     "bbc.co.uk/news/world-middle-east-34111092"),
    ("https://m.example.org/story.amp?id=7&ref=home#comments", "example.org/story?id=7"),
    ("https://www.dailymail.co.uk/news/article-3164999/index.html", "dailymail.co.uk/news/article-3164999"),
])
def test_addresses_of_one_document_normalise_to_one_key(url, key):
    assert normalise_url(url) == key


def test_an_article_number_is_read_from_the_path_but_not_a_date():
    assert article_id("https://www.dailymail.co.uk/news/article-3164999/ISIS-film-CHILD.html") == "3164999"
    assert article_id("https://example.org/2015/08/31/temple-destroyed") == ""
    assert article_id("https://example.org/news/20150831/temple") == ""


def test_a_source_at_another_spelling_of_its_address_is_the_same_document():
    recorded = make_source(url="https://www.bbc.co.uk/news/world-middle-east-34111092")

    found = Source.objects.same_document(urls=["http://bbc.co.uk/news/amp/world-middle-east-34111092?utm_medium=x"])

    assert list(found) == [recorded]


def test_a_source_with_the_same_article_number_on_the_same_site_is_the_same_document():
    recorded = make_source(url="https://www.dailymail.co.uk/news/article-3164999/index.html")

    found = Source.objects.same_document(
        urls=["https://www.dailymail.co.uk/news/article-3164999/ISIS-film-CHILD-carrying-beheading.html"]
    )

    assert list(found) == [recorded]
    assert not Source.objects.same_document(urls=["https://www.example.org/news/article-3164999/x.html"]).exists()


def test_a_source_whose_quotes_and_title_are_in_the_new_text_is_the_same_document(sites, destruction):
    text = "Militants blew up the Temple of Bel in Palmyra on 30 August 2015. Residents heard the blast."
    confirmed = [ConfirmedSite(site=sites["temple-of-bel"], category=destruction, date="2015-08-30",
                               quote="Militants blew up the Temple of Bel in Palmyra on 30 August 2015.")]
    recorded = save_drafts(Report(text=text, title="Temple of Bel blown up", url="https://a.example/1"), confirmed)

    copy = Report(text=f"{text} Shared by a reader.", title="Temple of Bel blown up!", url="https://b.example/2")

    assert list(copy.same_documents()) == [recorded]
    other = Report(text=text, title="UN confirms the destruction of the Temple of Bel", url="https://c.example/3")
    assert not other.same_documents().exists()


def test_saving_a_report_already_recorded_is_refused_and_writes_nothing(sites):
    make_source(url="https://www.bbc.co.uk/news/world-middle-east-34111092", title="Palmyra's Temple of Bel")

    with pytest.raises(ValidationError) as refused:
        save_drafts(Report(text=REPORT, title="Temple", url="https://bbc.co.uk/news/world-middle-east-34111092/"), [])

    assert "already recorded as the source “Palmyra's Temple of Bel”" in refused.value.messages[0]
    assert Source.objects.count() == 1


def test_the_canonical_address_of_a_saved_page_finds_the_recorded_source():
    recorded = make_source(url="https://news.example.org/palmyra-temple")
    report = Report(text="…", url="https://news.example.org/palmyra-temple?output=amp&utm_source=x",
                    page_urls=["https://news.example.org/palmyra-temple"])

    assert list(report.same_documents()) == [recorded]


def test_a_source_edited_to_the_address_of_a_recorded_document_is_refused():
    recorded = make_source("Temple of Bel destroyed", url="https://www.bbc.co.uk/news/world-middle-east-34111092")
    copy = make_source("Copy")
    copy.url = "https://bbc.co.uk/news/world-middle-east-34111092?at_medium=RSS"

    with pytest.raises(ValidationError) as refused:
        copy.full_clean()

    assert refused.value.message_dict["url"] == [
        f"This address is the document already recorded as the source “Temple of Bel destroyed” ({recorded.slug}): "
        "cite that source instead."
    ]
    recorded.full_clean()  # its own address is no duplicate
