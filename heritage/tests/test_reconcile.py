"""The W3C Reconciliation API at /api/v1/reconcile/ (protocol 0.2, what OpenRefine speaks): responses are
checked against the protocol's own JSON schemas (heritage/tests/data/reconciliation/ORIGIN.md)."""

import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).parent / "data" / "reconciliation"
TYPE_SCHEMA = json.loads((SCHEMAS / "type.json").read_text())
# The manifest's defaultTypes refer to type.json by its published address.
REGISTRY = Registry().with_resource(TYPE_SCHEMA["$id"], DRAFT7.create_resource(TYPE_SCHEMA))


def schema_errors(name, document):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return [error.message for error in jsonschema.Draft7Validator(schema, registry=REGISTRY).iter_errors(document)]


def reconcile(client, queries, method="post"):
    """The results of a batch, sent as OpenRefine sends it (a form field), checked against the schemas."""
    assert schema_errors("reconciliation-query-batch", queries) == []
    if method == "post":
        response = client.post("/api/v1/reconcile/", {"queries": json.dumps(queries)})
    else:
        response = client.get("/api/v1/reconcile/", {"queries": json.dumps(queries)})
    assert response.status_code == 200, response.content
    results = response.json()
    assert schema_errors("reconciliation-result-batch", results) == []
    return results


def test_the_manifest_is_a_valid_service_manifest(client, curated, db):
    manifest = client.get("/api/v1/reconcile/").json()

    assert schema_errors("manifest", manifest) == []
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "http://testserver/sites/"
    assert manifest["view"] == {"url": "http://testserver/sites/{{id}}/"}
    assert manifest["preview"]["url"] == "http://testserver/api/v1/reconcile/preview/?id={{id}}"
    assert manifest["suggest"]["entity"] == {
        "service_url": "http://testserver/api/v1/reconcile", "service_path": "/suggest/entity/",
    }
    assert manifest["defaultTypes"] == [{"id": "site", "name": "Heritage site"}]


def test_the_manifest_is_invalid_without_its_required_fields():
    assert schema_errors("manifest", {"versions": ["0.2"], "name": "x"}) == [
        "'identifierSpace' is a required property", "'schemaSpace' is a required property",
    ]


@pytest.mark.parametrize("name", ["Tadmur", "تدمر", "تَدْمُر", "TADMOR", "Palmyra"])
def test_a_recorded_name_in_any_script_is_a_match_for_palmyra(client, curated, db, name):
    results = reconcile(client, {"q0": {"query": name}})

    best = results["q0"]["result"][0]
    assert (best["id"], best["name"], best["score"], best["match"]) == ("palmyra", "Site of Palmyra", 100.0, True)
    assert best["description"] == "Archaeological site in Syria"
    assert [candidate["match"] for candidate in results["q0"]["result"][1:]] == [False] * (
        len(results["q0"]["result"]) - 1
    )


def test_palmyre_is_not_recorded_but_finds_palmyra_first_without_claiming_a_match(client, curated, db):
    results = reconcile(client, {"q0": {"query": "Palmyre"}})

    best = results["q0"]["result"][0]
    assert (best["id"], best["score"], best["match"]) == ("palmyra", 85.7, False)
    assert best["features"] == [{"id": "name", "value": 85.7}]


def test_queries_come_back_under_their_own_keys_by_get_too(client, curated, db):
    results = reconcile(client, {"a": {"query": "Temple of Bel"}, "b": {"query": "Damascus", "limit": 1}}, method="get")

    assert results["a"]["result"][0]["id"] == "temple-of-bel"
    assert results["a"]["result"][0]["description"] == "Temple in Syria, part of Site of Palmyra"
    assert [candidate["id"] for candidate in results["b"]["result"]] == ["damascus"]


def test_country_and_kind_as_properties_lower_the_score_of_candidates_that_disagree(client, curated, db):
    results = reconcile(client, {
        "agrees": {"query": "Tadmur", "properties": [
            {"pid": "country", "v": "Syria"}, {"pid": "kind", "v": "archaeological-site"},
        ]},
        "disagrees": {"query": "Tadmur", "properties": [{"pid": "country", "v": "IQ"}]},
    })

    agrees, disagrees = results["agrees"]["result"][0], results["disagrees"]["result"][0]
    assert (agrees["id"], agrees["score"], agrees["match"]) == ("palmyra", 100.0, True)
    assert agrees["features"] == [{"id": "name", "value": 100.0}, {"id": "country", "value": True},
                                  {"id": "kind", "value": True}]
    assert (disagrees["id"], disagrees["score"], disagrees["match"]) == ("palmyra", 50.0, False)
    assert disagrees["features"] == [{"id": "name", "value": 100.0}, {"id": "country", "value": False}]


