"""Intake on real reports (the files of heritage/tests/data/ named in linking_evaluation.py; read their "about").

Round 1 tuned heritage/intake/ on one half of unseen_reports.json and measured the other. Round 2 read
both halves and made general fixes; unseen_reports_2.json, collected and labelled before those fixes, was
measured once after them (the fresh set of round 2: sites P 1.00 R 0.80, affected P 0.57 R 0.57, credits
14 of 18, 6 events split and 3 pairs merged). Round 3 read both files to tune, and measured
unseen_reports_3.json once as its fresh set. Round 4 (2026-12-01) read the three files to tune and measured
unseen_reports_4.json once as its fresh set (figures below). Round 5 (2026-12-02) read all four files to
tune and measured unseen_reports_5.json once. Round 6 (2026-12-02, later) read all five files to tune: they
are the development set now (DEVELOPMENT_FILES), and their figures below are development figures, measured
after round 6's tuning. They show what tuning reached; they say nothing of reports never seen.

That is the fresh set's job (FRESH): collected and labelled by someone who does not tune, measured once after
tuning, never read to write rules (round 6's is unseen_reports_6.json). Its tests skip until the file is there.
The issue's bar ("Done when": sites P and R >= 0.95, affected P >= 0.8 and R >= 0.9, the primary source
proposed for 3/4 of attributed claims, one event in one story) is what they assert; where the first
measurement falls short, whoever measures pins the floor at what was measured (FRESH_* below), a regression
guard, not the goal; raise it to the bar when a general fix reaches it, never by reading the fresh failures.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from heritage.tests.gazetteer import SITES, build_gazetteer
from heritage.tests.linking_evaluation import (
    DATA,
    DEVELOPMENT_FILES,
    FRESH,
    add_curated_names,
    development_reports,
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
# The fresh set (data/unseen_reports_6.json: 25 reports, 11 in Arabic, 5 events, collected and labelled blind on
# 2026-12-02), measured once after round 6's tuning, on 2026-12-02. At the bar: sites P 1.00 (40 found, none
# wrong); affected P 0.83 (15 of 18). Below it, pinned as floors: sites R 0.89 (40 of 45); affected R 0.50 (15 of
# 30); the primary source proposed for 13 of 29 credits, none wrong (0.45; 6 of the 29 credit organisations the
# register does not hold, which intake cannot name: 13 of 23 registered ones); all 5 events split, none merged.
# Round 5's fresh set, for comparison: sites R 0.81, affected P 0.81 R 0.54, credits 0.63, 3 of 5 split, none
# merged; round 4's: R 0.81, P 0.93 R 0.64, 0.42, 3 of 5 split, 1 merged. The failures were not read.
FRESH_SITES_RECALL_FLOOR = 0.88
FRESH_AFFECTED_PRECISION_FLOOR, FRESH_AFFECTED_RECALL_FLOOR = AFFECTED_PRECISION, 0.50
FRESH_PRIMARY_PROPOSED_FLOOR = 0.44
FRESH_EVENTS_SPLIT_FLOOR, FRESH_EVENTS_MERGED_FLOOR = 5, 0


@dataclass(frozen=True)
class Figures:
    sites_recall: float
    affected_precision: float
    affected_recall: float
    primary_proposed: float
    events_split: int
    events_merged: int
    sites_precision: float = 1.0


# Development figures, measured after round 5's tuning on 2026-12-02 (round 6's per file below) (sites: none wrong but
# one in the third file; credits: none wrong in any), with what round 4 reached before it in brackets. Round 5's general fixes:
# wire datelines in Arabic ("بيروت (أ ف ب)", AFP's initials added to its names), a wire's name alone above its
# dispatch, "is reporting", "quoted", "confirmed … to the AFP", caseless long acronyms ("Unosat"), long names
# written loosely ("Syrian Observatory of Human Rights"); "falls to", "taken over" as events, an earlier-time
# word describing the place after the event ("a site previously held by rebels"), a sentence listing what the
# event before it struck ("they included the Tower of Elahbel"), a weekday before the lead's ("On Thursday they
# attacked Nimrud" in a report of Saturday's news), days without a year ("Aug. 27"), "Aleppo's walled Old City".
DEVELOPMENT = {
    # 39 reports: sites 88 of 89; affected 47 right of 48 proposed and of 49 expected (46 of 49 and of 49);
    # credits 26 of 27; 3 events split, none merged (after round 2: the same but 2 pairs of events merged).
    # Round 6 (a threat at a whole and at its part within two days is one story): 2 events split, none merged.
    "unseen_reports.json": Figures(0.98, 0.97, 0.95, 0.96, 2, 0),
    # 28 reports: sites 51 of 54 (Arabic names of Nimrud, Hatra, the Crac des Chevaliers and Bosra added to
    # the test gazetteer with their sources); affected 27 right of 28 proposed and of 28 expected; credits 14
    # of 18 (18 of 18 after round 5); 1 event split, none merged (measured fresh after round 2: R 0.80; 0.57
    # and 0.57; 14 of 18; 6; 3).
    # After round 6 (Arabic names of the Ancient City of Aleppo, with their sources): sites 52 of 54.
    "unseen_reports_2.json": Figures(0.96, 0.96, 0.96, 1.0, 1, 0),
    # 30 reports (15 in Arabic, 8 events). Measured fresh after round 3: sites P 0.976 R 0.976 (40 of 41);
    # affected P 0.86 (19 of 22) R 0.63 (19 of 30); credits 12 of 15, none wrong; 5 of the 8 events split,
    # none merged. After round 4 (executions, a concert and a surrender as events of their own): sites the
    # same (one false site); affected 23 right of 29 proposed and of 30 expected (P 0.79 R 0.77: the whole, Palmyra, is now
    # proposed beside its part in four theatre reports); credits 12 of 15; still 5 events split, none merged.
    # After round 5: affected 25 right of 30 proposed and of 30 expected (P 0.83 R 0.83); credits 15 of 15;
    # 4 events split, none merged.
    # After round 6 (the same threat at a whole and its part, dated to the day, within two days): 3 events split,
    # none merged.
    "unseen_reports_3.json": Figures(0.97, 0.83, 0.83, 1.0, 3, 0, sites_precision=0.97),
    # 22 reports (8 in Arabic, 5 events). Measured fresh after round 4 (see FRESH_* above): sites R 0.81 (21 of
    # 26); affected P 0.93 (14 of 15) R 0.64 (14 of 22); credits 5 of 12; 3 events split, 1 pair merged. After
    # round 5: sites 23 of 26, none wrong; affected 18 right of 18 proposed, of 22 expected (R 0.82); credits
    # 9 of 12, none wrong (two are the publisher's own dispatch, Reuters on reuters.com, which a report never
    # credits; one, the BBC, is not named in the excerpt); 2 events split, none merged.
    # After round 6: sites 24 of 26, affected 19 of 22 (R 0.86).
    "unseen_reports_4.json": Figures(0.92, 1.0, 0.86, 0.75, 2, 0),
    # 23 reports (8 in Arabic, 5 events). Measured fresh after round 5 (sites R 0.81; affected P 0.81 R 0.54;
    # credits 15 of 24; 3 events split, none merged). After round 6 (a whole and its part one story; "“…,” said
    # X", "X believes", "SANA news agency reported", "BEIRUT – AFP –", "Geneva (AFP) June 8, 2016"; attacking and
    # mining as events, "old Damascus", the Ancient City of Aleppo's Arabic names): sites 32 of 36 (R 0.89), none
    # wrong; affected P 0.82 R 0.58; credits 21 of 24, none wrong; 2 events split, none merged.
    "unseen_reports_5.json": Figures(0.88, 0.82, 0.58, 0.87, 2, 0),
}


@pytest.fixture
def intake():
    call_command("loaddata", "threat_categories", "intake_rules", "organisations", verbosity=0)
    add_curated_names(build_gazetteer())


@pytest.fixture
def fresh():
    reports = fresh_reports()
    if reports is None:
        pytest.skip(f"No fresh set yet: {FRESH.relative_to(DATA.parent)} is collected and measured by someone who does "
                    "not tune heritage/intake/.")
    return reports


def organisation_slugs():
    return {item["fields"]["slug"] for item in json.loads(ORGANISATIONS.read_text(encoding="utf-8"))
            if item["model"] == "heritage.organisation"}


def assert_labelled(report, organisations=None):
    """A report's labels are well formed; with ``organisations``, every credit is a recorded organisation. A
    fresh set's labeller does not read the register: an organisation it lacks is a credit intake cannot find."""
    assert report["url"].startswith("http") and report["excerpt"] and report["publisher"], report["id"]
    assert report["language"] in ("en", "ar") and report["published"][:2] in ("20",), report["id"]
    assert set(report["affected"]) <= set(report["sites"]) <= set(SITES), report["id"]
    if organisations is not None:
        assert set(report["credits"]) <= organisations, report["id"]


