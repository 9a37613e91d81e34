from django.core.management.base import BaseCommand, CommandError

from config import backups


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by backup_db. PostgreSQL restores in one "
        "transaction (pg_restore --clean --if-exists), so a failed restore changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by manage.py backup_db.")
        parser.add_argument("--database", default="default")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Do not ask for confirmation.")

    def handle(self, *args, file, database, interactive, **options):
        try:
            backups.check_file(file, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if interactive:
            answer = input(f"Replace everything in the {backups.vendor(database)} database with {file}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            backups.restore(file, database)
        except backups.BackupError as error:
            raise CommandError(f"{error} The database was not changed.") from error
        self.stdout.write(self.style.SUCCESS(f"Restored the database from {file}."))
