import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connections
from django.test.utils import setup_databases, teardown_databases

from heritage.intake import linking
from heritage.tests.gazetteer import build_gazetteer
from heritage.tests.linking_evaluation import evaluate, labelled_reports, seed_article, synthetic_names
from sites.tests.factories import make_kind, make_site


class Command(BaseCommand):
    help = (
        "Score the gazetteer linker on the labelled report texts (precision ≥ 0.95, recall ≥ 0.90 wanted), "
        "link the seed article, and time a 2,000-word article against a 10,000-name gazetteer (< 50 ms wanted). "
        "Runs in a throw-away test database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--names", type=int, default=10_000)
        parser.add_argument("--words", type=int, default=2_000)
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, names, words, runs, **options):
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            sites = build_gazetteer()
            self.score()
            self.seed()
            self.timing(sites, names, words, runs)
        finally:
            teardown_databases(old_config, verbosity=0)
            connections.close_all()

    def score(self):
        reports = labelled_reports()
        score = evaluate(reports)
        self.stdout.write(
            f"Labelled set: {len(reports)} reports, {score.true_positives} correct site mentions, "
            f"{len(score.false_positives)} wrong, {len(score.false_negatives)} missed."
        )
        self.stdout.write(f"precision {score.precision:.3f} (≥ 0.95 wanted), recall {score.recall:.3f} (≥ 0.90 wanted)")
        for report_id, slug in score.false_positives:
            self.stdout.write(f"  wrong:  {slug} in {report_id}")
        for report_id, slug in score.false_negatives:
            self.stdout.write(f"  missed: {slug} in {report_id}")

    def seed(self):
        text = seed_article()
        if text is None:
            self.stdout.write("Seed article: not found in ../shared/seeds.")
            return
        found = [mention.site.slug for mention in linking.link_sites(text)]
        self.stdout.write(f"Seed article proposes: {', '.join(found)}")

    def timing(self, sites, names, words, runs):
        kind = make_kind("archaeological-site")
        existing = len(linking.build_gazetteer().exact.root)
        from sites.models import Site

        Site.objects.bulk_create(
            [Site(slug=f"synthetic-{number}", name=name, kind=kind, countries=["SY"])
             for number, name in enumerate(synthetic_names(names - existing))]
        )
        make_site("Synthetic marker")  # bumps Site.updated so the cached gazetteer is rebuilt
        started = time.perf_counter()
        gazetteer = linking.gazetteer()
        built = time.perf_counter() - started
        total_names = gazetteer.exact.size
        text_words = " ".join(report["text"] for report in labelled_reports()).split()
        article = " ".join((text_words * (words // len(text_words) + 1))[:words])
        gazetteer.link(article)  # a first run fills the per-word caches
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            gazetteer.link(article)
            timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        linking.link_sites(article)
        cached = (time.perf_counter() - started) * 1000
        self.stdout.write(
            f"Gazetteer of {total_names} names compiled in {built * 1000:.0f} ms. Linking a {words}-word article: "
            f"median {statistics.median(timings):.1f} ms, 90th percentile "
            f"{statistics.quantiles(timings, n=10)[-1]:.1f} ms, max {max(timings):.1f} ms over {runs} runs "
            f"(< 50 ms wanted); "
            f"with the cache check (3 queries): {cached:.1f} ms."
        )
