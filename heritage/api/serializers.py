import langcodes
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from apikit.base import COUNTRY_CHOICES, ModelValidationMixin, RecordURLField, SlugLinkField, StrictTypesMixin
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
    ThreatCategory,
)
from sites.models import Certainty, Designation, Identifier, Site, SiteKind, SiteName

API = "http://127.0.0.1:8000/api/v1"
RECORD_FIELDS = ["status", "published_at", "created", "updated"]
DATE_FIELDS = ["date", "date_display", "date_earliest", "date_latest"]
DATE_HELP = {
    "date_earliest": "Julian Day Number of the earliest day the date can mean (sortable across BCE and AD).",
    "date_latest": "Julian Day Number of the latest day the date can mean.",
}


def term(model, help_text, **kwargs):
    """A vocabulary entry: written as its slug, read as {slug, label}."""
    return SlugLinkField(queryset=model.objects.all(), label_field="label", help_text=help_text, **kwargs)


def optional_term(model, help_text):
    return term(model, help_text, allow_null=True, required=False)


def site_links(**kwargs):
    return SlugLinkField(
        many=True, queryset=Site.objects.all(), view_name="api:site-detail", allow_empty=False,
        help_text="The sites concerned, by slug.", **kwargs,
    )


class CitationSerializer(StrictTypesMixin, serializers.ModelSerializer):
    source = SlugLinkField(
        queryset=Source.objects.all(), view_name="api:source-detail", label_field="title",
        help_text="The source cited, by slug.",
    )

    class Meta:
        model = Citation
        fields = ["source", "locator", "quote"]


class CitedSerializer(ModelValidationMixin, serializers.ModelSerializer):
    """A dated fact with its citations; a published one must cite at least one published source.

    Writing ``citations`` replaces them all; leaving it out keeps them.
    """

    citations = CitationSerializer(
        many=True, required=False, source="visible_citations",
        help_text="The sources for this fact. On write, the full list (it replaces the current one).",
    )
    date_display = serializers.CharField(read_only=True, help_text="The date in words (“41 BC”, “c. AD 140–160”).")

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name, text in DATE_HELP.items():
            extra.setdefault(name, {})["help_text"] = text
        return extra

    def validate_record(self, instance, attrs):
        citations = attrs.get("visible_citations")
        # Left out, the citations are kept: the instance (a copy of the stored one) reads them.
        sources = None if citations is None else [citation["source"] for citation in citations]
        try:
            instance.check_publishable(sources=sources)
        except DjangoValidationError as error:
            return {"citations": error.messages}
        return {}

    def create(self, validated_data):
        citations = validated_data.pop("visible_citations", [])
        instance = super().create(validated_data)
        self.replace_citations(instance, citations)
        return instance

    def update(self, instance, validated_data):
        citations = validated_data.pop("visible_citations", None)
        instance = super().update(instance, validated_data)
        if citations is not None:
            self.replace_citations(instance, citations)
        return instance

    def replace_citations(self, fact, citations):
        # One by one, not in bulk, so that each lands in the audit trail.
        field = {HistoryEvent: "event", Incident: "incident", ConditionAssessment: "assessment"}[type(fact)]
        for citation in fact.citations.all():
            citation.delete()
        for citation in citations:
            Citation.objects.create(**{field: fact}, **citation)


UNOSAT_TITLE = "[UNITAR-UNOSAT satellite imagery analysis: destruction of the Temple of Bel, Palmyra]"
CITATION_EXAMPLE = [{"source": {"slug": "unosat-2015-temple-of-bel", "title": UNOSAT_TITLE,
                                "url": f"{API}/sources/unosat-2015-temple-of-bel/"},
                     "locator": "", "quote": ""}]


