"""The researcher-facing pages: home, sites, sources, incidents, threat categories, search, map, charts."""

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from config.response_cache import tag_response
from heritage import charts, timeline
from heritage.filters import IncidentFilterSet, SiteFilterSet
from heritage.models import (
    Citation,
    ConditionAssessment,
    HistoryEvent,
    Incident,
    Release,
    RiskProfile,
    Source,
    Story,
    ThreatCategory,
)
from heritage.pagination import EstimatingPaginator, ListPaginator, count_or_estimate
from heritage.risk import RiskLevel
from sites.linked_data import site_feature, site_json_ld
from sites.models import Site

HOME_LIST_LENGTH = 5
SEARCH_LIMIT = 20
# The search page ranks the first this many matches of each kind of record (heritage/search.py) and of sites
# (SiteQuerySet.search), so a common word costs no more than a rare one.
SEARCH_CANDIDATES = 200
NEARBY_LENGTH = 10


def _sites_for_list():
    return (
        Site.objects.select_related("kind", "parent", "risk_profile__condition").with_display_name(parent=True)
        .alphabetical()
    )


def _site_names():
    """Sites read for a link to each and nothing more: the slug and the name the reader sees (with_display_name())."""
    return Site.objects.only("pk", "slug", "name").with_display_name()


def _map_points(sites, user, current=None, limit=None):
    """What the map script needs of each site with a point this user may see; ``current`` is the page's own site,
    ``limit`` the most points to give (the first sites with a point, in the queryset's order).

    One query of plain values, points as Site.objects.with_points_for() gives them (hidden sites never, generalised
    ones at their cell's centre), so the whole map of the record costs no model instance per site."""
    risk_labels = dict(RiskLevel.choices)
    page_url = Site.page_urls()
    rows = (
        sites.with_points_for(user).filter(point_latitude__isnull=False, point_longitude__isnull=False)
        .values_list("pk", "slug", "display_name", "point_latitude", "point_longitude", "point_generalised",
                     "risk_profile__risk_level")
    )
    rows = rows if limit is None else rows[:limit]
    return [
        {
            "name": name,
            "url": page_url(slug),
            "lat": latitude,
            "lon": longitude,
            "generalised": generalised,
            "risk": risk or "unknown",
            "risk_label": str(risk_labels[risk]) if risk else _("Unknown"),
            "current": current is not None and pk == current.pk,
        }
        for pk, slug, name, latitude, longitude, generalised, risk in rows
    ]


def _querystring_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _canonical(request, keep_query=False):
    """The page's permanent address; lists keep their filters so a view can be cited."""
    path = request.path
    if keep_query:
        query = _querystring_without(request)
        path = f"{path}?{query}" if query else path
    return request.build_absolute_uri(path)


def _citations(user):
    """A fact's citations, with the sources the user may see."""
    return Prefetch(
        "citations",
        queryset=Citation.objects.visible_to(user).select_related("source"),
    )


def home(request):
    incidents = Incident.objects.published().for_listing().order_by("-published_at", "-date_earliest")
    at_risk = (
        _sites_for_list().filter(risk_profile__risk_rank__gte=1)
        .alphabetical("-risk_profile__risk_rank", F("risk_profile__latest_incident").desc(nulls_last=True))
    )
    context = {
        # (number, estimated): counted exactly up to a thousand, estimated beyond, as long lists are.
        "figures": {
            "sites": count_or_estimate(Site.objects.all()),
            "incidents": count_or_estimate(Incident.objects.published()),
            "sources": count_or_estimate(Source.objects.published()),
            "countries": len(Site.objects.country_codes()),
        },
        "latest_incidents": incidents[:HOME_LIST_LENGTH],
        "at_risk": at_risk[:HOME_LIST_LENGTH],
        # The map draws the sites at highest risk, in the list's order; the full map (/map/) has every site.
        "map_points": _map_points(at_risk, request.user, limit=settings.HOME_MAP_POINTS),
        "map_limit": settings.HOME_MAP_POINTS,
        "canonical_url": _canonical(request),
    }
    return render(request, "heritage/home.html", context)


