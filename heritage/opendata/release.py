"""A release: the published record as versioned, reproducible files that can be cited and loaded again.

``manage.py release --output DIR`` writes them; ``manage.py load_release DIR`` loads one into an empty
database. The same record gives byte-identical files: rows are sorted, JSON keys keep one order, and
the only date written is the release's own. Points are those anonymous readers see
(Site.objects.with_points_for(None), Site.point_for(None)), so a release never holds a protected one.

Files:
  record.json             the published record as a Django fixture with natural keys (what load_release reads)
  sites.csv, incidents.csv  tables for spreadsheets
  sites.geojson           RFC 7946 FeatureCollection
  sites.lpf.jsonld        Linked Places Format (heritage/opendata/lpf.py)
  sites.jsonld            schema.org JSON-LD graph (sites/linked_data.py)
  quality.md              data-quality report: counts only, never the content of a draft
  README.md               what it is, licence, how to cite, changes since the previous release
  dcat.jsonld             DCAT description of the dataset and its distributions
  ro-crate-metadata.json  RO-Crate 1.1 metadata
  SHA256SUMS              checksums of every other file (sha256sum -c SHA256SUMS)
"""

import csv
import hashlib
import io
import json

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Prefetch, Q

from heritage.models import (
    Actor,
    Citation,
    ConditionAssessment,
    ConditionState,
    DamageExtent,
    DamageTrend,
    Effect,
    HistoryEvent,
    Incident,
    Quotation,
    Source,
    Status,
    ThreatCategory,
)
from heritage.opendata import lpf
from heritage.opendata.changes import changes_since
from sites.linked_data import site_feature, site_json_ld, site_uri
from sites.models import Certainty, Designation, Identifier, NameKind, Site, SiteKind, SiteName

TITLE = "Heritage at Risk"
DATA_FILES = ["record.json", "sites.csv", "incidents.csv", "sites.geojson", "sites.lpf.jsonld", "sites.jsonld"]
MEDIA_TYPES = {
    "record.json": "application/json",
    "sites.csv": "text/csv",
    "incidents.csv": "text/csv",
    "sites.geojson": "application/geo+json",
    "sites.lpf.jsonld": "application/ld+json",
    "sites.jsonld": "application/ld+json",
    "quality.md": "text/markdown",
    "README.md": "text/markdown",
    "dcat.jsonld": "application/ld+json",
    "ro-crate-metadata.json": "application/ld+json",
}
DESCRIPTIONS = {
    "record.json": "The published record as a Django fixture with natural keys: load it with manage.py load_release.",
    "sites.csv": "Every site, one row each; countries separated by |.",
    "incidents.csv": "Every published incident, one row each; sites separated by |.",
    "sites.geojson": "Every site as an RFC 7946 GeoJSON Feature.",
    "sites.lpf.jsonld": "Every site in the Linked Places Format (v1.2.2).",
    "sites.jsonld": "Every site as schema.org JSON-LD.",
    "quality.md": "Data-quality report: sites without coordinates, facts with a single source, drafts waiting.",
}
VOCABULARIES = [SiteKind, NameKind, Certainty, ConditionState, DamageExtent, DamageTrend, Effect, Actor]
FACTS = [HistoryEvent, Incident, ConditionAssessment]


def dumps(document):
    """JSON as every file of a release writes it: UTF-8, indented, keys in the order they were built."""
    # Django's encoder writes dates and times as dumpdata does, so record.json reads as any fixture.
    return (json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1) + "\n").encode()


def sha256(content):
    return hashlib.sha256(content).hexdigest()


# record.json ------------------------------------------------------------------


def _rows(queryset, drop_pk=False):
    rows = serializers.serialize("python", queryset, use_natural_foreign_keys=True, use_natural_primary_keys=True)
    for row in rows:
        if drop_pk:  # no natural key: created afresh on load, like the curated fixtures' rows of that kind
            row.pop("pk", None)
        for name, value in row["fields"].items():
            if isinstance(value, list) and value and isinstance(value[0], list):  # many-to-many natural keys
                row["fields"][name] = sorted(value)
    return rows


