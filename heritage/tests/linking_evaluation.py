"""The labelled report texts and how the linker scores on them (shared by the test and ``bench_linking``)."""

import json
import random
import string
from dataclasses import dataclass, field
from pathlib import Path

from heritage.intake.linking import link_sites

LABELLED = Path(__file__).parent / "data" / "linking_reports.json"
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


def evaluate(reports=None):
    """Site-mention precision and recall over the labelled reports (pairs of report and site)."""
    score = Score()
    for report in reports or labelled_reports():
        found = {mention.site.slug for mention in link_sites(report["text"])}
        expected = set(report["expected"])
        score.true_positives += len(found & expected)
        score.false_positives += [(report["id"], slug) for slug in sorted(found - expected)]
        score.false_negatives += [(report["id"], slug) for slug in sorted(expected - found)]
    return score


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