@extend_schema_serializer(examples=[
    OpenApiExample("Temple of Bel blown up", response_only=True, value={
        "url": f"{API}/incidents/temple-of-bel-destroyed-2015/", "slug": "temple-of-bel-destroyed-2015",
        "title": "Temple of Bel blown up", "title_ar": "",
        "description": "Reported blown up on 30 August 2015 by the Syrian Observatory for Human Rights; satellite "
                       "imagery of 31 August analysed by UNITAR-UNOSAT confirmed its destruction.",
        "date": "2015-08-30", "date_display": "30 August 2015",
        "date_earliest": 2457265, "date_latest": 2457265,
        "sites": [{"slug": "temple-of-bel", "name": "Temple of Bel", "url": f"{API}/sites/temple-of-bel/"}],
        "category": {"slug": "deliberate-destruction-of-heritage", "label": "Deliberate destruction of heritage",
                     "url": f"{API}/categories/deliberate-destruction-of-heritage/"},
        "claim": "confirmed", "certainty": {"slug": "high", "label": "High"},
        "effect": {"slug": "collapse-structural-damage", "label": "Collapse/Structural Damage"}, "damage_extent": None,
        "actor": {"slug": "islamic-state", "label": "Islamic State"},
        "citations": CITATION_EXAMPLE, "status": "published", "published_at": "2026-11-24T12:00:00Z",
        "created": "2026-11-24T12:00:00Z", "updated": "2026-11-24T12:00:00Z",
    }),
    OpenApiExample("Report a new incident", request_only=True, value={
        "slug": "temple-of-bel-destroyed-2015", "title": "Temple of Bel blown up", "date": "2015-08-30",
        "sites": ["temple-of-bel"], "category": "deliberate-destruction-of-heritage", "claim": "alleged",
        "status": "draft",
    }),
])
class IncidentSerializer(CitedSerializer):
    """Something that happened to, or threatens, one or more sites, as reported."""

    url = RecordURLField("api:incident-detail")
    sites = site_links()
    category = SlugLinkField(
        queryset=ThreatCategory.objects.all(), view_name="api:category-detail", label_field="label",
        help_text="UNESCO threat category (primary or secondary factor), by slug.",
    )
    certainty = optional_term(Certainty, "EAMENA certainty that the cause is right, by slug.")
    effect = optional_term(Effect, "EAMENA effect, by slug.")
    damage_extent = optional_term(DamageExtent, "EAMENA damage extent, by slug.")
    actor = optional_term(Actor, "Who did it, as the sources name them, by slug.")

    class Meta:
        model = Incident
        fields = [
            "url", "slug", "title", "title_ar", "description", *DATE_FIELDS, "sites", "category", "claim", "certainty",
            "effect", "damage_extent", "actor", "citations", *RECORD_FIELDS,
        ]


class IncidentDetailSerializer(IncidentSerializer):
    """One incident, with how many independent primary sources support it."""

    independent_primary_sources = serializers.SerializerMethodField(
        help_text="How many independent primary sources support the incident: the sources its citations rely on, "
        "followed to the ones that rely on nothing, each once (two reports of one monitoring group's claim count "
        "once); published sources only, unless the user may change sources (Incident.independent_primary_sources)."
    )

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "independent_primary_sources"]

    def get_independent_primary_sources(self, incident) -> int:
        request = self.context.get("request")
        return incident.independent_primary_sources(request.user if request else None).count()