def record_fixture():
    """The published record as fixture rows: vocabularies, sites as anonymous readers see them, published
    sources, facts and the citations between published ones. Risk profiles are derived, and recomputed on load."""
    rows = []
    for vocabulary in VOCABULARIES:
        rows += _rows(vocabulary.objects.order_by("slug"))
    rows += _rows(ThreatCategory.objects.select_related("parent").order_by(F("parent__slug").asc(nulls_first=True), "slug"))
    sites = list(Site.objects.with_points_for(None).select_related("kind", "parent", "location_certainty")
                 .order_by("slug"))
    for site, row in zip(sites, _rows(sites), strict=True):
        # The point readers see, stored as a site's own so that loading and releasing again gives it back:
        # a cell centre generalises to itself, and the uncertainty is the recorded one, which readers can tell
        # from theirs (widened by a fixed amount) anyway.
        shown = site.point_latitude is not None
        row["fields"].update(latitude=site.point_latitude, longitude=site.point_longitude,
                             coordinate_uncertainty_m=site.coordinate_uncertainty_m if shown else None)
        if not site.shows_exact_location_to(None):
            row["fields"]["location_source"] = ""  # sources often quote the coordinates they give
        rows.append(row)
    rows += _rows(SiteName.objects.select_related("site", "kind").order_by("site__slug", "language", "name"))
    rows += _rows(Identifier.objects.select_related("site").order_by("authority", "value"))
    rows += _rows(Designation.objects.select_related("site").order_by("site__slug", "kind", "start", "end"), drop_pk=True)
    published = Source.objects.published()
    slugs = set(published.values_list("slug", flat=True))
    for row in _rows(published.prefetch_related("relies_on").order_by("slug")):
        row["fields"]["relies_on"] = [key for key in row["fields"]["relies_on"] if key[0] in slugs]
        row["fields"]["story"] = None  # stories are the editors' grouping of reports, not part of the record
        rows.append(row)
    rows += _rows(Quotation.objects.filter(source__in=published).select_related("source")
                  .order_by("source__slug", "text", "locator"), drop_pk=True)
    rows += _rows(HistoryEvent.objects.published().prefetch_related("sites").order_by("slug"))
    rows += _rows(Incident.objects.published().select_related("category", "certainty", "effect", "damage_extent", "actor")
                  .prefetch_related("sites").order_by("slug"))
    rows += _rows(ConditionAssessment.objects.published().select_related("site", "state", "damage_extent", "trend")
                  .order_by("site__slug", "date", "assessor"))
    citations = Citation.objects.select_related("source", "event", "incident", "assessment__site").filter(
        source__in=published
    ).filter(
        Q(event__in=HistoryEvent.objects.published())
        | Q(incident__in=Incident.objects.published())
        | Q(assessment__in=ConditionAssessment.objects.published())
    ).order_by("source__slug", "event__slug", "incident__slug", "assessment__site__slug", "assessment__date",
               "assessment__assessor", "locator", "quote")
    rows += _rows(citations, drop_pk=True)
    return rows


# Tables, GeoJSON, Linked Places, JSON-LD --------------------------------------

SITE_COLUMNS = [
    "slug", "name", "kind", "parent", "countries", "latitude", "longitude", "coordinate_uncertainty_m",
    "location_generalised", "location_certainty", "built", "summary", "uri",
]
INCIDENT_COLUMNS = [
    "slug", "title", "date", "date_display", "sites", "category", "claim", "certainty", "effect", "damage_extent",
    "actor", "sources",
]


def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def sites_csv(sites):
    def cell(value):
        return "" if value is None else value

    return _csv(SITE_COLUMNS, ([
        site.slug, site.name, site.kind.slug, site.parent.slug if site.parent_id else "",
        "|".join(country.code for country in site.countries), cell(site.point_latitude), cell(site.point_longitude),
        cell(site.point_uncertainty_m), site.point_generalised if site.point_latitude is not None else "",
        site.location_certainty.slug if site.location_certainty_id else "", site.built, site.summary, site_uri(site),
    ] for site in sites))


def incidents_csv():
    published = Source.objects.published()
    incidents = Incident.objects.published().select_related(
        "category", "certainty", "effect", "damage_extent", "actor"
    ).prefetch_related(
        Prefetch("sites", queryset=Site.objects.order_by("slug")),
        Prefetch("citations", queryset=Citation.objects.filter(source__in=published).select_related("source")),
    ).order_by("slug")

    def slug(term):
        return term.slug if term else ""

    return _csv(INCIDENT_COLUMNS, ([
        incident.slug, incident.title, incident.date, incident.date_display,
        "|".join(site.slug for site in incident.sites.all()), incident.category.slug, incident.claim,
        slug(incident.certainty), slug(incident.effect), slug(incident.damage_extent), slug(incident.actor),
        "|".join(sorted({citation.source.slug for citation in incident.citations.all()})),
    ] for incident in incidents))


