"""The labelled report texts and how the intake scores on them (shared by the tests and ``bench_linking``).

linking_reports.json: texts in our own words, used to write the linker's rules. Real reports, labelled:
unseen_reports.json (round 1 tuned on one half and measured the other; round 2 tuned on both) and
unseen_reports_2.json (held out from round 2, measured once, then read to tune in round 3),
unseen_reports_3.json (held out from round 3, measured once, then read to tune in round 4) and
unseen_reports_4.json (held out from round 4, measured once, then read to tune in round 5) and
unseen_reports_5.json (held out from round 5, measured once, then read to tune in round 6): all are now
development data (DEVELOPMENT_FILES, development_reports()). FRESH is the next held-out set, collected and
labelled by someone who does not tune, never read while changing heritage/intake/ (fresh_reports(); None
until the file exists). evaluate_intake() scores sites, affected sites and credited organisations on them,
file_in_stories() saves them as an editor would and returns each report's story.
"""

import json
import random
import string
from dataclasses import dataclass, field
from pathlib import Path

from heritage.intake.linking import link_sites

DATA = Path(__file__).parent / "data"
LABELLED = DATA / "linking_reports.json"
UNSEEN = DATA / "unseen_reports.json"
# Real reports read while tuning heritage/intake/, oldest round first.
DEVELOPMENT_FILES = [UNSEEN] + [DATA / f"unseen_reports_{round_}.json" for round_ in range(2, 6)]
# The held-out set: measured, never read to tune (a later round collects a new one and this joins the above).
FRESH = DATA / "unseen_reports_6.json"
CURATED_SITES = Path(__file__).resolve().parents[2] / "fixtures" / "palmyra_sites.json"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def labelled_reports():
    return json.loads(LABELLED.read_text(encoding="utf-8"))["reports"]


@dataclass
class Score:
    true_positives: int = 0
    false_positives: list = field(default_factory=list)  # (report id, slug)
    false_negatives: list = field(default_factory=list)

    @property
    def precision(self):
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self):
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0

    def add(self, report_id, found, expected):
        """Count one report's found and expected items (sets of slugs)."""
        self.true_positives += len(found & expected)
        self.false_positives += [(report_id, slug) for slug in sorted(found - expected)]
        self.false_negatives += [(report_id, slug) for slug in sorted(expected - found)]

    def __str__(self):
        return f"P {self.precision:.2f} R {self.recall:.2f}"


def evaluate(reports=None):
    """Site-mention precision and recall over the labelled reports (pairs of report and site)."""
    score = Score()
    for report in reports or labelled_reports():
        found = {mention.site.slug for mention in link_sites(report["text"])}
        score.add(report["id"], found, set(report["expected"]))
    return score


def unseen_reports(half=None):
    """The real reports of unseen_reports.json, all or one half ("development" or "held-out")."""
    reports = json.loads(UNSEEN.read_text(encoding="utf-8"))["reports"]
    return [report for report in reports if half is None or report["half"] == half]


def development_reports(path):
    """The real reports of one of DEVELOPMENT_FILES."""
    if path not in DEVELOPMENT_FILES:
        raise ValueError(f"{path.name} is not a development file: {[item.name for item in DEVELOPMENT_FILES]}")
    return json.loads(path.read_text(encoding="utf-8"))["reports"]


def fresh_reports():
    """The real reports of the held-out set (FRESH), or None while it is not there yet."""
    if not FRESH.exists():
        return None
    return json.loads(FRESH.read_text(encoding="utf-8"))["reports"]


def add_curated_names(sites):
    """Give the test gazetteer's sites ({slug: Site}) the names the curated fixtures record for the same
    slugs and it lacks (the Arabic names of Palmyra's monuments), as the real gazetteer has them."""
    from sites.tests.factories import make_name

    known = {(site.pk, name) for site in sites.values() for name in site.names.values_list("name", flat=True)}
    for item in json.loads(CURATED_SITES.read_text(encoding="utf-8")):
        fields = item["fields"]
        if item["model"] != "sites.sitename" or fields["site"][0] not in sites:
            continue
        site = sites[fields["site"][0]]
        if (site.pk, fields["name"]) not in known and fields["name"] != site.name:
            make_name(site, fields["name"], language=fields["language"], kind=fields["kind"][0])
            known.add((site.pk, fields["name"]))


def as_report(report):
    from heritage.intake.proposals import Report

    return Report(text=report["excerpt"], title=report["id"], publisher=report["publisher"], url=report["url"],
                  published=report["published"], language=report["language"])


@dataclass
class IntakeScore:
    sites: Score = field(default_factory=Score)
    affected: Score = field(default_factory=Score)
    # Recall: the share of the organisations a report credits for which intake proposes the source of
    # their claim (an existing one or a new draft): "the primary source proposed".
    credits: Score = field(default_factory=Score)

    def __str__(self):
        return f"sites {self.sites}; affected {self.affected}; credits {self.credits}"


def evaluate_intake(reports):
    """What propose() finds in labelled real reports, against their labels."""
    from heritage.intake.proposals import propose

    score = IntakeScore()
    for report in reports:
        proposal = propose(as_report(report))
        score.sites.add(report["id"], {item.site.slug for item in proposal.sites}, set(report["sites"]))
        score.affected.add(report["id"], {item.site.slug for item in proposal.sites if item.is_affected},
                           set(report["affected"]))
        score.credits.add(report["id"], {item.organisation.slug for item in proposal.attributions},
                          set(report["credits"]))
    return score


def file_in_stories(reports):
    """Save each report, in order of publication, as the unattended intake does (ingest_reports: each
    affected site confirmed, the recorded sources of its credited claims relied on) plus a new draft
    claim for each credited organisation with none recorded, as the form proposes; {report id: story pk}."""
    from heritage.intake.proposals import propose, save_drafts
    from heritage.management.commands.ingest_reports import confirmed_sites, relied_on
    from sites.dates import bounds

    stories = {}
    for report in sorted(reports, key=lambda report: (bounds(report["published"])[0], report["id"])):
        proposal = propose(as_report(report))
        source = save_drafts(
            proposal.report, confirmed_sites(proposal), graphic=proposal.graphic, relies_on=relied_on(proposal),
            claims_of=[item.organisation for item in proposal.attributions if item.source is None],
        )
        source.refresh_from_db()
        stories[report["id"]] = source.story_id
    return stories


def events_split(reports, stories):
    """(events told in more than one story, pairs of events that share a story)."""
    by_event = {}
    for report in reports:
        by_event.setdefault(report["event"], set()).add(stories[report["id"]])
    split = sorted(event for event, found in by_event.items() if len(found) > 1)
    merged = sorted(
        (event, other) for event in by_event for other in by_event if event < other and by_event[event] & by_event[other]
    )
    return split, merged


def seed_article():
    """The text of the seed news article in ../shared/seeds, or None when it is not there."""
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    return files[0].read_text(encoding="utf-8") if files else None


def synthetic_names(count, seed=7):
    """Made-up but name-like site names ("Temple of Varkesh", "Qasr al-Tumaib") for the timing benchmark."""
    chance = random.Random(seed)
    heads = ["Temple of", "Tomb of", "Qasr al-", "Tell", "Church of", "Citadel of", "Khirbet", "Tower of"]
    names = set()
    while len(names) < count:
        word = "".join(chance.choice(string.ascii_lowercase) for _ in range(chance.randint(4, 9))).capitalize()
        head = chance.choice(heads)
        names.add(f"{head}{word}" if head.endswith("-") else f"{head} {word}")
    return sorted(names)