def test_the_development_figures_are_given_for_every_development_file_and_only_those():
    assert set(DEVELOPMENT) == {path.name for path in DEVELOPMENT_FILES}
    assert FRESH not in DEVELOPMENT_FILES


def test_the_round_1_reports_are_real_labelled_and_split_by_event_as_the_file_says():
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


@pytest.mark.parametrize("path", DEVELOPMENT_FILES, ids=lambda path: path.name)
def test_the_development_reports_are_real_and_labelled(path):
    reports = development_reports(path)
    organisations = organisation_slugs()

    assert len({report["id"] for report in reports}) == len(reports)
    assert len({report["url"] for report in reports}) == len(reports)
    for report in reports:
        assert_labelled(report, organisations)


def test_the_fresh_reports_are_real_labelled_and_none_is_a_page_of_the_other_labelled_files(fresh):
    others = {
        url
        for path in DATA.glob("*.json") if path != FRESH
        for url in _urls(json.loads(path.read_text(encoding="utf-8")))
    }

    assert len(fresh) >= 20
    assert sum(report["language"] == "ar" for report in fresh) >= 6
    assert len({report["id"] for report in fresh}) == len(fresh)
    assert len({report["url"] for report in fresh}) == len(fresh)
    for report in fresh:
        assert_labelled(report)
        assert report["url"] not in others, report["id"]
    events = [report["event"] for report in fresh]
    assert sum(events.count(event) > 1 for event in set(events)) >= 5  # the story check has events to group