def sites_geojson(sites):
    return dumps({"type": "FeatureCollection", "features": [site_feature(site, None) for site in sites]})


def sites_lpf(sites):
    return dumps(lpf.feature_collection(lpf.site_feature(site) for site in sites))


def sites_jsonld(sites):
    graph = []
    for site in sites:
        document = site_json_ld(site, None)
        del document["@context"]
        graph.append(document)
    return dumps({"@context": "https://schema.org", "@graph": graph})


# Quality report --------------------------------------------------------------


def quality_counts():
    """What the quality report counts: sites without a recorded point, published facts resting on one
    published source, drafts waiting. Counts only: nothing of a draft but that it exists."""
    sites = Site.objects.all()
    single = {}
    for model in FACTS:
        cited = model.objects.published().annotate(
            sources=Count("citations__source", filter=Q(citations__source__status=Status.PUBLISHED), distinct=True)
        )
        single[model._meta.verbose_name_plural] = (cited.filter(sources=1).count(), cited.count())
    drafts = {
        model._meta.verbose_name_plural: model.objects.filter(status=Status.DRAFT).count()
        for model in (Source, *FACTS)
    }
    return {
        "sites": sites.count(),
        "sites_without_coordinates": sites.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)).count(),
        "sites_with_protected_locations": sites.exclude(location_sensitivity=Site.LocationSensitivity.PUBLIC).count(),
        "single_source": single,
        "drafts": drafts,
    }


def quality_report(version, counts):
    lines = [
        f"# Data-quality report, release {version}",
        "",
        "Counts only: a draft's content is never part of a release.",
        "",
        "## Sites",
        "",
        f"- {counts['sites']} sites, {counts['sites_without_coordinates']} of them without coordinates.",
        f"- {counts['sites_with_protected_locations']} with a protected location (generalised or hidden): "
        "their points in this release are generalised to a 0.1° cell, or left out.",
        "",
        "## Published facts resting on a single published source",
        "",
        "| facts | with one source | published |",
        "|---|---|---|",
        *(f"| {name} | {one} | {total} |" for name, (one, total) in counts["single_source"].items()),
        "",
        "## Drafts waiting for review",
        "",
        "| records | drafts |",
        "|---|---|",
        *(f"| {name} | {number} |" for name, number in counts["drafts"].items()),
        "",
    ]
    return "\n".join(lines).encode()


# README, DCAT, RO-Crate, checksums --------------------------------------------


DESCRIPTION = (
    "The published record of Heritage at Risk, an open knowledge base of cultural heritage under threat: sites "
    "with their names in every language and script, identifiers and designations; the sources that report on "
    "them, graded on the Admiralty scale; dated history events, incidents and condition assessments, each citing "
    "its sources. Protected locations are generalised or left out."
)


def changelog(previous):
    """Markdown lines: what changed in the published record since the previous release (a Release, or None)."""
    if previous is None:
        return ["First release."]
    changes = changes_since(previous.record_as_of)
    lines = [f"Since release {previous.version} ({previous.released.isoformat()}):", ""]
    if not changes:
        return [*lines, "No change."]
    totals = {}
    for change in changes:
        totals[(change.type, change.change)] = totals.get((change.type, change.change), 0) + 1
    lines += [f"- {kind}s {what}: {number}" for (kind, what), number in sorted(totals.items())]
    lines += ["", "| record | id | change |", "|---|---|---|"]
    lines += [f"| {change.type} | {change.id} | {change.change} |"
              for change in sorted(changes, key=lambda change: (change.type, change.id))]
    return lines


