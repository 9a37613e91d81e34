import datetime
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from config import response_cache
from heritage.models import Release
from heritage.opendata import release


class Command(BaseCommand):
    help = (
        "Write a versioned, reproducible release of the published record into an empty directory: CSV, GeoJSON, "
        "Linked Places, JSON-LD and a loadable fixture, with a README (licence, citation, changes since the "
        "previous release), a data-quality report, DCAT and RO-Crate metadata and SHA-256 checksums; and record "
        "the release for the /releases/ page. The same record gives byte-identical files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Directory to write into; it must not exist or be empty.")
        parser.add_argument("--date", help="The release's date, YYYY-MM-DD (default: today, UTC).")
        # Not --version: every Django command has that one (Django's own version).
        parser.add_argument("--release-version", help="Version to cite (default: the date as YYYY.MM.DD).")

    def handle(self, *args, output, date=None, release_version=None, **options):
        if not settings.CANONICAL_URL:
            raise CommandError("Set CANONICAL_URL (e.g. https://heritage.example.org): a release's URIs are permanent.")
        try:
            released = datetime.date.fromisoformat(date) if date else timezone.now().date()
        except ValueError:
            raise CommandError(f"--date “{date}” is not a date: give YYYY-MM-DD.") from None
        version = release_version or released.strftime("%Y.%m.%d")
        if len(version) > Release._meta.get_field("version").max_length or not version.strip():
            raise CommandError(f"--release-version “{version}” must be 1 to 40 characters.")
        directory = Path(output)
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise CommandError(f"{directory} is not an empty directory: a release is written into a new one.")

        outermost = not connection.in_atomic_block
        with transaction.atomic():
            # Every file from one snapshot of the record. Only the transaction's first statement may set it,
            # so a caller's own transaction (a test's) keeps the isolation it has.
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            record_as_of = timezone.now()
            previous = Release.objects.exclude(version=version).before(record_as_of).first()
            info = Release(version=version, released=released, record_as_of=record_as_of,
                           counts=release.record_counts())
            files = release.build(info, previous)
            checksums = {name: release.sha256(content) for name, content in sorted(files.items())}
            existing = Release.objects.filter(version=version).first()
            if existing is not None and existing.checksums != checksums:
                raise CommandError(
                    f"Release {version} was made from a different record: give this one another --release-version."
                )
            if existing is None:
                info.checksums = checksums
                info.save()
                response_cache.invalidate()  # the releases page lists it now
            # Last: files that cannot be written roll the record of the release back.
            try:
                self._write(directory, files)
            except OSError as error:
                raise CommandError(f"Could not write the release into {directory}: {error}") from error
        again = " (made again: the same files as when it was recorded)" if existing else ""
        self.stdout.write(self.style.SUCCESS(
            f"Release {version} written to {directory}{again}: {len(files)} files, "
            + ", ".join(f"{number} {name}" for name, number in info.counts.items()) + "."
        ))

    @staticmethod
    def _write(directory, files):
        """All the files or none: written beside the target, then moved into place."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".release-", dir=directory.parent))
        try:
            for name, content in files.items():
                (staging / name).write_bytes(content)
            if directory.exists():
                directory.rmdir()  # empty, as checked
            staging.rename(directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