@pytest.mark.parametrize(("queries", "message"), [
    ("not json", "queries is not valid JSON: Expecting value."),
    ("[]", 'queries must be a JSON object of queries keyed by an id, such as {"q0": {"query": "Tadmur"}}.'),
    ('{"q0": {"query": ""}}', "Query “q0”: Give a name to look for in query."),
    ('{"q0": {"query": "Tadmur", "properties": [{"pid": "country", "v": "Narnia"}]}}',
     "Query “q0”: “Narnia” is not a country: give an ISO 3166-1 code such as SY, or a name such as Syria."),
    ('{"q0": {"query": "Tadmur", "properties": [{"pid": "height", "v": 3}]}}',
     "Query “q0”: “height” is not a property of this service; use country or kind."),
    ('{"q0": {"query": "Tadmur", "type": "Q515"}}', "Query “q0”: This service has one type: site."),
    ('{"q0": {"query": "Tadmur", "limit": Infinity}}', "Infinity is not a number JSON allows."),
    ('{"q0": {"query": "Tad\\u0000mur"}}', "Query “q0”: query must not contain NUL characters."),
    ('{"q0": {"query": "Tadmur", "type": 5}}', "Query “q0”: This service has one type: site."),
    ("[" * 100_000, "queries is nested too deeply to be a batch of queries."),
])
def test_a_bad_batch_is_a_400_that_says_what_is_wrong(client, curated, db, queries, message):
    response = client.post("/api/v1/reconcile/", {"queries": queries})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"queries": [message]}


def test_a_limit_beyond_what_a_float_holds_is_the_largest_limit(client, curated, db):
    response = client.post("/api/v1/reconcile/", {"queries": '{"q0": {"query": "Palmyra", "limit": 1e400}}'})

    assert response.status_code == 200
    assert response.json()["q0"]["result"][0]["id"] == "palmyra"


def test_every_endpoint_a_browser_calls_allows_any_origin(client, curated, db):
    responses = [
        client.get("/api/v1/reconcile/", HTTP_ORIGIN="http://127.0.0.1:3333"),
        client.post("/api/v1/reconcile/", {"queries": '{"q0": {"query": "Tadmur"}}'}, HTTP_ORIGIN="http://127.0.0.1:3333"),
        client.get("/api/v1/reconcile/suggest/entity/", {"prefix": "Palm"}, HTTP_ORIGIN="http://127.0.0.1:3333"),
        client.get("/api/v1/reconcile/suggest/property/", {"prefix": "c"}, HTTP_ORIGIN="http://127.0.0.1:3333"),
        client.post("/api/v1/reconcile/", {"queries": "not json"}, HTTP_ORIGIN="http://127.0.0.1:3333"),
    ]

    assert [response.status_code for response in responses] == [200, 200, 200, 200, 400]
    assert [response["Access-Control-Allow-Origin"] for response in responses] == ["*"] * 5


def test_suggesting_sites_without_a_prefix_is_refused_on_the_prefix(client, db):
    response = client.get("/api/v1/reconcile/suggest/entity/")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["prefix"] == ["Give the start of a name: ?prefix=Palm."]


def test_suggest_completes_site_names_and_properties(client, curated, db):
    entities = client.get("/api/v1/reconcile/suggest/entity/", {"prefix": "Temple of B"}).json()
    properties = client.get("/api/v1/reconcile/suggest/property/", {"prefix": "co"}).json()

    assert schema_errors("suggest-entities-response", entities) == []
    assert [entity["id"] for entity in entities["result"]] == ["temple-of-baalshamin", "temple-of-bel"]
    assert entities["result"][0]["notable"] == [{"id": "site", "name": "Heritage site"}]
    assert schema_errors("suggest-properties-response", properties) == []
    assert [prop["id"] for prop in properties["result"]] == ["country"]


def test_the_preview_is_a_frameable_card_without_coordinates(client, curated, db):
    response = client.get("/api/v1/reconcile/preview/", {"id": "palmyra"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Site of Palmyra" in text and "Archaeological site in Syria" in text and "تدمر" in text
    assert "34.55" not in text and "38.26" not in text
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_a_signed_in_editor_posts_without_a_csrf_token_like_anyone(curated, db, alice):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    response = browser.post("/api/v1/reconcile/", {"queries": json.dumps({"q0": {"query": "Tadmur"}})})

    assert response.status_code == 200


def test_a_batch_reads_a_fixed_number_of_queries_per_query(client, curated, db, django_assert_num_queries):
    # Per query: 1 the names near it, 2 the sites named() by it, 3 those sites with kind and parent,
    # 4 their names. Twice for two queries.
    with django_assert_num_queries(8):
        reconcile(client, {"q0": {"query": "Tadmur"}, "q1": {"query": "Palmyre"}})