def site_list(request):
    filterset = SiteFilterSet(request.GET, queryset=_sites_for_list())
    page = EstimatingPaginator(filterset.qs, settings.SITES_PER_PAGE).get_page(request.GET.get("page"))
    country = filterset.form.cleaned_data.get("country") if filterset.is_valid() else None
    country = country and {"code": country, "name": countries.name(country)}
    context = {
        "filterset": filterset,
        "page": page,
        "querystring": _querystring_without(request, "page"),
        "country": country,
        "canonical_url": _canonical(request, keep_query=True),
    }
    return render(request, "sites/site_list.html", context, status=200 if filterset.is_valid() else 400)


def site_map(request):
    """The map's page: its filters and the address of its points (site_map_points), which map.js fetches, so the
    page costs the same at any number of sites."""
    filterset = SiteFilterSet(request.GET, queryset=_sites_for_list())
    querystring = _querystring_without(request)
    points_url = reverse("sites:map-points")
    context = {
        "filterset": filterset,
        "map_points_url": f"{points_url}?{querystring}" if querystring else points_url,
        "querystring": querystring,
        "canonical_url": _canonical(request, keep_query=True),
    }
    return render(request, "sites/site_map.html", context, status=200 if filterset.is_valid() else 400)


def site_map_points(request):
    """The points of the map page's sites, with the same filters, as JSON: {"points": [...], "caption": "…"}."""
    filterset = SiteFilterSet(request.GET, queryset=_sites_for_list())
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    points = _map_points(filterset.qs, request.user)
    caption = ngettext(
        "%(count)s site with known coordinates.", "%(count)s sites with known coordinates.", len(points)
    ) % {"count": len(points)}
    return JsonResponse({"points": points, "caption": caption}, json_dumps_params={"ensure_ascii": False})


# What a site's address gives for each media type asked for in Accept; HTML when none is preferred.
SITE_MEDIA_TYPES = ["text/html", "application/ld+json", "application/geo+json"]


def site_detail(request, slug):
    media_type = request.get_preferred_type(SITE_MEDIA_TYPES) or "text/html"
    if media_type != "text/html":
        return _site_data(request, slug, media_type)
    response = _site_page(request, slug)
    patch_vary_headers(response, ["Accept"])
    return response


def _site_data(request, slug, media_type):
    """The site as JSON-LD or as a GeoJSON Feature, at the address of its page (content negotiation)."""
    site = get_object_or_404(
        Site.objects.select_related("kind", "parent").prefetch_related("names", "identifiers"), slug=slug
    )
    if media_type == "application/ld+json":
        document = site_json_ld(site, request.user, request)
    else:
        document = site_feature(site, request.user, request)
    response = JsonResponse(document, content_type=media_type, json_dumps_params={"ensure_ascii": False})
    patch_vary_headers(response, ["Accept"])
    return tag_response(response, [pk for pk in (site.pk, site.parent_id) if pk])