def _urls(data):
    if isinstance(data, dict):
        return [value for key, value in data.items() if key == "url" and isinstance(value, str)] + [
            url for value in data.values() for url in _urls(value)
        ]
    if isinstance(data, list):
        return [url for value in data for url in _urls(value)]
    return []


def test_on_fresh_reports_sites_are_found_with_no_false_site_and_the_measured_recall(intake, fresh):
    score = evaluate_intake(fresh).sites

    # Counts only: the fresh failures are not to be read while tuning.
    assert score.precision >= SITES_PRECISION, len(score.false_positives)
    assert score.recall >= FRESH_SITES_RECALL_FLOOR, len(score.false_negatives)


def test_on_fresh_reports_affected_sites_keep_their_measured_precision_and_recall(intake, fresh):
    score = evaluate_intake(fresh).affected

    assert score.precision >= FRESH_AFFECTED_PRECISION_FLOOR, len(score.false_positives)
    assert score.recall >= FRESH_AFFECTED_RECALL_FLOOR, len(score.false_negatives)


def test_on_fresh_reports_the_primary_source_is_proposed_for_three_quarters_of_attributed_claims(intake, fresh):
    score = evaluate_intake(fresh).credits

    assert score.recall >= FRESH_PRIMARY_PROPOSED_FLOOR, len(score.false_negatives)
    assert score.precision == 1.0, len(score.false_positives)  # nothing is credited wrongly


def test_fresh_reports_of_one_event_are_split_and_of_others_merged_no_more_than_measured(intake, fresh):
    split, merged = events_split(fresh, file_in_stories(fresh))

    # The issue wants each event in one story and no two in one.
    assert len(split) <= FRESH_EVENTS_SPLIT_FLOOR, len(split)
    assert len(merged) <= FRESH_EVENTS_MERGED_FLOOR, len(merged)


@pytest.mark.parametrize("path", DEVELOPMENT_FILES, ids=lambda path: path.name)
def test_the_development_reports_keep_the_figures_tuning_reached(intake, path):
    reports = development_reports(path)
    expected = DEVELOPMENT[path.name]
    score = evaluate_intake(reports)

    assert score.sites.precision >= expected.sites_precision, score.sites.false_positives
    assert score.sites.recall >= expected.sites_recall, score.sites.false_negatives
    assert score.affected.precision >= expected.affected_precision, score.affected.false_positives
    assert score.affected.recall >= expected.affected_recall, score.affected.false_negatives
    assert score.credits.precision == 1.0, score.credits.false_positives
    assert score.credits.recall >= expected.primary_proposed, score.credits.false_negatives
    split, merged = events_split(reports, file_in_stories(reports))
    assert len(split) <= expected.events_split and len(merged) <= expected.events_merged, (split, merged)
