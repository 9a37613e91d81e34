from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.models import registered_models
from simple_history.utils import get_history_manager_for_model

from sites.dates import store_date_words
from sites.models import Site

CURATED_CHANGE_REASON = "Loaded from the curated fixtures"

# Loaded in this order: vocabularies first, then the places, then the record.
CURATED_FIXTURES = [
    "vocabularies",
    "threat_categories",
    "palmyra_sites",
    "palmyra_sources",
    "palmyra_record",
    "intake_rules",  # report intake: starter keyword rules per threat category
    "organisations",  # report intake: publishers and the bodies reports credit, with default gradings
]


def record_baseline_history(since, reason=CURATED_CHANGE_REASON):
    """A first history entry for every curated record, so that an editor's first change can be reverted.

    loaddata saves raw, which simple_history does not record, except when it sets a recorded
    many-to-many field: those entries (made since ``since``) are kept and given the same reason.
    """
    for model in registered_models.values():
        try:
            history = get_history_manager_for_model(model)
        except NotHistoricalModelError:  # the through tables of recorded many-to-many fields
            continue
        history.filter(history_date__gte=since).update(history_change_reason=reason)
        unrecorded = model._base_manager.exclude(pk__in=history.values(model._meta.pk.attname))
        history.bulk_history_create(list(unrecorded), batch_size=500, default_change_reason=reason)


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
            started = timezone.now()
            with transaction.atomic():
                for fixture in CURATED_FIXTURES:
                    call_command("loaddata", fixture, verbosity=0)
                # loaddata saves raw, around save(): the dates' words are stored as save() would have.
                for model in apps.get_models():
                    store_date_words(model, getattr(model, "edtf_fields", ()))
                Site.objects.refresh_arabic_names()  # and the sites' Arabic names, as SiteName.save() would have
                call_command("refresh_risk_profiles", verbosity=0)
                record_baseline_history(since=started)
        except Exception as error:
            raise CommandError(f"Curated data could not be loaded, nothing was written: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Loaded the curated data: {Site.objects.count()} sites."))
