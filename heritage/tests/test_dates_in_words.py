"""A date is put in words when its record is written, not each time a page is read.

python-edtf's grammar takes milliseconds a date; a site page shows dozens of them, so reading them
parsed on every request cost more than its queries. save() stores each EDTF field in words, in
English and Arabic, beside the text and its bounds, and every surface reads the stored words.
"""

import pytest
from django.utils import translation

from heritage.models import ConditionAssessment, HistoryEvent, Incident, Source
from heritage.tests.factories import make_assessment, make_event, make_incident, make_source
from sites import dates
from sites.dates import store_date_words
from sites.models import Designation, Site
from sites.tests.factories import make_designation, make_site

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


@pytest.fixture
def bel():
    palmyra = make_site("Site of Palmyra", slug="palmyra")
    return make_site("Temple of Bel", slug="temple-of-bel", kind="temple", parent=palmyra, built="0032")


def test_saving_a_dated_record_stores_its_date_in_words_in_english_and_arabic(bel):
    incident = make_incident([bel], date="2015-08-30")
    event = make_event([bel], date="0140~/0160~")
    assessment = make_assessment(bel, date="-0040")
    source = make_source(published="2015-08")
    designation = make_designation(bel, start="1980", end="2013")

    stored = [
        Incident.objects.values_list("date_words", "date_words_ar").get(pk=incident.pk),
        HistoryEvent.objects.values_list("date_words", "date_words_ar").get(pk=event.pk),
        ConditionAssessment.objects.values_list("date_words", "date_words_ar").get(pk=assessment.pk),
        Source.objects.values_list("published_words", "published_words_ar").get(pk=source.pk),
        Site.objects.values_list("built_words", "built_words_ar").get(pk=bel.pk),
        Designation.objects.values_list("start_words", "end_words_ar").get(pk=designation.pk),
    ]
    assert stored == [
        ("30 August 2015", "30 أغسطس 2015"),
        ("c. AD 140–160", "نحو 140–160 م"),
        ("41 BC", "41 ق.م"),
        ("August 2015", "أغسطس 2015"),
        ("AD 32", "32 م"),
        ("1980", "2013"),
    ]


def test_the_reader_gets_the_stored_words_in_their_language(bel):
    incident = Incident.objects.get(pk=make_incident([bel], date="-0040").pk)
    assert incident.date_display == "41 BC"
    with translation.override("ar"):
        assert incident.date_display == "41 ق.م"
    with translation.override("fr"):  # a language dates are not stored in reads English
        assert incident.date_display == "41 BC"


def test_a_changed_date_saved_with_update_fields_stores_its_bounds_and_words_too(bel):
    incident = make_incident([bel], date="2015-08-30")
    incident.date = "2016-03"
    incident.save(update_fields=["date"])
    assert Incident.objects.values_list("date_words", "date_words_ar", "date_earliest").get(pk=incident.pk) == (
        "March 2016", "مارس 2016", 2457449,
    )


def test_a_date_changed_through_the_api_reads_in_its_new_words_on_every_surface(client, api, api_as, alice, bel):
    incident = make_incident([bel], date="2015-08-30", title="Temple of Bel destroyed")
    url = f"{INCIDENTS}{incident.slug}/"
    writer = api_as(alice)
    changed = writer.patch(url, {"date": "2016-03-01/2016-03-09"}, format="json", HTTP_IF_MATCH=writer.get(url)["ETag"])
    assert changed.status_code == 200, changed.content

    words = "1 March 2016 – 9 March 2016"
    assert Incident.objects.get(pk=incident.pk).date_words == words
    assert api.get(url).json()["date_display"] == words
    for page in (incident.get_absolute_url(), "/sites/temple-of-bel/", "/sites/palmyra/", "/incidents/"):
        body = client.get(page).content.decode()
        assert words in body, page
        assert "30 August 2015" not in body, page
    arabic = client.get("/ar/sites/temple-of-bel/").content.decode()
    assert "1 مارس 2016 – 9 مارس 2016" in arabic


def test_a_site_page_reads_stored_words_without_parsing_a_date(client, bel, monkeypatch):
    make_incident([bel], date="2015-08-30~")
    make_event([bel], date="0140~/0160~")
    make_assessment(bel, date="2016-03")
    make_designation(bel, start="1980")

    def parse(text):
        raise AssertionError(f"“{text}” was parsed while a page was read")

    monkeypatch.setattr(dates, "parse", parse)
    body = client.get("/sites/temple-of-bel/").content.decode()
    assert "c. 30 August 2015" in body
    assert "c. AD 140–160" in body


def test_rows_written_around_save_are_given_their_words(bel):
    incident = make_incident([bel], date="-0040")
    other = make_incident([bel], date="2015-08")
    Incident.objects.update(date_words="", date_words_ar="")  # as a raw loaddata or COPY leaves them
    Site.objects.filter(pk=bel.pk).update(built_words="", built_words_ar="")

    assert store_date_words(Incident, ["date"]) == 2
    assert store_date_words(Site, ["built"]) == 1
    assert dict(Incident.objects.values_list("pk", "date_words_ar")) == {incident.pk: "41 ق.م", other.pk: "أغسطس 2015"}
    assert Site.objects.get(pk=bel.pk).built_words == "AD 32"
    assert store_date_words(Incident, ["date"]) == 0  # what has its words is left alone


def test_a_row_without_stored_words_still_reads_in_words(bel):
    incident = make_incident([bel], date="-0040")
    Incident.objects.filter(pk=incident.pk).update(date_words="", date_words_ar="")
    assert Incident.objects.get(pk=incident.pk).date_display == "41 BC"
    assert Incident(date="").date_display == ""
