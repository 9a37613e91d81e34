"""Intake on real reports (data/unseen_reports.json and data/unseen_reports_2.json, read their "about").

Round 1 tuned heritage/intake/ on one half of unseen_reports.json and measured the other. Round 2 read
both halves (the development set below) and made general fixes; unseen_reports_2.json, collected and
labelled before those fixes, was measured once after them: the fresh set.

The issue's bar ("Done when": sites P and R ≥ 0.95, affected P ≥ 0.8 and R ≥ 0.9, the primary source
proposed for ¾ of attributed claims, one event in one story) is asserted where the fresh set reaches it;
where it does not, the floor is pinned at what was measured on 2026-12-01 (round 2): a regression guard,
not the goal. Raise a floor to the bar when a general fix reaches it; never by reading the fresh failures
to write rules for them (a later round must collect new reports, as round 2 did, and hold them out).
"""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from heritage.tests.gazetteer import SITES, build_gazetteer
from heritage.tests.linking_evaluation import (
    DATA,
    FRESH,
    add_curated_names,
    evaluate_intake,
    events_split,
    file_in_stories,
    fresh_reports,
    unseen_reports,
)

pytestmark = pytest.mark.django_db

ORGANISATIONS = Path(__file__).resolve().parents[2] / "fixtures" / "organisations.json"
# The bar.
SITES_PRECISION = SITES_RECALL = 0.95
AFFECTED_PRECISION, AFFECTED_RECALL = 0.8, 0.9
PRIMARY_PROPOSED = 0.75
# The fresh set's figures, measured once after round 2's tuning (28 reports, 14 events). At the bar:
# sites' precision (43 found, none wrong) and the primary source proposed (14 of 18 credits, none
# wrong). Below it, pinned as floors: sites' recall (43 of 54: Arabic names of Nimrud, Hatra and the Crac
# des Chevaliers that the gazetteer does not record, "Bosra al-Sham"); affected sites (16 of 28 proposed
# right, 16 of 28 expected found: earlier events a recapture report lists, wholes and parts, the sites
# above); stories (6 of the 9 events with several reports split, 3 pairs of events sharing a story).
FRESH_SITES_RECALL_FLOOR = 0.79
FRESH_AFFECTED_PRECISION_FLOOR, FRESH_AFFECTED_RECALL_FLOOR = 0.57, 0.57
FRESH_EVENTS_SPLIT_FLOOR, FRESH_EVENTS_MERGED_FLOOR = 6, 3
# The development set (all 39 reports of unseen_reports.json) after round 2: sites 88 of 89, none wrong;
# affected 46 right of 49 proposed and of 49 expected; credits 26 of 27, none wrong; 3 events split, 2
# pairs merged (before round 2: sites P 0.99 R 0.98, affected P 0.89 R 0.84, credits 17 of 27).
DEVELOPMENT_SITES_RECALL = 0.98
DEVELOPMENT_AFFECTED_PRECISION = DEVELOPMENT_AFFECTED_RECALL = 0.93
DEVELOPMENT_PRIMARY_PROPOSED = 0.96
DEVELOPMENT_EVENTS_SPLIT, DEVELOPMENT_EVENTS_MERGED = 3, 2


@pytest.fixture
def intake():
    call_command("loaddata", "threat_categories", "intake_rules", "organisations", verbosity=0)
    add_curated_names(build_gazetteer())


def organisation_slugs():
    return {item["fields"]["slug"] for item in json.loads(ORGANISATIONS.read_text(encoding="utf-8"))
            if item["model"] == "heritage.organisation"}


def assert_labelled(report, organisations):
    assert report["url"].startswith("http") and report["excerpt"] and report["publisher"], report["id"]
    assert report["language"] in ("en", "ar") and report["published"][:2] in ("20",), report["id"]
    assert set(report["affected"]) <= set(report["sites"]) <= set(SITES), report["id"]
    assert set(report["credits"]) <= organisations, report["id"]