@extend_schema_serializer(examples=[
    OpenApiExample("The Temple of Bel consecrated", response_only=True, value={
        "url": f"{API}/events/temple-of-bel-consecrated/", "slug": "temple-of-bel-consecrated", "kind": "dedication",
        "title": "Temple of Bel consecrated", "title_ar": "", "description": "", "date": "0032",
        "date_display": "AD 32",
        "date_earliest": 1732746, "date_latest": 1733111, "confidence": "high",
        "sites": [{"slug": "temple-of-bel", "name": "Temple of Bel", "url": f"{API}/sites/temple-of-bel/"}],
        "citations": [], "status": "published", "published_at": "2026-11-24T16:00:00Z",
        "created": "2026-11-24T16:00:00Z", "updated": "2026-11-24T16:00:00Z",
    }),
    OpenApiExample("Record an event", request_only=True, value={
        "slug": "mark-antony-raids-palmyra", "kind": "conflict", "title": "Mark Antony's cavalry raids Palmyra",
        "date": "-0040", "confidence": "medium-high", "sites": ["palmyra"], "status": "draft",
    }),
])
class HistoryEventSerializer(CitedSerializer):
    """A dated event in the history of one or more sites."""

    url = RecordURLField("api:event-detail")
    sites = site_links()

    class Meta:
        model = HistoryEvent
        fields = [
            "url", "slug", "kind", "title", "title_ar", "description", *DATE_FIELDS, "confidence", "sites", "citations",
            *RECORD_FIELDS,
        ]


@extend_schema_serializer(examples=[
    OpenApiExample("Temple of Bel after August 2015", response_only=True, value={
        "url": f"{API}/assessments/7/", "id": 7,
        "site": {"slug": "temple-of-bel", "name": "Temple of Bel", "url": f"{API}/sites/temple-of-bel/"},
        "state": {"slug": "destroyed", "label": "Destroyed"}, "damage_extent": None, "trend": None,
        "assessor": "UNITAR-UNOSAT", "notes": "Satellite images of 27 and 31 August 2015 show the temple destroyed.",
        "date": "2015-08-31", "date_display": "31 August 2015",
        "date_earliest": 2457266, "date_latest": 2457266, "citations": CITATION_EXAMPLE, "status": "published",
        "published_at": "2026-11-24T12:00:00Z", "created": "2026-11-24T12:00:00Z", "updated": "2026-11-24T12:00:00Z",
    }),
    OpenApiExample("Record an assessment", request_only=True, value={
        "site": "temple-of-bel", "state": "destroyed", "assessor": "UNITAR-UNOSAT", "date": "2015-08-31",
        "status": "draft",
    }),
])
class ConditionAssessmentSerializer(CitedSerializer):
    """What state a site was in on a date, and who judged so."""

    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-detail")
    site = SlugLinkField(queryset=Site.objects.all(), view_name="api:site-detail", help_text="The site, by slug.")
    state = term(ConditionState, "EAMENA overall condition, by slug (good, fair, poor, very-bad, destroyed, unknown).")
    damage_extent = optional_term(DamageExtent, "EAMENA damage extent, by slug.")
    trend = optional_term(DamageTrend, "EAMENA damage trend, by slug.")

    class Meta:
        model = ConditionAssessment
        fields = [
            "url", "id", "site", "state", "damage_extent", "trend", "assessor", "notes", *DATE_FIELDS, "citations",
            *RECORD_FIELDS,
        ]


class QuotationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quotation
        fields = ["text", "supports", "locator"]


