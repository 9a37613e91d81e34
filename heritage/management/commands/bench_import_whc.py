import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.test.utils import setup_databases, teardown_databases

from heritage.whc import import_whc

DEFAULT_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "whc-sites-2024.csv"


class Command(BaseCommand):
    help = (
        "Time an import of UNESCO's list (default: ../shared/data/whc-sites-2024.csv, 1,223 rows), "
        "first into an empty test database, then again to time an idempotent re-run. Target: under 10 s on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
        parser.add_argument(
            "--current-db", action="store_true", help="Import into the configured database instead of a test database."
        )

    def handle(self, *args, file, current_db=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if current_db:
            self.time_imports(path)
            return
        # A throw-away test database (in memory on SQLite), migrated like the real one.
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            self.time_imports(path)
        finally:
            teardown_databases(old_config, verbosity=0)
            connections.close_all()

    def time_imports(self, path):
        for label in ("first import", "re-run"):
            started = time.perf_counter()
            summary = import_whc(path)
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{label}: {len(summary.results)} rows in {elapsed:.2f} s — {summary.counts_line()}")
            for result in summary.skipped:
                self.stdout.write(f"  skipped row {result.row}, column {result.column}: {result.reason}")
