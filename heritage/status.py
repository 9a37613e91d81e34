"""Keeps each site's RecordSummary (condition and risk) in step with the record.

Designations live in the sites app, which must not import heritage; these
receivers are how heritage hears about their changes. Assessments and
incidents are hooked here too, so that every path that writes them (admin,
API, importers, the shell) refreshes the status the same way. Fixture
loading (raw saves) is skipped: ``manage.py refresh_record_summaries`` runs after it.

Bulk importers wrap their writes in ``sites.signals.batch()``: while a batch
runs, the site and designation hooks only note which sites changed, and the
batch's end refreshes each of them once (1,223 UNESCO rows would otherwise
refresh a status several times per row).
"""

import threading

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from heritage.bulk_status import rebuild_site_statuses
from heritage.models import ConditionAssessment, Incident, RecordSummary
from sites.models import Designation, Site
from sites.signals import batch_finished, batch_started

_batch = threading.local()


def _deferred(site_pk):
    """Note the site for the batch's end and return True, when a batch is running."""
    pending = getattr(_batch, "pending", None)
    if pending is None:
        return False
    pending.add(site_pk)
    return True


@receiver(batch_started)
def start_batch(sender, **kwargs):
    _batch.pending = set()


@receiver(batch_finished)
def finish_batch(sender, committed=True, site_pks=(), **kwargs):
    pending, _batch.pending = (getattr(_batch, "pending", None) or set()) | set(site_pks), None
    if committed and pending:
        refresh_many(pending)


def refresh_many(site_pks):
    """Refresh the given sites and, recursively, their parts (they inherit an In Danger listing)."""
    parents = dict(Site.objects.values_list("pk", "parent_id"))
    children = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    todo, stack = set(), [pk for pk in site_pks if pk in parents]
    while stack:
        pk = stack.pop()
        if pk not in todo:
            todo.add(pk)
            stack.extend(children.get(pk, []))
    rebuild_site_statuses(Site.objects.filter(pk__in=todo))


def refresh_with_parts(site):
    """A site's status and that of its parts (they inherit its In Danger listing)."""
    RecordSummary.refresh_for(site)
    for part in Site.objects.filter(parent=site):
        refresh_with_parts(part)


def deleting_sites(origin):
    """True while a site's own deletion cascades to its rows: its status goes with it."""
    return isinstance(origin, Site) or (isinstance(origin, QuerySet) and origin.model is Site)


@receiver([post_save, post_delete], sender=Designation)
def designation_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw or deleting_sites(origin) or _deferred(instance.site_id):
        return
    if not Site.objects.filter(pk=instance.site_id).exists():
        return
    refresh_with_parts(instance.site)


@receiver(post_save, sender=Site)
def site_saved(sender, instance, raw=False, **kwargs):
    if not raw and not _deferred(instance.pk):
        refresh_with_parts(instance)


@receiver([post_save, post_delete], sender=ConditionAssessment)
def assessment_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw or deleting_sites(origin) or not Site.objects.filter(pk=instance.site_id).exists():
        return
    RecordSummary.refresh_for(instance.site)


@receiver(post_save, sender=Incident)
def incident_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        RecordSummary.objects.refresh(instance.sites.all())


@receiver(pre_delete, sender=Incident)
def incident_deleting(sender, instance, **kwargs):
    # The m2m rows go with the incident: remember its sites while they can still be read.
    instance._site_pks_before_delete = list(instance.sites.values_list("pk", flat=True))


@receiver(post_delete, sender=Incident)
def incident_deleted(sender, instance, **kwargs):
    RecordSummary.objects.refresh(Site.objects.filter(pk__in=getattr(instance, "_site_pks_before_delete", [])))


@receiver(m2m_changed, sender=Incident.sites.through)
def incident_sites_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if reverse:
        sites = Site.objects.filter(pk=instance.pk)
    elif action == "pre_clear":
        # Remember who loses the incident before the rows go.
        instance._sites_before_clear = list(instance.sites.values_list("pk", flat=True))
        return
    elif action == "post_clear":
        sites = Site.objects.filter(pk__in=getattr(instance, "_sites_before_clear", []))
    else:
        sites = Site.objects.filter(pk__in=pk_set or [])
    RecordSummary.objects.refresh(sites)