@extend_schema_serializer(examples=[
    OpenApiExample("UNOSAT imagery analysis", response_only=True, value={
        "url": f"{API}/sources/unosat-2015-temple-of-bel/", "slug": "unosat-2015-temple-of-bel", "kind": "imagery",
        "title": UNOSAT_TITLE, "publisher": "UNITAR-UNOSAT", "authors": "", "document_url": "",
        "archived_url": "", "archived_on": None, "published": "2015-08-31/2015-09-01",
        "published_display": "31 August 2015 – 1 September 2015", "language": "en",
        "summary": "Comparison of satellite images of 27 and 31 August 2015 (UrtheCast, Airbus DS) showing the Temple "
                   "of Bel destroyed. Known through Reuters' report of it.",
        "summary_ar": "", "reliability": "A", "credibility": "1", "grading": "A1", "graphic": False,
        "relies_on": [], "quotations": [], "status": "published", "published_at": "2026-11-24T12:00:00Z",
        "created": "2026-11-24T12:00:00Z", "updated": "2026-11-24T12:00:00Z",
    }),
    OpenApiExample("Add a source", request_only=True, value={
        "slug": "unosat-2015-temple-of-bel", "kind": "imagery", "title": UNOSAT_TITLE,
        "publisher": "UNITAR-UNOSAT", "published": "2015-08-31/2015-09-01", "reliability": "A", "credibility": "1",
        "status": "draft",
    }),
])
class SourceSerializer(ModelValidationMixin, serializers.ModelSerializer):
    """A document that reports something, graded with the Admiralty system."""

    url = RecordURLField("api:source-detail")
    document_url = serializers.URLField(
        source="url", max_length=1000, required=False, allow_blank=True, help_text="Where the document is online."
    )
    published_display = serializers.CharField(read_only=True, help_text="The publication date in words.")
    grading = serializers.CharField(read_only=True, help_text="Admiralty code: reliability and credibility, e.g. B2.")
    relies_on = SlugLinkField(
        many=True, queryset=Source.objects.all(), view_name="api:source-detail", label_field="title",
        required=False, help_text="Sources this one repeats, by slug.",
    )
    quotations = QuotationSerializer(many=True, read_only=True)

    class Meta:
        model = Source
        fields = [
            "url", "slug", "kind", "title", "publisher", "authors", "document_url", "archived_url", "archived_on",
            "published", "published_display", "language", "summary", "summary_ar", "reliability", "credibility",
            "grading",
            "graphic", "relies_on", "quotations", *RECORD_FIELDS,
        ]
        extra_kwargs = {"published_earliest": {"help_text": DATE_HELP["date_earliest"]}}

    def validate_language(self, value):
        if not langcodes.tag_is_valid(value):
            raise serializers.ValidationError(f"“{value}” is not a BCP 47 language tag (e.g. en, ar, fr).")
        return value

    def validate_record(self, instance, attrs):
        relies_on = attrs.get("relies_on") or []
        if self.instance is not None and any(source.pk == self.instance.pk for source in relies_on):
            return {"relies_on": ["A source cannot rely on itself."]}
        return {}


@extend_schema_serializer(examples=[
    OpenApiExample("A secondary factor", response_only=True, value={
        "url": f"{API}/categories/deliberate-destruction-of-heritage/", "slug": "deliberate-destruction-of-heritage",
        "label": "Deliberate destruction of heritage", "label_ar": "", "code": "", "description": "",
        "parent": {"slug": "other-human-activities", "label": "Other human activities",
                   "url": f"{API}/categories/other-human-activities/"},
        "children": [],
    }),
])
class ThreatCategorySerializer(serializers.ModelSerializer):
    """One of UNESCO's factors affecting World Heritage properties (two levels)."""

    url = RecordURLField("api:category-detail")
    parent = SlugLinkField(read_only=True, view_name="api:category-detail", label_field="label", allow_null=True)
    children = SlugLinkField(many=True, read_only=True, view_name="api:category-detail", label_field="label")

    class Meta:
        model = ThreatCategory
        fields = ["url", "slug", "label", "label_ar", "code", "description", "parent", "children"]


# Sites ----------------------------------------------------------------------


class CountriesField(serializers.ListField):
    """ISO 3166-1 alpha-2 codes, e.g. ["SY"]; transboundary sites have several."""

    child = serializers.ChoiceField(choices=COUNTRY_CHOICES)

    def to_representation(self, data):
        return [country.code for country in data]


class RiskProfileSerializer(serializers.Serializer):
    """The site's current condition and risk, as the record stands (absent until first computed)."""

    condition = SlugLinkField(
        read_only=True, allow_null=True, label_field="label",
        help_text="State of the latest published condition assessment (EAMENA), or null when never assessed.",
    )
    in_danger = serializers.BooleanField(read_only=True, help_text="On the List of World Heritage in Danger now.")
    risk_level = serializers.CharField(read_only=True, help_text="critical, high, moderate, low or unknown.")
    risk_reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, source="reasons_in_words",
        help_text="Why the risk rule gave this level, in words, in the language of the answer (`lang`).",
    )
    standing_incidents = serializers.IntegerField(
        read_only=True,
        help_text="Published incidents at the site or any of its parts whose claim is not disputed or retracted.",
    )


class SiteNameSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    is_rtl = serializers.BooleanField(read_only=True, help_text="Written right to left (Arabic, Hebrew, Syriac…).")

    class Meta:
        model = SiteName
        fields = ["name", "language", "kind", "is_rtl", "note"]


class IdentifierSerializer(serializers.ModelSerializer):
    authority_label = serializers.CharField(source="get_authority_display", read_only=True)
    url = serializers.URLField(read_only=True, help_text="The record at the authority, derived from the value.")

    class Meta:
        model = Identifier
        fields = ["authority", "authority_label", "value", "url"]


class DesignationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    period = serializers.CharField(read_only=True, help_text="The dates in words.")
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Designation
        fields = ["kind", "kind_label", "reference", "criteria", "start", "end", "period", "is_current", "note"]


PALMYRA_LIST_ITEM = {
    "url": "http://127.0.0.1:8000/api/v1/sites/palmyra/",
    "slug": "palmyra",
    "name": "Site of Palmyra",
    "kind": {"slug": "archaeological-site", "label": "Archaeological site"},
    "parent": None,
    "countries": ["SY"],
    "latitude": 34.55417,
    "longitude": 38.26667,
    "coordinate_uncertainty_m": None,
    "location_generalised": False,
    "risk_profile": {
        "condition": None,
        "in_danger": True,
        "risk_level": "high",
        "risk_reasons": ["On the List of World Heritage in Danger.", "3 standing incidents on record, none recent."],
        "standing_incidents": 3,
    },
    "updated": "2026-11-24T16:00:00Z",
    "distance_km": None,
}


