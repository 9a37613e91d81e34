"""Site statuses for many sites at once, with a fixed handful of queries.

RecordSummary.refresh_for() asks about one site at a time (six queries each),
which is right for an edit and far too slow for 100,000 sites after a bulk
load. rebuild_site_statuses() applies the same rule (heritage.risk.assess)
to the same inputs, gathered with one query per input over all the sites.
A test holds the two to the same answers.
"""

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from config import response_cache
from heritage.models import ConditionAssessment, ConditionState, Incident, RecordSummary
from heritage.risk import RISK_RANK, RiskInputs, assess
from sites.dates import day_number
from sites.models import Designation, Site

FIELDS = ["condition", "condition_assessment", "in_danger", "standing_incidents", "latest_incident", "risk_level",
          "risk_rank", "risk_reasons", "refreshed"]


def latest_assessments(site_ids):
    """{site id: (assessment id, state id)} of each site's latest published assessment."""
    rows = (
        ConditionAssessment.objects.published()
        .filter(site__in=site_ids)
        .order_by("site_id", "-date_latest", "-date_earliest", "-pk")
        .values_list("site_id", "pk", "state_id")
    )
    latest = {}
    for site_id, pk, state_id in rows.iterator(chunk_size=10_000):
        latest.setdefault(site_id, (pk, state_id))
    return latest


def in_danger_sites(site_ids, parents):
    """Those of site_ids on the In Danger list now, directly or through a site they are part of."""
    listed = set(Designation.objects.in_danger().current().values_list("site_id", flat=True))
    result = set()
    for site_id in site_ids:
        node, seen = site_id, set()
        while node is not None and node not in seen:
            if node in listed:
                result.add(site_id)
                break
            seen.add(node)
            node = parents.get(node)
    return result


def incident_counts(site_ids, recent_start):
    """{site id: (standing, recent, latest Julian day)} over published standing incidents."""
    through = Incident.sites.through.objects.filter(
        site__in=site_ids,
        incident__in=Incident.objects.published().standing(),
    )
    rows = through.values("site_id").annotate(
        total=Count("incident_id"),
        recent=Count("incident_id", filter=Q(incident__date_latest__gte=recent_start)),
        latest=Max("incident__date_latest"),
    )
    return {row["site_id"]: (row["total"], row["recent"], row["latest"]) for row in rows}


def rebuild_site_statuses(sites=None, at=None, batch_size=5000):
    """Recompute and store the status of the given sites (all when None); returns how many."""
    at = at or timezone.now()
    recent_years = settings.RISK_RECENT_YEARS
    recent_start = day_number(at.date()) - round(365.25 * recent_years)
    sites = Site.objects.all() if sites is None else sites
    site_ids = sites.values("pk")
    parents = dict(Site.objects.values_list("pk", "parent_id"))
    chosen = list(sites.values_list("pk", flat=True))
    states = {state.pk: state for state in ConditionState.objects.all()}
    assessments = latest_assessments(site_ids)
    in_danger = in_danger_sites(chosen, parents)
    incidents = incident_counts(site_ids, recent_start)
    statuses = []
    for site_id in chosen:
        assessment_id, state_id = assessments.get(site_id, (None, None))
        state = states.get(state_id)
        total, recent, latest = incidents.get(site_id, (0, 0, None))
        level, reasons = assess(
            RiskInputs(
                condition=state.slug if state else None,
                condition_label=state.label if state else "",
                in_danger=site_id in in_danger,
                recent_incidents=recent,
                older_incidents=total - recent,
                recent_years=recent_years,
            )
        )
        statuses.append(RecordSummary(
            site_id=site_id,
            condition=state,
            condition_assessment_id=assessment_id,
            in_danger=site_id in in_danger,
            standing_incidents=total,
            latest_incident=latest,
            risk_level=level,
            risk_rank=RISK_RANK[level],
            risk_reasons=reasons,
        ))
    RecordSummary.objects.bulk_create(
        statuses, batch_size=batch_size, update_conflicts=True, unique_fields=["site"], update_fields=FIELDS
    )
    response_cache.invalidate()  # bulk_create sends no signals
    return len(statuses)
