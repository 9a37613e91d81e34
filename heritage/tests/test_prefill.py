"""The intake's source fields come prefilled from the page, the pasted text and the publisher's record.

Pages and texts marked SYNTHETIC were written for these tests; the seed is the real Daily Mail
article of 17 July 2015.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from heritage.intake.extract import language_of, page_metadata, prefill, report_from_html, report_from_text
from heritage.intake.proposals import Report

pytestmark = pytest.mark.django_db

SEED = Path("/work/shared/seeds/dailymail-2015-07-17-palmyra-child-execution.txt")
URL = reverse("admin:heritage_source_intake")

# SYNTHETIC page.
PAGE = """<!doctype html><html lang="en-GB"><head><title>Palmyra arch destroyed - site furniture</title>
<meta property="og:title" content="Islamic State blows up Palmyra's Arch of Triumph">
<meta property="og:site_name" content="BBC News">
<meta property="og:url" content="https://www.bbc.co.uk/news/world-middle-east-0000001">
<meta name="author" content="Jane Doe">
<meta property="article:author" content="https://www.bbc.co.uk/people/jane-doe">
<meta property="article:published_time" content="2015-10-05T09:12:00+01:00">
<link rel="canonical" href="https://www.bbc.co.uk/news/world-middle-east-0000001"></head>
<body><article><h1>Islamic State blows up Palmyra's Arch of Triumph</h1>
<p>Islamic State militants have blown up the Arch of Triumph in the ancient city of Palmyra, Syria's antiquities
chief said on Monday, according to the Syrian Arab News Agency.</p>
<p>The arch stood at the entrance of the colonnaded street and had survived for some two thousand years before the
group seized the city in May.</p></article></body></html>"""


@pytest.fixture(autouse=True)
def organisations():
    call_command("loaddata", "organisations", verbosity=0)


def test_a_saved_page_gives_its_own_title_publisher_author_day_language_and_addresses():
    report = report_from_html(PAGE)

    assert (report.title, report.publisher, report.authors, report.published, report.language) == (
        "Islamic State blows up Palmyra's Arch of Triumph", "BBC News", "Jane Doe", "2015-10-05", "en-GB",
    )
    assert report.url == "https://www.bbc.co.uk/news/world-middle-east-0000001"
    assert report.page_urls == ["https://www.bbc.co.uk/news/world-middle-east-0000001"]
    assert report.text.startswith("Islamic State militants have blown up")


def test_page_metadata_ignores_an_author_given_as_a_profile_address():
    html = '<html><head><meta property="article:author" content="https://example.org/people/x"></head></html>'

    assert page_metadata(html) == {"page_urls": []}


def test_a_pasted_article_gives_its_headline_byline_publisher_and_day():
    text = ("Temple of Bel blown up in Palmyra\n\n"
            "By Jane Doe and John Roe for MailOnline\n\n"
            "Published: 10:04 BST, 31 August 2015 | Updated: 11:30 BST, 31 August 2015\n\n"
            "The temple was destroyed on Sunday, according to the Syrian Observatory for Human Rights.")  # SYNTHETIC

    report = report_from_text(text)

    assert (report.title, report.authors, report.publisher, report.published, report.language) == (
        "Temple of Bel blown up in Palmyra", "Jane Doe; John Roe", "MailOnline", "2015-08-31", "en",
    )


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is in the shared folder")
def test_the_seeds_headline_becomes_its_title():
    report = report_from_text(SEED.read_text(encoding="utf-8"))

    assert report.title.startswith("ISIS film a CHILD carrying out a beheading for the first time")
    assert report.title.endswith("as the terror group increasingly use boys to kill")
    assert report.language == "en"


def test_a_text_that_is_one_paragraph_has_no_title_and_arabic_text_is_arabic():
    assert report_from_text("Militants blew up the temple on Sunday.").title == ""  # SYNTHETIC
    assert language_of("قال المرصد السوري لحقوق الإنسان إن التنظيم فجر المعبد.") == "ar"  # SYNTHETIC
    assert language_of("") == "en"


def test_the_publishers_record_grades_the_report_and_names_a_publisher_known_only_by_address():
    by_name = Report(text="", publisher="MailOnline")
    by_address = Report(text="", url="https://www.syriahr.com/en/12345/")
    unknown = Report(text="", publisher="Example News", url="https://news.example.org/a")

    assert prefill(by_name).slug == "daily-mail"
    assert prefill(by_address).slug == "syrian-observatory-for-human-rights"
    assert prefill(unknown) is None
    assert (by_name.publisher, by_name.reliability) == ("MailOnline", "D")
    assert (by_address.publisher, by_address.reliability) == ("Syrian Observatory for Human Rights", "C")
    assert (unknown.publisher, unknown.reliability) == ("Example News", "F")


def test_the_intake_form_comes_prefilled_from_an_uploaded_page(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("page.html", PAGE.encode(), content_type="text/html")

    response = client.post(URL, {"html_file": upload, "kind": "news", "analyse": "1"})

    initial = response.context["confirm"].initial
    assert {name: initial[name] for name in ("title", "publisher", "authors", "published", "language",
                                             "reliability")} == {
        "title": "Islamic State blows up Palmyra's Arch of Triumph", "publisher": "BBC News", "authors": "Jane Doe",
        "published": "2015-10-05", "language": "en-GB", "reliability": "B",
    }
    assert [organisation.slug for organisation in initial["claims_of"]] == ["sana"]
    html = response.content.decode()
    assert "Whom the report credits" in html and "a new draft source for it is proposed" in html


def test_what_the_editor_types_wins_over_what_is_read(client, alice):
    client.force_login(alice)
    text = "Arch destroyed\n\nBy Jane Doe for MailOnline\n\nThe arch was blown up, SANA reported."  # SYNTHETIC

    response = client.post(URL, {"text": text, "title": "My title", "publisher": "Toronto Sun", "kind": "news",
                                 "analyse": "1"})

    initial = response.context["confirm"].initial
    assert (initial["title"], initial["publisher"], initial["authors"], initial["reliability"]) == (
        "My title", "Toronto Sun", "Jane Doe", "D",
    )


def test_ingest_reports_reads_a_text_file_and_grades_it_as_the_form_does(tmp_path):
    text = "Arch destroyed\n\nBy Jane Doe for MailOnline\n\nThe arch was blown up, SANA reported."  # SYNTHETIC
    (tmp_path / "wire.txt").write_text(text, encoding="utf-8")
    out = StringIO()

    call_command("ingest_reports", str(tmp_path), "--dry-run", "--json", stdout=out)

    source = json.loads(out.getvalue())["reports"][0]["source"]
    assert (source["title"], source["publisher"], source["authors"], source["reliability"]) == (
        "Arch destroyed", "MailOnline", "Jane Doe", "D",
    )


def test_ingest_reports_names_and_grades_a_page_from_its_publishers_record(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    out = StringIO()

    call_command("ingest_reports", str(tmp_path), "--publisher", "Wire", "--dry-run", "--json", stdout=out)

    source = json.loads(out.getvalue())["reports"][0]["source"]
    assert (source["publisher"], source["reliability"]) == ("BBC News", "B")