def _site_page(request, slug):
    site = get_object_or_404(
        Site.objects.select_related("kind", "parent", "location_certainty", "risk_profile__condition",
                                    "risk_profile__condition_assessment")
        .prefetch_related("names__kind", "identifiers", "designations"),
        slug=slug,
    )
    parts = list(site.parts.select_related("kind", "risk_profile").with_display_name().alphabetical())
    place_names = Prefetch("sites", queryset=_site_names().alphabetical())
    events = (
        HistoryEvent.objects.visible_to(request.user).of_site(site)
        .prefetch_related(_citations(request.user), place_names)
    )
    incidents = (
        Incident.objects.visible_to(request.user).of_site(site)
        .select_related("category__parent", "actor", "certainty", "effect", "damage_extent")
        .prefetch_related(_citations(request.user), place_names)
    )
    assessments = (
        ConditionAssessment.objects.visible_to(request.user).of_site(site)
        .select_related("state", "damage_extent", "trend")
        .prefetch_related(Prefetch("site", queryset=_site_names()), _citations(request.user))
    )
    incidents = list(incidents.chronological())
    events = list(events)
    # Its own parts are listed apart; nearby means other places.
    nearby = site.nearby(limit=NEARBY_LENGTH + len(parts), user=request.user)
    nearby = [other for other in nearby if other.parent_id != site.pk][:NEARBY_LENGTH]
    ancestors = list(reversed(site.ancestors()))
    point = site.point_for(request.user)
    landmark = site.landmark(request.user)
    absolute_url = request.build_absolute_uri(site.get_absolute_url())
    context = {
        "site": site,
        "profile": RiskProfile.of(site),
        "ancestors": ancestors,
        "parts": parts,
        "timeline": timeline.merge(events, incidents, assessments),
        "incidents": incidents,
        "stories": Story.objects.for_site(site, reports=Source.objects.visible_to(request.user)),
        "nearby": nearby,
        "point": point,
        "relative_description": site.relative_description(landmark, user=request.user),
        "map_points": _map_points(
            _sites_for_list().filter(Q(pk=site.pk) | Q(parent=site) | Q(pk__in=[other.pk for other in nearby])),
            request.user, current=site,
        ),
        "json_ld": site_json_ld(site, request.user, request),
        "canonical_url": absolute_url,
        "accessed": timezone.now(),
    }
    # The landmark too: hiding the city a page measures from must retire the page ("215 km north-east of …").
    shown = [site, *parts, *ancestors, *nearby, *([landmark] if landmark else []),
             *(place for fact in [*events, *incidents] for place in fact.sites.all())]
    return tag_response(render(request, "sites/site_detail.html", context), shown)


def source_detail(request, slug):
    source = get_object_or_404(
        Source.objects.visible_to(request.user)
        .with_links_visible_to(request.user, "relies_on", "relied_on_by")
        .prefetch_related("quotations"),
        slug=slug,
    )
    cited = Q(citations__source=source)
    incidents = Incident.objects.visible_to(request.user).filter(cited).distinct().for_listing()
    events = (
        HistoryEvent.objects.visible_to(request.user).filter(cited).distinct()
        .prefetch_related(Prefetch("sites", queryset=Site.objects.with_display_name().alphabetical()))
    )
    assessments = (
        ConditionAssessment.objects.visible_to(request.user).filter(cited).select_related("state")
        .prefetch_related(Prefetch("site", queryset=_site_names()))
    )
    supported = (
        Site.objects.filter(
            Q(pk__in=incidents.values("sites")) | Q(pk__in=events.values("sites")) | Q(pk__in=assessments.values("site"))
        )
        .select_related("kind")
        .with_display_name()
        .alphabetical()
    )
    context = {
        "source": source,
        "incidents": incidents,
        "events": events,
        "assessments": assessments,
        "supported_sites": supported,
        "reliability_scale": Source.Reliability.choices,
        "credibility_scale": Source.Credibility.choices,
        "canonical_url": _canonical(request),
    }
    return render(request, "heritage/source_detail.html", context)


def incident_list(request):
    filterset = IncidentFilterSet(request.GET, queryset=Incident.objects.visible_to(request.user).for_listing())
    page = ListPaginator(filterset.qs, settings.SITES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "querystring": _querystring_without(request, "page"),
        "canonical_url": _canonical(request, keep_query=True),
    }
    return render(request, "heritage/incident_list.html", context, status=200 if filterset.is_valid() else 400)


def incident_detail(request, slug):
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user)
        .select_related("category__parent", "actor", "certainty", "effect", "damage_extent")
        .prefetch_related(
            Prefetch("sites", queryset=Site.objects.select_related("kind").with_display_name().alphabetical()),
            _citations(request.user),
        ),
        slug=slug,
    )
    return render(request, "heritage/incident_detail.html", {
        "incident": incident,
        "independent_sources": incident.independent_primary_sources(request.user).count(),
        "canonical_url": _canonical(request),
    })


