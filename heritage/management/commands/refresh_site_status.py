from django.core.management.base import BaseCommand
from django.db import transaction

from heritage.models import SiteStatus
from sites.models import Site


class Command(BaseCommand):
    help = (
        "Recompute every site's current condition and risk level. Run after loading fixtures "
        "and once a day (what counts as a recent incident moves with the calendar)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        sites = Site.objects.select_related("parent")
        SiteStatus.objects.refresh(sites)
        if options["verbosity"]:
            self.stdout.write(f"Refreshed the status of {sites.count()} sites.")
