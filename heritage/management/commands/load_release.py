import datetime
import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from heritage.management.commands.load_curated import record_baseline_history
from heritage.models import Release, RiskProfile
from heritage.opendata import release
from sites.models import Site

RELEASE_CHANGE_REASON = "Loaded from release {version}"


def verified_files(directory):
    """{file name: bytes} of a release directory, every file checked against its SHA256SUMS."""
    sums = directory / "SHA256SUMS"
    if not sums.is_file():
        raise CommandError(f"{directory} has no SHA256SUMS: it is not a release directory.")
    files = {}
    for number, line in enumerate(sums.read_text().splitlines(), start=1):
        digest, _, name = line.partition("  ")
        path = directory / name
        if not name or "/" in name or name.startswith("."):
            raise CommandError(f"SHA256SUMS line {number} does not name a file of the release: “{line}”.")
        if not path.is_file():
            raise CommandError(f"{name} is listed in SHA256SUMS but missing from {directory}.")
        content = path.read_bytes()
        if release.sha256(content) != digest:
            raise CommandError(f"{name} does not match its SHA-256 in SHA256SUMS: the release is damaged or altered.")
        files[name] = content
    return files


class Command(BaseCommand):
    help = (
        "Load a release written by manage.py release into an empty database: its checksums are verified, its "
        "record loaded, risk profiles computed and the release recorded. Nothing is written if anything fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The release's directory.")

    def handle(self, *args, directory, **options):
        directory = Path(directory)
        files = verified_files(directory)
        for needed in ("record.json", "ro-crate-metadata.json"):
            if needed not in files:
                raise CommandError(f"{needed} is missing from the release's SHA256SUMS.")
        try:
            graph = json.loads(files["ro-crate-metadata.json"])["@graph"]
            root = next((entity for entity in graph if entity.get("@id") == "./"), None)
        except (ValueError, TypeError, KeyError, AttributeError):
            root = None
        if not isinstance(root, dict) or "version" not in root or "datePublished" not in root:
            raise CommandError("ro-crate-metadata.json does not give the release's version and date.")
        if Site.objects.exists():
            raise CommandError("The database already has sites: a release loads into an empty database only.")
        try:
            started = timezone.now()
            with transaction.atomic():
                call_command("loaddata", str(directory / "record.json"), verbosity=0)
                Site.objects.refresh_arabic_names()  # loaddata saves raw, around SiteName.save()
                RiskProfile.objects.record_changed(Site.objects.all())
                record_baseline_history(since=started, reason=RELEASE_CHANGE_REASON.format(version=root["version"]))
                Release.objects.update_or_create(version=root["version"], defaults={
                    "released": datetime.date.fromisoformat(root["datePublished"]),
                    "record_as_of": timezone.now(),
                    "counts": release.record_counts(),
                    "checksums": {name: release.sha256(content) for name, content in sorted(files.items())},
                })
        except CommandError:
            raise
        except Exception as error:
            raise CommandError(f"Release {root['version']} could not be loaded, nothing was written: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Loaded release {root['version']}: {Site.objects.count()} sites."))
