from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sites.models import Site

# Loaded in this order: vocabularies first, then the places, then the record.
CURATED_FIXTURES = [
    "vocabularies",
    "threat_categories",
    "palmyra_sites",
    "palmyra_sources",
    "palmyra_record",
    "intake_rules",  # report intake: starter keyword rules per threat category
]


class Command(BaseCommand):
    help = (
        "Load the curated vocabularies and the Palmyra dataset from fixtures/ into an empty database. "
        "Does nothing when the gazetteer already has sites, so editors' changes are never overwritten."
    )

    def handle(self, *args, **options):
        if Site.objects.exists():
            self.stdout.write("The database already has sites: curated data not loaded, nothing changed.")
            return
        try:
            with transaction.atomic():
                for fixture in CURATED_FIXTURES:
                    call_command("loaddata", fixture, verbosity=0)
                call_command("refresh_record_summaries", verbosity=0)
        except Exception as error:
            raise CommandError(f"Curated data could not be loaded, nothing was written: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Loaded the curated data: {Site.objects.count()} sites."))
