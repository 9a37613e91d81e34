"""Keeps each site's SiteStatus (condition and risk) in step with the record.

Designations live in the sites app, which must not import heritage; these
receivers are how heritage hears about their changes. Assessments and
incidents are hooked here too, so that every path that writes them (admin,
API, importers, the shell) refreshes the status the same way. Fixture
loading (raw saves) is skipped: ``manage.py refresh_site_status`` runs after it.
"""

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from heritage.models import ConditionAssessment, Incident, SiteStatus
from sites.models import Designation, Site


def refresh_with_parts(site):
    """A site's status and that of its parts (they inherit its In Danger listing)."""
    SiteStatus.refresh_for(site)
    for part in Site.objects.filter(parent=site):
        refresh_with_parts(part)


def deleting_sites(origin):
    """True while a site's own deletion cascades to its rows: its status goes with it."""
    return isinstance(origin, Site) or (isinstance(origin, QuerySet) and origin.model is Site)


@receiver([post_save, post_delete], sender=Designation)
def designation_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw or deleting_sites(origin) or not Site.objects.filter(pk=instance.site_id).exists():
        return
    refresh_with_parts(instance.site)


@receiver(post_save, sender=Site)
def site_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_with_parts(instance)


@receiver([post_save, post_delete], sender=ConditionAssessment)
def assessment_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw or deleting_sites(origin) or not Site.objects.filter(pk=instance.site_id).exists():
        return
    SiteStatus.refresh_for(instance.site)


@receiver(post_save, sender=Incident)
def incident_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        SiteStatus.objects.refresh(instance.sites.all())


@receiver(pre_delete, sender=Incident)
def incident_deleting(sender, instance, **kwargs):
    # The m2m rows go with the incident: remember its sites while they can still be read.
    instance._site_pks_before_delete = list(instance.sites.values_list("pk", flat=True))


@receiver(post_delete, sender=Incident)
def incident_deleted(sender, instance, **kwargs):
    SiteStatus.objects.refresh(Site.objects.filter(pk__in=getattr(instance, "_site_pks_before_delete", [])))


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
    SiteStatus.objects.refresh(sites)
