"""Matching names against the gazetteer for the W3C Reconciliation API (protocol 0.2, what OpenRefine speaks).

A query names a place in any language or script ("Tadmur", "تدمر", "Palmyre"), optionally with the
country it lies in and the kind of site as properties. Names are compared as sites/text.py folds
them (case, accents, Arabic vowel marks and spelling habits ignored), then by edit distance
(rapidfuzz), so a spelling the gazetteer does not record still finds its place: "Palmyre" scores
86 against "Palmyra". A candidate is a ``match`` only when it is the one site whose name is the
query (score 100 after folding) and every property given agrees.
"""

from dataclasses import dataclass, field

from django.db.models import Q, Value
from django.db.models.functions import Replace
from django_countries import countries
from rapidfuzz import fuzz

from sites.models import Site, SiteKind, SiteName
from sites.text import compact, fold

SITE_TYPE = {"id": "site", "name": "Heritage site"}
PROPERTIES = [
    {"id": "country", "name": "Country", "description": "A country the site lies in: ISO 3166-1 code (SY) or name (Syria)."},
    {"id": "kind", "name": "Kind of site",
     "description": "What sort of place: archaeological-site, temple, theatre… (slug or label)."},
]
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
MAX_QUERIES = 50  # per batch; OpenRefine sends 10
# Words of a query whose beginnings pick candidates, at most: a name, not a paragraph.
MAX_WORDS = 8
# How many recorded names the fuzzy comparison reads for one query, at most.
MAX_CANDIDATE_NAMES = 500
# A candidate whose properties disagree with the query keeps this share of its name's score per property.
MISMATCH_FACTOR = 0.5


class QueryError(ValueError):
    """A reconciliation query the protocol does not allow, with a message for the client."""


@dataclass
class Candidate:
    site: Site
    name_score: float
    mismatches: list = field(default_factory=list)

    @property
    def score(self):
        return round(self.name_score * MISMATCH_FACTOR ** len(self.mismatches), 1)


def name_similarity(query, name):
    """0–100: how alike two names are once folded, word order and spacing aside."""
    folded, other = fold(query), fold(name)
    if not folded or not other:
        return 0.0
    return max(
        fuzz.ratio(folded, other),
        fuzz.token_sort_ratio(folded, other),
        fuzz.ratio(folded.replace(" ", ""), other.replace(" ", "")),
    )


def candidate_site_pks(text):
    """Pks of the sites worth scoring for a name: those with a name containing it (SiteQuerySet.named()),
    or a word beginning as one of its words begins (so that misspellings are compared too)."""
    folded = fold(text)
    starts = Q()
    for word in folded.split()[:MAX_WORDS]:
        stem = word[:3]
        starts |= Q(folded__startswith=stem) | Q(folded__contains=f" {stem}")
    near = (
        SiteName.objects.annotate(compacted=Replace("folded", Value(" "), Value("")))
        .filter(Q(folded__contains=folded) | Q(compacted__contains=compact(text)) | starts)
        .order_by("site_id")
        .values_list("site_id", flat=True)[:MAX_CANDIDATE_NAMES]
    )
    return set(near) | set(Site.objects.named(text).order_by().values_list("pk", flat=True)[:MAX_CANDIDATE_NAMES])


def country_codes(values):
    """ISO codes for countries given as codes or English names; QueryError for one not known."""
    codes = set()
    for value in values:
        text = str(value.get("id") or value.get("name") if isinstance(value, dict) else value).strip()
        code = text.upper() if text.upper() in dict(countries) else countries.by_name(text)
        if not code:
            raise QueryError(f"“{text}” is not a country: give an ISO 3166-1 code such as SY, or a name such as Syria.")
        codes.add(code)
    return codes


def kind_slugs(values):
    """Site kind slugs for kinds given as slugs or labels; QueryError for one not known."""
    kinds = {kind.slug: kind for kind in SiteKind.objects.all()}
    by_label = {fold(kind.label): slug for slug, kind in kinds.items()}
    slugs = set()
    for value in values:
        text = str(value.get("id") or value.get("name") if isinstance(value, dict) else value).strip()
        slug = text if text in kinds else by_label.get(fold(text))
        if not slug:
            raise QueryError(f"“{text}” is not a kind of site; the kinds are: {', '.join(sorted(kinds))}.")
        slugs.add(slug)
    return slugs


