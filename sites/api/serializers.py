from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from sites.api.base import COUNTRY_CHOICES, ModelValidationMixin, RecordURLField, SlugLinkField
from sites.models import Certainty, Designation, Identifier, Site, SiteKind, SiteName


class CountriesField(serializers.ListField):
    """ISO 3166-1 alpha-2 codes, e.g. ["SY"]; transboundary sites have several."""

    child = serializers.ChoiceField(choices=COUNTRY_CHOICES)

    def to_representation(self, data):
        return [country.code for country in data]


class SiteStatusSerializer(serializers.Serializer):
    """The site's current condition and risk, as the record stands (absent until first computed)."""

    condition = SlugLinkField(
        read_only=True, allow_null=True, label_field="label",
        help_text="State of the latest published condition assessment (EAMENA), or null when never assessed.",
    )
    in_danger = serializers.BooleanField(read_only=True, help_text="On the List of World Heritage in Danger now.")
    risk_level = serializers.CharField(read_only=True, help_text="critical, high, moderate, low or unknown.")
    risk_reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Why the risk rule gave this level, in words."
    )
    standing_incidents = serializers.IntegerField(
        read_only=True, help_text="Published incidents whose claim is not disputed or retracted."
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
    "status": {
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
    status = SiteStatusSerializer(read_only=True, allow_null=True)
    distance_km = serializers.SerializerMethodField(
        help_text="Geodesic distance from the `near` point in km; null without `near`."
    )

    class Meta:
        model = Site
        fields = [
            "url", "slug", "name", "kind", "parent", "countries", "latitude", "longitude", "status", "updated",
            "distance_km",
        ]

    def get_distance_km(self, site) -> float | None:
        distance = getattr(site, "distance_km", None)
        return None if distance is None else round(distance, 3)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Palmyra",
            response_only=True,
            value={
                **PALMYRA_LIST_ITEM,
                "location_certainty": {"slug": "high", "label": "High"},
                "location_source": "UNESCO whc-sites export (id_no 23); Pleiades reprPoint is 34.5521005, 38.2657065",
                "summary": "Ruins of the ancient oasis city of Palmyra (Tadmor) in the Syrian desert, a World Heritage "
                           "property since 1980 and on the In Danger list since 2013.",
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
        help_text="History events of this site, in chronological order.",
    )
    incidents = SlugLinkField(
        many=True, read_only=True, source="visible_incidents", view_name="api:incident-detail", label_field="title",
        help_text="Incidents reported at this site, latest first.",
    )
    jsonld_url = RecordURLField("api:site-jsonld")

    class Meta(SiteSerializer.Meta):
        fields = [
            *SiteSerializer.Meta.fields[:-1],
            "location_certainty", "location_source", "summary", "description", "built", "built_display",
            "names", "identifiers", "designations", "parts", "events", "incidents", "jsonld_url", "created",
        ]
