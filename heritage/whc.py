"""UNESCO's World Heritage List into the knowledge base.

sites.whc writes the gazetteer (sites, names, identifiers, designations) and
knows nothing of the record; this wraps it so that, in the same transaction,
the risk profiles of the sites it created or changed follow (an In Danger
listing changes a site's risk and that of its parts) and cached responses are
retired.
"""

from pathlib import Path

from django.db import transaction

from heritage.models import RiskProfile
from sites.whc import WHCImporter


def import_whc(data, *, dry_run=False, progress=None):
    """Import an export of the list (bytes, or a path to read); returns the importer's ImportSummary."""
    if isinstance(data, str | Path):
        data = Path(data).read_bytes()
    with transaction.atomic():
        summary = WHCImporter(dry_run=dry_run, progress=progress).run(data)
        if not summary.dry_run:
            RiskProfile.objects.record_changed(summary.touched_site_pks)
    return summary
