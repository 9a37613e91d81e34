from django.core.management.base import BaseCommand
from django.db import transaction

from heritage.models import RiskProfile


class Command(BaseCommand):
    help = (
        "Recompute every site's risk profile (current condition and risk level) and the API detail stored for "
        "anonymous readers (StoredSiteDetail). Run once a day (what counts "
        "as a recent incident moves with the calendar), and after anything written around the admin, the API "
        "and the importers (loaddata, a save() in the shell)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        count = RiskProfile.objects.refresh()
        if options["verbosity"]:
            self.stdout.write(f"Refreshed the risk profiles of {count} sites.")
