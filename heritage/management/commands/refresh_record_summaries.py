from django.core.management.base import BaseCommand
from django.db import transaction

from heritage.bulk_status import rebuild_site_statuses


class Command(BaseCommand):
    help = (
        "Recompute every site's current condition and risk level. Run after loading fixtures "
        "and once a day (what counts as a recent incident moves with the calendar)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        count = rebuild_site_statuses()
        if options["verbosity"]:
            self.stdout.write(f"Refreshed the status of {count} sites.")
