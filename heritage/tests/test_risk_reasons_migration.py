"""Risk reasons stored as English sentences before migration 0015 become the codes the pages put into words, and
the words the codes give in English are the sentences they came from."""

import importlib

import pytest

from heritage.risk import reason_words

migration = importlib.import_module("heritage.migrations.0015_risk_reasons_as_codes")

SENTENCES = [
    ("On the List of World Heritage in Danger.", {"code": "in_danger"}),
    ("Current condition: Poor.", {"code": "condition", "condition": "poor"}),
    ("Current condition: Poor, from the confirmed incident “Arch blown up” (2015-10-04), not from an assessment.",
     {"code": "condition_from_incident", "condition": "poor", "incident": "“Arch blown up” (2015-10-04)"}),
    ("1 standing incident in the last 3 years.", {"code": "recent_incidents", "count": 1, "years": 3, "parts": False}),
    ("2 standing incidents at the site and its parts in the last 3 years.",
     {"code": "recent_incidents", "count": 2, "years": 3, "parts": True}),
    ("3 standing incidents on record, none recent.", {"code": "older_incidents", "count": 3, "parts": False}),
    ("1 standing incident at the site and its parts on record, none recent.",
     {"code": "older_incidents", "count": 1, "parts": True}),
    ("Nothing assessed or reported yet.", {"code": "nothing_known"}),
]


@pytest.mark.parametrize(("sentence", "code"), SENTENCES)
def test_each_stored_sentence_becomes_its_code_and_reads_back_the_same(sentence, code):
    assert migration.as_code(sentence, "poor") == code
    assert reason_words(code, "Poor") == sentence
    assert migration.as_sentence(code, "Poor") == sentence


def test_a_sentence_the_migration_does_not_know_stops_it():
    with pytest.raises(ValueError, match="does not know"):
        migration.as_code("Looted in 2015.", None)
