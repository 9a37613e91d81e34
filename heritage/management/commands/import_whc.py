import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heritage.whc import import_whc
from sites.whc import FileFormatError


def progress_bar(enabled):
    """tqdm on an interactive terminal; plain iteration in logs and CI."""
    if not enabled:
        return None
    from tqdm import tqdm

    return lambda rows: tqdm(rows, desc="Importing", unit="row", file=sys.stderr)


class Command(BaseCommand):
    help = (
        "Import UNESCO's World Heritage List (.xls, .xlsx, CSV in UTF-8 or Windows-1252, or the XML feed; "
        "detected automatically). Keyed by id_no: a re-run updates what changed and creates nothing twice. "
        "UNESCO's descriptions are not stored; each site links to its UNESCO page."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The downloaded export: whc-sites-2024.xls, .xlsx, .csv or the XML feed.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change and write nothing.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar even on a terminal.")

    def handle(self, *args, file, dry_run=False, no_progress=False, verbosity=1, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        show_progress = not no_progress and sys.stderr.isatty() and verbosity > 0
        try:
            summary = import_whc(path.read_bytes(), dry_run=dry_run, progress=progress_bar(show_progress))
        except FileFormatError as error:
            raise CommandError(f"{path}: {error}") from error
        self.report(summary, verbosity)

    def report(self, summary, verbosity):
        write = self.stdout.write
        write(f"Read {len(summary.results)} rows ({summary.file_format}, {summary.encoding}).")
        if summary.dry_run or verbosity > 1:
            for result in summary.results:
                if result.outcome in ("created", "updated"):
                    write(f"  row {result.row}, id_no {result.id_no}, {result.outcome}: " + "; ".join(result.changes))
        for result in summary.results:
            for warning in result.warnings if verbosity > 1 else []:
                write(f"  row {result.row}, id_no {result.id_no}: {warning}")
        for row, column, problem in summary.unreadable_cells:
            self.stderr.write(f"  could not read row {row}, column {column}: {problem}")
        for result in summary.skipped:
            column = f", column {result.column}" if result.column else ""
            self.stderr.write(f"  skipped row {result.row}{column} (id_no {result.id_no or '?'}): {result.reason}")
        prefix = "Dry run, nothing written — would be: " if summary.dry_run else ""
        style = self.style.WARNING if summary.skipped or summary.unreadable_cells else self.style.SUCCESS
        write(style(prefix + summary.counts_line() + "."))
