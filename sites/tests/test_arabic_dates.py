"""EDTF dates in Arabic: ق.م for years before AD 1, م for years AD before 1000, Arabic month names."""

import pytest
from django.utils import translation

from sites.dates import humanize


@pytest.mark.parametrize(("edtf", "arabic"), [
    ("-0040", "41 ق.م"),
    ("0032", "32 م"),
    ("2015-08-30", "30 أغسطس 2015"),
    ("2015-08", "أغسطس 2015"),
    ("0140~/0160~", "نحو 140–160 م"),
    ("-0050/-0040", "51–41 ق.م"),
    ("2016-12-11/2017-01-10", "11 ديسمبر 2016 – 10 يناير 2017"),
    ("2015-05-27~", "نحو 27 مايو 2015"),
    ("2015-06?", "يونيو 2015 (غير مؤكد)"),
    ("01XX", "القرن الثاني الميلادي"),
    ("198X", "1980–1989"),
    ("XXXX", "سنة غير معروفة"),
    ("2015-21", "ربيع 2015"),
    ("[2015,2016]", "2015 أو 2016"),
    ("/2015", "بحلول 2015"),
    ("2015/..", "منذ 2015"),
])
def test_dates_read_in_arabic(edtf, arabic):
    assert humanize(edtf, "ar") == arabic


def test_dates_follow_the_active_language_unless_one_is_given():
    with translation.override("ar"):
        assert humanize("-0040") == "41 ق.م"
        assert humanize("-0040", "en") == "41 BC"
    with translation.override("en"):
        assert humanize("-0040") == "41 BC"


def test_a_stored_date_that_no_longer_parses_is_shown_as_entered_in_arabic_too():
    assert humanize("sometime in 2015", "ar") == "sometime in 2015"