def category_list(request):
    primaries = (
        ThreatCategory.objects.primary().with_incident_counts().order_by("position", "code", "label")
        .prefetch_related(Prefetch("children", queryset=ThreatCategory.objects.with_incident_counts()))
    )
    for primary in primaries:
        primary.total = primary.incident_count + sum(child.incident_count for child in primary.children.all())
    return render(request, "heritage/category_list.html", {"primaries": primaries, "canonical_url": _canonical(request)})


def category_detail(request, slug):
    category = get_object_or_404(
        ThreatCategory.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=ThreatCategory.objects.with_incident_counts())
        ),
        slug=slug,
    )
    incidents = Incident.objects.visible_to(request.user).in_category(category).for_listing()
    page = ListPaginator(incidents, settings.SITES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"category": category, "page": page, "querystring": "", "canonical_url": _canonical(request)}
    return render(request, "heritage/category_detail.html", context)


def search(request):
    text = request.GET.get("q", "").strip()
    groups, suggestion = [], None
    if text:
        user = request.user
        groups = [
            ("sites", _("Sites"), Site.objects.search(text, SEARCH_CANDIDATES)
             .select_related("kind", "parent").with_display_name(parent=True)[:SEARCH_LIMIT]),
            ("incidents", _("Incidents"), Incident.objects.visible_to(user).search(text, SEARCH_CANDIDATES)
             .for_listing()[:SEARCH_LIMIT]),
            ("events", _("History events"), HistoryEvent.objects.visible_to(user).search(text, SEARCH_CANDIDATES)
             .prefetch_related(Prefetch("sites", queryset=Site.objects.with_display_name().alphabetical()))[:SEARCH_LIMIT]),
            ("sources", _("Sources"), Source.objects.visible_to(user).search(text, SEARCH_CANDIDATES)[:SEARCH_LIMIT]),
        ]
        groups = [(key, label, list(results)) for key, label, results in groups]
        sites = groups[0][2]
        # Sites found only because their names resemble the text rank 0 (SiteQuerySet.search): offer the nearest.
        suggestion = Site.objects.suggestion(text) if sites and sites[0].rank == 0 else None
    context = {
        "q": text,
        "suggestion": suggestion,
        "groups": groups,
        "total": sum(len(results) for _, _, results in groups),
        "limit": SEARCH_LIMIT,
        "candidates": SEARCH_CANDIDATES,
        "canonical_url": _canonical(request, keep_query=True),
    }
    return render(request, "heritage/search.html", context)


# Charts ----------------------------------------------------------------------


def _chart(request, incidents, title):
    # Charts are cached publicly (max-age), so they draw what anonymous readers see.
    bounds = incidents.published().values_list("date_earliest", "date_latest")
    chart = charts.incidents_per_month(bounds, title)
    response = render(request, "heritage/chart.svg", {"chart": chart}, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=600"
    return response


def site_chart(request, slug):
    site = get_object_or_404(Site, slug=slug)
    return _chart(request, Incident.objects.of_site(site), _("Incidents at %(site)s") % {"site": site.localized_name})


def country_chart(request, code):
    name = _country_name(code)
    return _chart(request, Incident.objects.in_country(code), _("Incidents in %(country)s") % {"country": name})


def category_chart(request, slug):
    category = get_object_or_404(ThreatCategory, slug=slug)
    return _chart(
        request, Incident.objects.in_category(category), _("Incidents: %(category)s") % {"category": category.localized_label}
    )


def _country_name(code):
    name = countries.name(code.upper())
    if not name:
        raise Http404(_("No country with the code “%(code)s”.") % {"code": code})
    return name


def release_list(request):
    """Every release of the published record, latest first, with how to cite it and its checksums."""
    releases = list(Release.objects.latest_first())
    for release in releases:
        release.citation_text = release.citation(request)
        release.download_url = settings.RELEASE_DOWNLOAD_URL.format(version=release.version)
    context = {
        "releases": releases,
        "licence_name": settings.DATA_LICENCE_NAME,
        "licence_url": settings.DATA_LICENCE_URL,
        "canonical_url": _canonical(request),
    }
    return render(request, "heritage/release_list.html", context)
