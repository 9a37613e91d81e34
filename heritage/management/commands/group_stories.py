from django.core.management.base import BaseCommand
from django.db import transaction

from heritage.models import RiskProfile, Source, Story


class Command(BaseCommand):
    help = (
        "File every source that has no story yet into the story of the reports it matches (same primary source, "
        "or within days the same threat at the same site or at a site and its whole, or the same site and "
        "similar words: Story.same_event), "
        "oldest first; --regroup starts afresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regroup", action="store_true", help="Forget the current grouping and group all again.")

    @transaction.atomic
    def handle(self, *args, regroup=False, **options):
        if regroup:
            Source.objects.update(story=None)
            Story.objects.filter(reports__isnull=True).delete()
        sources = Source.objects.filter(story__isnull=True).order_by("published_earliest", "pk")
        count = 0
        for source in sources:
            Story.assign(source)
            count += 1
        Story.objects.filter(reports__isnull=True).delete()
        RiskProfile.objects.record_changed()  # stories show on pages; no summary depends on them
        total = Story.objects.count()
        self.stdout.write(f"Filed {count} sources; {total} {'story' if total == 1 else 'stories'} in all.")
