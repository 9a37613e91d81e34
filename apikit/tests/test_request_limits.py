"""Bodies too large or too deep for the API are refused in its error shape, never a 500."""

import json

import pytest

from heritage.models import Incident

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


def post_json(client, body):
    return client.generic("POST", INCIDENTS, body, content_type="application/json")


def test_a_body_over_the_limit_is_a_413_in_the_api_error_shape(api_as, alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = post_json(api_as(alice), json.dumps({"title": "x" * (5 * 1024 * 1024)}))
    assert response.status_code == 413
    assert response.json() == {"error": {
        "status": 413, "code": "too_large",
        "message": "The request body is larger than the API accepts (1,048,576 bytes). Send less at once.",
    }}
    assert not Incident.objects.exists()


def test_a_body_under_the_limit_reaches_validation(api_as, alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = post_json(api_as(alice), json.dumps({"title": "x" * 1000}))
    assert response.status_code == 400
    assert "slug" in response.json()["error"]["fields"]


def test_json_nested_ten_thousand_deep_is_a_400_saying_so(api_as, alice):
    response = post_json(api_as(alice), "[" * 10_000 + "]" * 10_000)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "The JSON body is nested too deeply: at most 32 levels of lists and objects."
    )


def test_json_just_over_the_depth_limit_is_refused_and_at_it_is_parsed(api_as, alice):
    client = api_as(alice)
    too_deep = post_json(client, json.dumps({"title": json.loads("[" * 32 + "]" * 32)}))
    assert too_deep.json()["error"]["code"] == "parse_error"
    at_limit = post_json(client, json.dumps({"title": json.loads("[" * 31 + "]" * 31)}))
    assert at_limit.status_code == 400
    assert at_limit.json()["error"]["fields"]["title"] == ["Give a string."]
