"""Atom and RSS feeds of newly published incidents: overall, per site, per country, per category."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from heritage.models import Incident, ThreatCategory
from sites.models import Site

FEED_LENGTH = 50


class Scope:
    """What a feed covers: a title, the page it mirrors and the incidents it lists."""

    def __init__(self, title, link, incidents):
        self.title, self.link, self.incidents = title, link, incidents


def scope_for(kind, key):
    incidents = Incident.objects.published()
    if kind == "all":
        return Scope(_("Heritage at Risk: new incidents"), reverse("heritage:incidents"), incidents)
    if kind == "site":
        site = get_object_or_404(Site.objects.with_display_name(), slug=key)
        title = _("Heritage at Risk: incidents at %(site)s") % {"site": site.localized_name}
        return Scope(title, site.get_absolute_url(), incidents.of_site(site))
    if kind == "country":
        name = countries.name(key.upper())
        if not name:
            raise Http404(_("No country with the code “%(code)s”.") % {"code": key})
        link = f"{reverse('heritage:incidents')}?country={key.upper()}"
        return Scope(_("Heritage at Risk: incidents in %(country)s") % {"country": name}, link, incidents.in_country(key))
    category = get_object_or_404(ThreatCategory, slug=key)
    title = _("Heritage at Risk: %(category)s") % {"category": category.localized_label}
    return Scope(title, category.get_absolute_url(), incidents.in_category(category))


class IncidentFeed(Feed):
    feed_type = Rss201rev2Feed
    description = gettext_lazy(
        "Incidents affecting cultural heritage, newest published first, with how far each claim is established."
    )

    def get_object(self, request, kind="all", key=""):
        return scope_for(kind, key)

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.link

    def items(self, scope):
        return scope.incidents.select_related("category").order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, incident):
        return f"{incident.date_display}: {incident.text_in('title')[0]}"

    def item_description(self, incident):
        return f"{incident.get_claim_display()}. {incident.category.localized_label}. {incident.description}".strip()

    def item_pubdate(self, incident):
        return incident.published_at

    def item_updateddate(self, incident):
        return incident.updated

    def item_categories(self, incident):
        return [incident.category.localized_label]


class IncidentAtomFeed(IncidentFeed):
    feed_type = Atom1Feed
    subtitle = IncidentFeed.description


FEEDS = {"rss": IncidentFeed(), "atom": IncidentAtomFeed()}


def feed(request, format, kind="all", key=""):
    return FEEDS[format](request, kind=kind, key=key)
