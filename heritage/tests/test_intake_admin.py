import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from heritage.models import CategoryKeywordRule, Citation, Incident, Source, Status
from heritage.tests.factories import make_category, make_incident, make_source
from heritage.tests.gazetteer import build_gazetteer

pytestmark = pytest.mark.django_db

URL = reverse("admin:heritage_source_intake")
TEXT = (
    "Islamic State militants blew up the Temple of Baalshamin in Palmyra on 23 August 2015, "
    "officials in Damascus said. The group had seized the city in May."
)
HTML = f"""<html><head><title>Temple destroyed | Example News</title>
<meta property="og:site_name" content="Example News"><meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2015-08-24T08:00:00Z">
<link rel="canonical" href="https://news.example.org/palmyra-temple"></head>
<body><nav>Home · World</nav><article><h1>Temple destroyed in Palmyra</h1><p>{TEXT}</p>
<p>Residents said the explosion was heard across the modern town, and the temple, rebuilt in AD 131,
had been one of the best preserved buildings of the ancient site.</p></article>
<footer>© Example</footer></body></html>"""


@pytest.fixture
def sites():
    sites = build_gazetteer()
    destruction = make_category("Deliberate destruction of heritage")
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up\nexplosion")
    return sites


def test_the_source_list_links_to_the_intake_page(client, alice):
    client.force_login(alice)

    response = client.get(reverse("admin:heritage_source_changelist"))

    assert URL in response.content.decode()


def test_pasted_text_gives_proposals_and_saves_nothing_yet(client, alice, sites):
    client.force_login(alice)

    response = client.post(URL, {"text": TEXT, "title": "Temple destroyed", "publisher": "Example News",
                                 "published": "2015-08-24", "language": "en", "kind": "news", "analyse": "1"})

    assert response.status_code == 200
    proposal = response.context["proposal"]
    assert [item.site.slug for item in proposal.sites] == ["temple-of-baalshamin", "palmyra"]
    assert proposal.sites[0].category.slug == "deliberate-destruction-of-heritage"
    assert proposal.sites[0].date == "2015-08-23"
    assert [date.edtf for date in proposal.dates] == ["2015-08-23", "2015-05"]
    assert not Source.objects.exists()


def test_confirmed_proposals_become_a_draft_source_and_draft_incidents_with_citations(client, alice, sites):
    client.force_login(alice)
    category = make_category("Deliberate destruction of heritage")
    data = {
        "text": TEXT, "title": "Temple destroyed", "publisher": "Example News", "authors": "",
        "url": "https://news.example.org/palmyra-temple", "published": "2015-08-24", "language": "en",
        "kind": "news", "save": "1",
        "sites-TOTAL_FORMS": "3", "sites-INITIAL_FORMS": "0",
        "sites-0-keep": "on", "sites-0-site": sites["temple-of-baalshamin"].pk, "sites-0-category": category.pk,
        "sites-0-date": "2015-08-23", "sites-0-quote": TEXT.split(", officials")[0],
        "sites-1-site": sites["palmyra"].pk, "sites-1-category": category.pk, "sites-1-date": "2015-05",
        "sites-2-keep": "on",
    }

    response = client.post(URL, data)

    source = Source.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:heritage_source_change", args=[source.pk])
    assert (source.status, source.publisher, source.published) == (Status.DRAFT, "Example News", "2015-08-24")
    incident = Incident.objects.get()
    assert incident.status == Status.DRAFT
    assert list(incident.sites.values_list("slug", flat=True)) == ["temple-of-baalshamin"]
    assert Citation.objects.get().quote.startswith("Islamic State militants blew up the Temple of Baalshamin")
    assert source.story is not None


def test_a_kept_site_without_category_or_date_is_refused_and_nothing_is_saved(client, alice, sites):
    client.force_login(alice)
    data = {
        "text": TEXT, "title": "Temple destroyed", "language": "en", "kind": "news", "save": "1",
        "sites-TOTAL_FORMS": "1", "sites-INITIAL_FORMS": "0",
        "sites-0-keep": "on", "sites-0-site": sites["palmyra"].pk, "sites-0-date": "30 August",
    }

    response = client.post(URL, data)

    assert response.status_code == 200
    errors = response.context["sites"].forms[0].errors
    assert "category" in errors and "date" in errors
    assert not Source.objects.exists()


def test_a_saved_web_page_gives_its_title_author_publisher_and_date(client, alice, sites):
    client.force_login(alice)
    upload = SimpleUploadedFile("page.html", HTML.encode(), content_type="text/html")

    response = client.post(URL, {"html_file": upload, "language": "en", "kind": "news", "analyse": "1"})

    report = response.context["proposal"].report
    assert (report.title, report.publisher, report.authors, report.published) == (
        "Temple destroyed in Palmyra", "Example News", "Jane Doe", "2015-08-24",
    )
    assert report.url == "https://news.example.org/palmyra-temple"
    assert "Temple of Baalshamin" in report.text and "Home · World" not in report.text


def test_the_intake_needs_permission_to_add_sources(client, charlie):
    charlie.is_staff = True
    charlie.save()
    client.force_login(charlie)

    assert client.get(URL).status_code == 403


def test_an_empty_submission_says_what_is_missing(client, alice):
    client.force_login(alice)

    response = client.post(URL, {"language": "en", "kind": "news", "analyse": "1"})

    assert "Paste the report&#x27;s text or upload the saved page." in response.content.decode()