def parse_properties(properties):
    """{"country": codes, "kind": slugs} from a query's ``properties`` list."""
    wanted = {}
    if not isinstance(properties, list):
        raise QueryError("properties must be a list of {\"pid\": …, \"v\": …}.")
    for entry in properties:
        if not isinstance(entry, dict) or "pid" not in entry or "v" not in entry:
            raise QueryError("Each property needs a pid and a v.")
        values = entry["v"] if isinstance(entry["v"], list) else [entry["v"]]
        if entry["pid"] == "country":
            wanted["country"] = country_codes(values)
        elif entry["pid"] == "kind":
            wanted["kind"] = kind_slugs(values)
        else:
            raise QueryError(f"“{entry['pid']}” is not a property of this service; use country or kind.")
    return wanted


def check_query(query):
    """The query's text, limit and wanted properties; QueryError if the protocol does not allow it."""
    if not isinstance(query, dict):
        raise QueryError("Each query must be an object with at least a query string.")
    unknown = set(query) - {"query", "type", "limit", "properties", "type_strict"}
    if unknown:
        raise QueryError(f"Unknown field(s) in a query: {', '.join(sorted(unknown))}.")
    text = query.get("query", "")
    if not isinstance(text, str) or not compact(text):
        raise QueryError("Give a name to look for in query.")
    if "\x00" in text:
        raise QueryError("query must not contain NUL characters.")
    limit = query.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit < 1:
        raise QueryError("limit must be a positive number.")
    types = query.get("type") or []
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or any(kind != SITE_TYPE["id"] for kind in types):
        raise QueryError(f"This service has one type: {SITE_TYPE['id']}.")
    return text, int(min(limit, MAX_LIMIT)), parse_properties(query.get("properties", []))


def reconcile(query):
    """Candidates for one query, best first, as the protocol's result objects."""
    text, limit, wanted = check_query(query)
    sites = Site.objects.filter(pk__in=candidate_site_pks(text)).select_related("kind", "parent").prefetch_related("names")
    candidates = []
    for site in sites:
        score = max(name_similarity(text, name) for name in [site.name, *(n.name for n in site.names.all())])
        mismatches = []
        if "country" in wanted and not wanted["country"] & {country.code for country in site.countries}:
            mismatches.append("country")
        if "kind" in wanted and site.kind.slug not in wanted["kind"]:
            mismatches.append("kind")
        candidates.append(Candidate(site, score, mismatches))
    candidates.sort(key=lambda candidate: (-candidate.score, candidate.site.name, candidate.site.slug))
    certain = [candidate for candidate in candidates if candidate.name_score == 100 and not candidate.mismatches]
    return [
        {
            "id": candidate.site.slug,
            "name": candidate.site.name,
            "description": describe(candidate.site),
            "score": candidate.score,
            "match": len(certain) == 1 and candidate is certain[0],
            "type": [SITE_TYPE],
            "features": [
                {"id": "name", "value": round(candidate.name_score, 1)},
                *({"id": prop, "value": prop not in candidate.mismatches} for prop in sorted(wanted)),
            ],
        }
        for candidate in candidates[:limit]
    ]


def reconcile_batch(queries):
    """{key: {"result": […]}} for a batch of queries keyed as the client keyed them."""
    if not isinstance(queries, dict) or not queries:
        raise QueryError("queries must be a JSON object of queries keyed by an id, such as {\"q0\": {\"query\": \"Tadmur\"}}.")
    if len(queries) > MAX_QUERIES:
        raise QueryError(f"At most {MAX_QUERIES} queries in one batch.")
    results = {}
    for key, query in queries.items():
        try:
            results[key] = {"result": reconcile(query)}
        except QueryError as error:
            raise QueryError(f"Query “{key}”: {error}") from error
    return results


def describe(site):
    """One line that tells namesakes apart: kind, where, and what it is part of."""
    where = ", ".join(country.name for country in site.countries)
    text = site.kind.label + (f" in {where}" if where else "")
    if site.parent_id:
        text += f", part of {site.parent.name}"
    return text


def suggest_entities(prefix, limit=DEFAULT_LIMIT):
    """Sites for the suggest service: names that start with or contain the prefix, best first."""
    if "\x00" in prefix:
        raise QueryError("prefix must not contain NUL characters.")
    sites = Site.objects.search(prefix).select_related("kind", "parent")[: min(limit, MAX_LIMIT)] if compact(prefix) else []
    return [
        {"id": site.slug, "name": site.name, "description": describe(site), "notable": [SITE_TYPE]} for site in sites
    ]


def suggest_properties(prefix):
    """The properties whose id or name starts with the prefix (all for an empty one)."""
    folded = fold(prefix)
    return [
        {"id": prop["id"], "name": prop["name"], "description": prop["description"]}
        for prop in PROPERTIES
        if not folded or fold(prop["id"]).startswith(folded) or fold(prop["name"]).startswith(folded)
    ]
