from django.core.management.base import BaseCommand, CommandError

from config import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database while the site keeps serving: pg_dump -Fc on PostgreSQL, "
        "the sqlite3 online backup API on SQLite. Writes to BACKUP_DIR (default backups/) unless --output is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Where to write the backup file.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, **options):
        path = output or backups.default_path(database)
        try:
            written = backups.backup(path, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        size = written.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up the {backups.vendor(database)} database to {written} "
                                             f"({size / 1e6:.1f} MB)."))