def analyse(client, text=TEXT, **fields):
    return client.post(URL, {"text": text, "title": "Temple destroyed", "publisher": "Example News",
                             "published": "2015-08-24", "language": "en", "kind": "news", "analyse": "1", **fields})


def test_affected_sites_are_ticked_and_mentioned_ones_listed_unticked_with_their_role(client, alice, sites):
    client.force_login(alice)

    response = analyse(client)

    rows = [(form["site"].value(), form["keep"].value(), form["role"].value()) for form in response.context["sites"]]
    assert rows[:2] == [
        (sites["temple-of-baalshamin"].pk, True, "affected"), (sites["palmyra"].pk, False, "mentioned"),
    ]
    page = response.content.decode()
    assert "the report&#x27;s event happened at its part: Temple of Baalshamin" in page


def test_a_recorded_incident_that_matches_is_chosen_to_be_cited(client, alice, sites):
    client.force_login(alice)
    recorded = make_incident([sites["temple-of-baalshamin"]], date="2015-08-23",
                             category=make_category("Deliberate destruction of heritage"), title="Baalshamin blown up")

    response = analyse(client)

    form = response.context["sites"].forms[0]
    assert form["incident"].value() == recorded.pk
    assert list(form.fields["incident"].queryset) == [recorded]
    assert "23 August 2015: Baalshamin blown up (published)" in response.content.decode()


def test_choosing_a_recorded_incident_cites_the_report_for_it_instead_of_a_new_one(client, alice, sites):
    client.force_login(alice)
    recorded = make_incident([sites["temple-of-baalshamin"]], date="2015-08-23",
                             category=make_category("Deliberate destruction of heritage"))
    data = {
        "text": TEXT, "title": "Temple destroyed", "language": "en", "kind": "news", "reliability": "F", "save": "1",
        "sites-TOTAL_FORMS": "1", "sites-INITIAL_FORMS": "0",
        "sites-0-keep": "on", "sites-0-site": sites["temple-of-baalshamin"].pk, "sites-0-incident": recorded.pk,
        "sites-0-quote": TEXT.split(", officials")[0],
    }

    response = client.post(URL, data)

    assert response.status_code == 302
    assert list(Incident.objects.all()) == [recorded]
    source = Source.objects.get(title="Temple destroyed")
    assert list(recorded.citations.filter(source=source).values_list("quote", flat=True)) == [
        "Islamic State militants blew up the Temple of Baalshamin in Palmyra on 23 August 2015"
    ]


def test_the_same_article_at_another_address_is_refused_naming_and_linking_the_recorded_source(client, alice, sites):
    client.force_login(alice)
    recorded = make_source("Temple destroyed in Palmyra", url="https://news.example.org/palmyra-temple")
    data = {
        "text": TEXT, "title": "Temple destroyed", "language": "en", "kind": "news", "reliability": "F", "save": "1",
        "url": "http://www.news.example.org/palmyra-temple/?utm_source=twitter",
        "sites-TOTAL_FORMS": "0", "sites-INITIAL_FORMS": "0",
    }

    response = client.post(URL, data)

    assert response.status_code == 200
    link = reverse("admin:heritage_source_change", args=[recorded.pk])
    assert (f'This report is already recorded as the source <a href="{link}">Temple destroyed in Palmyra</a>'
            in response.content.decode())
    assert Source.objects.count() == 1


def test_a_saved_page_already_recorded_is_flagged_as_soon_as_it_is_analysed(client, alice, sites):
    client.force_login(alice)
    recorded = make_source("Temple destroyed in Palmyra", url="https://news.example.org/palmyra-temple")
    upload = SimpleUploadedFile("page.html", HTML.encode(), content_type="text/html")

    response = client.post(URL, {"html_file": upload, "url": "https://news.example.org/palmyra-temple?ocid=x",
                                 "language": "en", "kind": "news", "analyse": "1"})

    assert reverse("admin:heritage_source_change", args=[recorded.pk]) in response.content.decode()


def test_the_confirm_page_loads_the_autocomplete_script_once_and_labels_every_control(client, alice, sites):
    client.force_login(alice)

    page = analyse(client).content.decode()

    assert page.count("admin/js/autocomplete.js") == 1
    document = lxml.html.fromstring(page)
    form = document.xpath("//form[@method='post']")[0]
    labelled = set(form.xpath(".//label/@for"))
    controls = form.xpath(".//input[not(@type='hidden') and not(@type='submit')] | .//select | .//textarea")
    unlabelled = [control.get("name") for control in controls if control.get("id") not in labelled]
    assert unlabelled == []


def test_the_canonical_address_of_an_uploaded_page_is_checked_again_when_saving(client, alice, sites):
    client.force_login(alice)
    upload = SimpleUploadedFile("page.html", HTML.encode(), content_type="text/html")
    confirm = client.post(URL, {"html_file": upload, "url": "https://mirror.example.net/copy", "language": "en",
                                "kind": "news", "analyse": "1"}).context["confirm"]
    recorded = make_source("Temple destroyed in Palmyra", url="https://news.example.org/palmyra-temple")
    data = {name: confirm.initial.get(name) or "" for name in ("text", "title", "url", "language", "kind", "page_urls")}

    response = client.post(URL, {**data, "reliability": "F", "save": "1",
                                 "sites-TOTAL_FORMS": "0", "sites-INITIAL_FORMS": "0"})

    assert data["page_urls"] == "https://news.example.org/palmyra-temple"
    assert reverse("admin:heritage_source_change", args=[recorded.pk]) in response.content.decode()
    assert Source.objects.count() == 1
