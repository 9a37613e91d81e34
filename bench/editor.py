"""An editor's write for the benchmark: one incident, through the record's write path.

Made as an editor makes one: a draft incident at a demo site, citing a published
demo source, then published with Incident.publish(), which ends in
RiskProfile.objects.record_changed(). The incident is a demo row (its slug
starts with demo-), so `manage.py generate_demo_data --purge` removes it.
"""

import itertools
import time

from django.db import transaction
from django.utils import timezone

from demo.data import PREFIX, SUMMARY

_numbers = itertools.count(1)


def write_incident(site):
    """Record and publish one synthetic incident at the site; returns the incident."""
    from heritage.models import Citation, Incident, Source, Status, ThreatCategory

    source = Source.objects.filter(slug__startswith=PREFIX, status=Status.PUBLISHED).order_by("pk").first()
    category = ThreatCategory.objects.filter(parent__isnull=False).order_by("pk").first()
    if source is None or category is None:
        raise RuntimeError("No published demo source or threat category to write an incident with.")
    stamp = f"{time.time_ns()}-{next(_numbers)}"
    with transaction.atomic():
        incident = Incident.objects.create(
            slug=f"{PREFIX}bench-edit-{stamp}",
            title=f"Benchmark edit at {site.name}",
            description=SUMMARY,
            category=category,
            date=timezone.now().date().isoformat(),
        )
        incident.sites.add(site)
        Citation.objects.create(source=source, incident=incident, locator="p. 1")
        incident.publish()
    return incident