@extend_schema_serializer(examples=[OpenApiExample("Palmyra", value=PALMYRA_LIST_ITEM, response_only=True)])
class SiteSerializer(ModelValidationMixin, serializers.ModelSerializer):
    """A site in lists: where it is and how it stands."""

    url = RecordURLField("api:site-detail")
    kind = SlugLinkField(queryset=SiteKind.objects.all(), label_field="label", help_text="Kind of site, by slug.")
    parent = SlugLinkField(
        queryset=Site.objects.all(), view_name="api:site-detail", allow_null=True, required=False,
        help_text="The site this one is part of, by slug (the Temple of Bel is part of palmyra).",
    )
    countries = CountriesField(allow_empty=True, required=False)
    risk_profile = RiskProfileSerializer(read_only=True, allow_null=True)
    distance_km = serializers.SerializerMethodField(
        help_text="Geodesic distance from the `near` point in km (whole km to or from a generalised point); "
        "null without `near`."
    )
    location_generalised = serializers.SerializerMethodField(
        help_text="True when latitude and longitude are the centre of the 0.1° grid cell the site lies in, "
        "not its exact point (the site's location is protected; coordinate_uncertainty_m is widened to match)."
    )
    confirm_location = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="Save a point that lies outside every one of the site's countries (a reef, a remote island). "
        "Without it such a write is refused with the reason, and says when latitude and longitude look swapped.",
    )

    # Fields that say exactly where a site is: shown, and changed, only as Site.shows_exact_location_to() allows.
    LOCATION_FIELDS = ("latitude", "longitude", "coordinate_uncertainty_m", "location_source", "location_sensitivity")
    PROTECTED_LOCATION = (
        "Only editors who may see exact locations can change the location of a generalised or hidden site."
    )

    class Meta:
        model = Site
        fields = [
            "url", "slug", "name", "kind", "parent", "countries", "latitude", "longitude", "coordinate_uncertainty_m",
            "location_generalised", "confirm_location", "risk_profile", "updated", "distance_km",
        ]

    def get_distance_km(self, site) -> float | None:
        distance = getattr(site, "distance_km", None)
        return None if distance is None else round(distance, 3)

    def get_location_generalised(self, site) -> bool:
        point = site.point_for(self._user())
        return point is not None and point.generalised

    def _user(self):
        request = self.context.get("request")
        return request.user if request is not None else None

    def _location_as_shown(self, site):
        """The location fields as this serializer's user may see them (Site.point_for())."""
        user = self._user()
        point = site.point_for(user)
        shown = {
            "latitude": point.latitude if point else None,
            "longitude": point.longitude if point else None,
            "coordinate_uncertainty_m": point.uncertainty_m if point else None,
        }
        if site.shows_exact_location_to(user):
            shown.update(location_source=site.location_source, location_sensitivity=site.location_sensitivity)
        else:
            # The source often quotes the coordinates it gives ("Pleiades reprPoint is 34.55…").
            shown.update(location_source="", location_sensitivity=site.location_sensitivity)
        return shown

    def to_representation(self, site):
        data = super().to_representation(site)
        data.update({name: value for name, value in self._location_as_shown(site).items() if name in data})
        return data

    def validate(self, attrs):
        site = self.instance
        if site is not None and not site.shows_exact_location_to(self._user()):
            # A representation sent back unchanged (PUT after GET) is fine: its location fields are dropped.
            shown = self._location_as_shown(site)
            changed = [name for name in self.LOCATION_FIELDS if name in attrs and attrs[name] != shown[name]]
            if changed:
                raise serializers.ValidationError({name: [self.PROTECTED_LOCATION] for name in changed})
            attrs = {name: value for name, value in attrs.items() if name not in self.LOCATION_FIELDS}
        self.location_confirmed = attrs.pop("confirm_location", False)
        return super().validate(attrs)

    def validate_record(self, site, attrs):
        """A point outside every one of the site's countries (Site.misplaced_point()) is refused, as in the
        admin, unless the client confirms it; unchanged locations are not judged again."""
        located = {"latitude", "longitude", "countries"}
        if self.location_confirmed or not located & set(attrs):
            return {}
        if self.instance is not None and all(
            _location_value(name, getattr(self.instance, name))
            == _location_value(name, attrs.get(name, getattr(self.instance, name)))
            for name in located
        ):
            return {}
        misplaced = site.misplaced_point()
        if misplaced is None:
            return {}
        if self.instance is not None and not self.instance.shows_exact_location_to(self._user()):
            # The usual message quotes the point, which this user may not see.
            return {"countries": ["The site's protected point is not in these countries. Send \"confirm_location\": "
                                  "true to save them, or ask an editor who may see exact locations to check it."]}
        return {"latitude": [f"{misplaced.message} Send \"confirm_location\": true to save it as it is."]}


