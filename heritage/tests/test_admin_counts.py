"""The admin's messages and links count records in the editor's language, with every plural form Arabic has."""

import pytest
from django.utils import translation

from heritage.admin import counted
from heritage.models import ConditionAssessment, HistoryEvent, Incident, Source


def test_counts_read_in_english_in_the_singular_and_the_plural():
    assert counted(1, "incident") == "1 incident"
    assert counted(3, "historyevent") == "3 history events"
    assert counted(2, "incident claim") == "2 incident claims"


@pytest.mark.parametrize(("number", "wording"), [
    # locale/ar/LC_MESSAGES/django.po, one line for each of Arabic's six plural forms
    (0, "0 موقع"), (1, "موقع واحد"), (2, "موقعان"), (3, "3 مواقع"), (11, "11 موقعًا"), (100, "100 موقع"),
])
def test_counts_read_in_arabic_in_each_of_its_plural_forms(number, wording):
    with translation.override("ar"):
        assert counted(number, "site") == wording


@pytest.mark.parametrize("model", [Source, HistoryEvent, Incident, ConditionAssessment])
def test_every_record_the_publish_action_counts_has_a_wording(model):
    # publish_selected() counts by the model's name
    assert counted(2, model._meta.model_name).startswith("2 ")


def test_a_noun_without_a_wording_is_refused_by_name():
    with pytest.raises(ValueError, match="No counted wording for 'tomb'"):
        counted(2, "tomb")