def readme(info, changes):
    counts = "\n".join(f"| {name} | {number} |" for name, number in info.counts.items())
    files = "\n".join(f"| `{name}` | {DESCRIPTIONS[name]} |" for name in [*DATA_FILES, "quality.md"])
    text = f"""# {info.title}

Released {info.released.isoformat()}. {DESCRIPTION}

## Licence

{settings.DATA_LICENCE_NAME}: {settings.DATA_LICENCE_URL}

## How to cite

{info.citation()}

## Contents

| file | what it holds |
|---|---|
{files}
| `dcat.jsonld` | DCAT description of this dataset and its files. |
| `ro-crate-metadata.json` | RO-Crate metadata of this release. |
| `SHA256SUMS` | SHA-256 of every other file: `sha256sum -c SHA256SUMS`. |

| records | count |
|---|---|
{counts}

Points are those anonymous readers see: a site whose location is protected has its point generalised
to the centre of a 0.1° grid cell, or none. Dates are EDTF as recorded. `manage.py load_release DIR`
loads `record.json` into an empty database of the Heritage at Risk software.

## Changes

""" + "\n".join(changes) + "\n"
    return text.encode()


def dcat(info, files):
    return dumps({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": info.uri(),
        "@type": "dcat:Dataset",
        "dct:title": info.title,
        "dct:description": DESCRIPTION,
        "dct:issued": {"@value": info.released.isoformat(), "@type": "xsd:date"},
        "dcat:version": info.version,
        "dct:license": {"@id": settings.DATA_LICENCE_URL},
        "dct:bibliographicCitation": info.citation(),
        "dcat:landingPage": {"@id": info.uri().partition("#")[0]},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": name,
                "dct:description": DESCRIPTIONS[name],
                "dcat:downloadURL": {"@id": name},  # beside this file, wherever the release is published
                "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[name]}"},
                "dcat:byteSize": {"@value": str(len(content)), "@type": "xsd:nonNegativeInteger"},
                "spdx:checksum": {
                    "@type": "spdx:Checksum",
                    "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                    "spdx:checksumValue": sha256(content),
                },
            }
            for name, content in files.items()
        ],
    })


def ro_crate(info, files):
    parts = [*files, "README.md", "dcat.jsonld"]
    return dumps({
        "@context": "https://w3id.org/ro/crate/1.2/context",
        "@graph": [
            {
                "@id": "ro-crate-metadata.json",
                "@type": "CreativeWork",
                "conformsTo": {"@id": "https://w3id.org/ro/crate/1.2"},
                "about": {"@id": "./"},
            },
            {
                "@id": "./",
                "@type": "Dataset",
                "name": info.title,
                "description": DESCRIPTION,
                "datePublished": info.released.isoformat(),
                "version": info.version,
                "license": {"@id": settings.DATA_LICENCE_URL},
                "url": info.uri(),
                "hasPart": [{"@id": name} for name in parts],
            },
            {"@id": settings.DATA_LICENCE_URL, "@type": "CreativeWork", "name": settings.DATA_LICENCE_NAME},
            *(
                {
                    "@id": name,
                    "@type": "File",
                    "name": name,
                    "description": DESCRIPTIONS.get(name, "About this release."),
                    "encodingFormat": MEDIA_TYPES[name],
                    "contentSize": str(len(content)),
                    "sha256": sha256(content),
                }
                for name, content in files.items()
            ),
        ],
    })


def checksums(files):
    return "".join(f"{sha256(content)}  {name}\n" for name, content in sorted(files.items())).encode()


def build(info, previous=None):
    """{file name: bytes} of a release of the record as it stands. ``info`` is the Release being made (its
    version, date and counts), ``previous`` the release before it, whose changes since go into the README."""
    sites = list(lpf.sites_for_lpf(None))  # every site (sites have no drafts), as anonymous readers see them
    files = {
        "record.json": dumps(record_fixture()),
        "sites.csv": sites_csv(sites),
        "incidents.csv": incidents_csv(),
        "sites.geojson": sites_geojson(sites),
        "sites.lpf.jsonld": sites_lpf(sites),
        "sites.jsonld": sites_jsonld(sites),
    }
    files["quality.md"] = quality_report(info.version, quality_counts())
    described = dict(files)
    files["README.md"] = readme(info, changelog(previous))
    files["dcat.jsonld"] = dcat(info, described)
    files["ro-crate-metadata.json"] = ro_crate(info, described)
    files["SHA256SUMS"] = checksums(files)
    return files


def record_counts():
    """How many of each kind of record a release of the record as it stands holds."""
    return {
        "sites": Site.objects.count(),
        "site names": SiteName.objects.count(),
        "sources": Source.objects.published().count(),
        "history events": HistoryEvent.objects.published().count(),
        "incidents": Incident.objects.published().count(),
        "condition assessments": ConditionAssessment.objects.published().count(),
    }