def _location_value(name, value):
    """Countries as a set of codes, whatever their order or type; coordinates as they are."""
    return {str(code) for code in value} if name == "countries" else value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Palmyra",
            response_only=True,
            value={
                **PALMYRA_LIST_ITEM,
                "location_certainty": {"slug": "high", "label": "High"},
                "coordinate_method": "",
                "location_sensitivity": "public",
                "location_source": "UNESCO whc-sites export (id_no 23); Pleiades reprPoint is 34.5521005, 38.2657065",
                "summary": "Ruins of the ancient oasis city of Palmyra (Tadmor) in the Syrian desert, a World Heritage "
                           "property since 1980 and on the In Danger list since 2013.",
                "summary_ar": "",
                "description": "",
                "built": "",
                "built_display": "",
                "names": [
                    {"name": "تدمر", "language": "ar", "kind": "preferred", "is_rtl": True, "note": ""},
                    {"name": "Site of Palmyra", "language": "en", "kind": "preferred", "is_rtl": False,
                     "note": "UNESCO's name for the World Heritage property"},
                    {"name": "Tadmur", "language": "ar-Latn", "kind": "transliteration", "is_rtl": False,
                     "note": "The Arabic name, also the modern town"},
                ],
                "identifiers": [
                    {"authority": "unesco", "authority_label": "UNESCO World Heritage List", "value": "23",
                     "url": "https://whc.unesco.org/en/list/23/"},
                    {"authority": "wikidata", "authority_label": "Wikidata", "value": "Q5747",
                     "url": "https://www.wikidata.org/wiki/Q5747"},
                    {"authority": "pleiades", "authority_label": "Pleiades", "value": "668331",
                     "url": "https://pleiades.stoa.org/places/668331"},
                ],
                "designations": [
                    {"kind": "world-heritage", "kind_label": "World Heritage property", "reference": "23",
                     "criteria": "(i)(ii)(iv)", "start": "1980", "end": "", "period": "since 1980",
                     "is_current": True, "note": ""},
                    {"kind": "in-danger", "kind_label": "List of World Heritage in Danger", "reference": "23",
                     "criteria": "", "start": "2013-06-20", "end": "", "period": "since 20 June 2013",
                     "is_current": True, "note": "Placed on the List in Danger with all six Syrian properties "
                     "(37th session, Phnom Penh)"},
                ],
                "parts": [{"slug": "temple-of-bel", "name": "Temple of Bel",
                           "url": "http://127.0.0.1:8000/api/v1/sites/temple-of-bel/"}],
                "events": [{"slug": "tadmor-first-mentioned", "title": "Tadmor first named in documents from Mari",
                            "url": "http://127.0.0.1:8000/api/v1/events/tadmor-first-mentioned/"}],
                "incidents": [{"slug": "palmyra-captured-by-isis-2015", "title": "Palmyra falls to Islamic State",
                               "url": "http://127.0.0.1:8000/api/v1/incidents/palmyra-captured-by-isis-2015/"}],
                "jsonld_url": "http://127.0.0.1:8000/api/v1/sites/palmyra/jsonld/",
                "created": "2026-11-24T16:00:00Z",
            },
        ),
        OpenApiExample(
            "A new site",
            request_only=True,
            value={
                "slug": "qasr-al-hayr-al-gharbi", "name": "Qasr al-Hayr al-Gharbi", "kind": "palace",
                "countries": ["SY"], "latitude": 34.374444, "longitude": 37.605833,
            },
        ),
    ]
)
class SiteDetailSerializer(SiteSerializer):
    """A site with its names, identifiers, designations, parts, events and incidents."""

    location_certainty = SlugLinkField(
        queryset=Certainty.objects.all(), label_field="label", allow_null=True, required=False,
        help_text="EAMENA certainty of the location, by slug.",
    )
    built_display = serializers.CharField(read_only=True, help_text="The construction date in words.")
    names = SiteNameSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    designations = DesignationSerializer(many=True, read_only=True)
    parts = SlugLinkField(many=True, read_only=True, view_name="api:site-detail")
    events = SlugLinkField(
        many=True, read_only=True, source="visible_events", view_name="api:event-detail", label_field="title",
        help_text="History events of this site and of its parts (at any depth), in chronological order.",
    )
    incidents = SlugLinkField(
        many=True, read_only=True, source="visible_incidents", view_name="api:incident-detail", label_field="title",
        help_text="Incidents reported at this site or at its parts (at any depth), latest first.",
    )
    jsonld_url = RecordURLField("api:site-jsonld")

    class Meta(SiteSerializer.Meta):
        fields = [
            *SiteSerializer.Meta.fields[:-1],
            "location_certainty", "coordinate_method", "location_source", "location_sensitivity", "summary",
            "summary_ar", "description", "built", "built_display",
            "names", "identifiers", "designations", "parts", "events", "incidents", "jsonld_url", "created",
        ]
