"""A site's API detail as an anonymous reader gets it, built once per write instead of once per read.

The write path (RiskProfile.objects.record_changed() → StoredSiteDetail.objects.refresh()) calls
anonymous_details() for the sites a write touched; SiteViewSet.retrieve() answers an anonymous
reader with stored_response(). Both go through the API's own view and serializer
(SiteViewSet.representation()), so the stored JSON is the serializer's, byte for byte: who may see
what (published facts only, a protected location generalised or hidden) is decided where it always is.
"""

import functools
import hashlib
import importlib
import json
import secrets

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from apikit.base import etag_matches, etag_of
from config.response_cache import tag_response

# The modules whose code shapes the stored JSON: the serializers and their fields, the view that reads a site's
# record, and the model methods they call (who sees which point, dates and risk reasons in words).
SHAPED_BY = [
    "apikit.base", "heritage.api.serializers", "heritage.api.stored", "heritage.api.views", "heritage.models",
    "heritage.opendata.lpf", "heritage.risk", "sites.dates", "sites.languages", "sites.linked_data", "sites.locations",
    "sites.models", "sites.text",
]


@functools.cache
def code_version():
    """A digest of the SHAPED_BY modules' source: what a deploy changes there leaves the details stored before
    it unserved (built per request, as they then would be) until manage.py refresh_risk_profiles stores them
    again, so that no reader gets JSON an older serializer made."""
    digest = hashlib.sha256()
    for name in SHAPED_BY:
        with open(importlib.import_module(name).__file__, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()[:32]


class _AnonymousReader(HttpRequest):
    """A GET by an anonymous reader whose absolute URLs begin with ``origin`` instead of a scheme and host."""

    def __init__(self, origin):
        super().__init__()
        self.method = "GET"
        self.user = AnonymousUser()
        self.origin = origin

    def build_absolute_uri(self, location=None):
        return self.origin + location


def anonymous_details(site_pks):
    """{site pk: (detail, list item, LPF feature, origin marker, pks of the sites the detail names)} for the sites
    that exist among these.

    The detail and the list item are the JSON the API renders for an anonymous reader in the default
    language, the LPF feature the one the Linked Places dump gives them (lpf.anonymous_features()), their
    absolute URLs starting with the origin marker: random, so that no text an editor wrote before it was drawn
    can contain it (stored_response(), stored_page() and lpf.anonymous_dump_in_chunks() replace it).
    """
    from heritage.api.views import SiteViewSet  # the views import the models, which call this
    from heritage.opendata import lpf

    origin = f"origin-{secrets.token_hex(16)}"
    reader = _AnonymousReader(origin)
    view = SiteViewSet(request=reader, action="retrieve", format_kwarg=None, args=(), kwargs={})
    renderer = JSONRenderer()
    details = {}
    prefix = get_script_prefix()
    set_script_prefix("/")  # the reader's own prefix goes in with its origin
    try:
        with translation.override(settings.LANGUAGE_CODE):
            sites = list(view.get_queryset().filter(pk__in=site_pks))
            shown = view.with_records(sites)
            # As view.representation() serializes one site, with the serializer's fields built once for all.
            context = view.get_serializer_context()
            detail_class = view.detail_serializer_class or view.serializer_class
            data = detail_class(sites, many=True, context=context).data
            items = view.serializer_class(sites, many=True, context=context).data  # as SiteViewSet.list() gives them
            features = lpf.anonymous_features([site.pk for site in sites], origin)
            for site, detail, item, names in zip(sites, data, items, shown, strict=True):
                details[site.pk] = (renderer.render(detail).decode(), renderer.render(item).decode(),
                                    features[site.pk], origin, names)
    finally:
        set_script_prefix(prefix)
    return details


def serves_stored(request):
    """Whether this request gets the stored detail: an anonymous reader, in the default language, asking
    for plain JSON (no ``indent`` or other media type parameter)."""
    return (
        not request.user.is_authenticated
        and request.accepted_media_type == JSONRenderer.media_type
        and translation.get_language() == settings.LANGUAGE_CODE
    )


def stored_response(request, stored):
    """The response SiteViewSet.retrieve() would build, from a stored (body, origin, sites shown):
    the same bytes and ETag, 304 when If-None-Match names it, tagged with the sites it shows."""
    body, origin, shown = stored
    body = body.replace(origin, request.build_absolute_uri(get_script_prefix())[:-1])
    etag = etag_of(json.loads(body))
    if etag_matches(request.headers.get("If-None-Match", ""), etag, weak=True):
        response = HttpResponse(status=304, headers={"ETag": etag})
        del response["Content-Type"]
    else:
        response = HttpResponse(body.encode(), content_type=JSONRenderer.media_type, headers={"ETag": etag})
    return tag_response(response, shown)


def stored_page(request, envelope, rows, built):
    """The page SiteViewSet.list() would build, from the paginator's ``envelope`` (its response for no
    results), rows of stored list items (StoredSiteDetail.objects.list_items_of()) and {pk: the serializer's
    item} for the rows with none stored."""
    origin = request.build_absolute_uri(get_script_prefix())[:-1]
    renderer = JSONRenderer()
    data = dict(envelope.data)
    data.pop("results")
    head = renderer.render({**data, "results": []}).decode().removesuffix("[]}")
    items = ",".join(
        row["list_item"].replace(row["origin"], origin) if row["list_item"] is not None
        else renderer.render(built[row["pk"]]).decode()
        for row in rows
    )
    return HttpResponse(f"{head}[{items}]}}".encode(), content_type=JSONRenderer.media_type)