def test_the_unseen_reports_are_real_labelled_and_split_by_event_as_the_file_says():
    reports = unseen_reports()
    organisations = organisation_slugs()

    assert len(reports) >= 30
    assert sum(report["language"] == "ar" for report in reports) >= 8
    assert len({report["id"] for report in reports}) == len(reports)
    for report in reports:
        assert_labelled(report, organisations)
        even = hashlib.sha256(report["event"].encode()).digest()[0] % 2 == 0
        assert report["half"] == ("development" if even else "held-out"), report["id"]
    assert len(unseen_reports("held-out")) >= 15


def test_the_fresh_reports_are_real_labelled_and_none_is_a_page_of_the_other_labelled_files():
    reports = fresh_reports()
    organisations = organisation_slugs()
    others = {
        url
        for path in DATA.glob("*.json") if path != FRESH
        for url in _urls(json.loads(path.read_text(encoding="utf-8")))
    }

    assert len(reports) >= 20
    assert sum(report["language"] == "ar" for report in reports) >= 6
    assert len({report["id"] for report in reports}) == len(reports)
    assert len({report["url"] for report in reports}) == len(reports)
    for report in reports:
        assert_labelled(report, organisations)
        assert report["url"] not in others, report["id"]
    events = [report["event"] for report in reports]
    assert sum(events.count(event) > 1 for event in set(events)) >= 5  # the story check has events to group


def _urls(data):
    if isinstance(data, dict):
        return [value for key, value in data.items() if key == "url" and isinstance(value, str)] + [
            url for value in data.values() for url in _urls(value)
        ]
    if isinstance(data, list):
        return [url for value in data for url in _urls(value)]
    return []


def test_on_fresh_reports_sites_are_found_with_no_false_site_and_the_measured_recall(intake):
    score = evaluate_intake(fresh_reports()).sites

    # Counts only: the fresh failures are not to be read while tuning.
    assert score.precision >= SITES_PRECISION, len(score.false_positives)
    # Below the bar (SITES_RECALL): a pinned floor.
    assert score.recall >= FRESH_SITES_RECALL_FLOOR, len(score.false_negatives)


def test_on_fresh_reports_affected_sites_keep_their_measured_precision_and_recall(intake):
    score = evaluate_intake(fresh_reports()).affected

    # Below the bar (AFFECTED_PRECISION, AFFECTED_RECALL): pinned floors.
    assert score.precision >= FRESH_AFFECTED_PRECISION_FLOOR, len(score.false_positives)
    assert score.recall >= FRESH_AFFECTED_RECALL_FLOOR, len(score.false_negatives)


def test_on_fresh_reports_the_primary_source_is_proposed_for_three_quarters_of_attributed_claims(intake):
    score = evaluate_intake(fresh_reports()).credits

    assert score.recall >= PRIMARY_PROPOSED, len(score.false_negatives)
    assert score.precision == 1.0, len(score.false_positives)  # nothing is credited wrongly


def test_fresh_reports_of_one_event_are_split_and_of_others_merged_no_more_than_measured(intake):
    reports = fresh_reports()

    split, merged = events_split(reports, file_in_stories(reports))

    # The issue wants each event in one story and no two in one: pinned floors until then.
    assert len(split) <= FRESH_EVENTS_SPLIT_FLOOR, len(split)
    assert len(merged) <= FRESH_EVENTS_MERGED_FLOOR, len(merged)


def test_the_development_reports_keep_the_figures_round_2_reached(intake):
    reports = unseen_reports()
    score = evaluate_intake(reports)

    assert score.sites.precision == 1.0, score.sites.false_positives
    assert score.sites.recall >= DEVELOPMENT_SITES_RECALL, score.sites.false_negatives
    assert score.affected.precision >= DEVELOPMENT_AFFECTED_PRECISION, score.affected.false_positives
    assert score.affected.recall >= DEVELOPMENT_AFFECTED_RECALL, score.affected.false_negatives
    assert score.credits.precision == 1.0, score.credits.false_positives
    assert score.credits.recall >= DEVELOPMENT_PRIMARY_PROPOSED, score.credits.false_negatives
    split, merged = events_split(reports, file_in_stories(reports))
    assert len(split) <= DEVELOPMENT_EVENTS_SPLIT and len(merged) <= DEVELOPMENT_EVENTS_MERGED, (split, merged)
