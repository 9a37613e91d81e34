"""What every endpoint shares: the error shape, unknown URLs, the schema and its documentation."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_endpoint(api):
    body = api.get("/api/v1/").json()
    assert set(body) == {"sites", "sources", "events", "incidents", "assessments", "categories"}
    assert body["sites"] == "http://testserver/api/v1/sites/"


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/v2/sites/", "/api/", "/api/v1/sites/a/b/c/"])
def test_unknown_urls_under_the_api_are_a_json_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == 404 and error["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_to_unknown_urls_are_a_json_404_too(method):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/nothing-here/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_missing_trailing_slash_gets_a_hint(api):
    response = api.get("/api/v1/sites")
    assert response.status_code == 404
    assert response.json()["error"]["message"].endswith("Did you mean /api/v1/sites/ ?")


def test_an_unsupported_method_is_a_json_405(api_as, alice):
    response = api_as(alice).put("/api/v1/sites/", {}, format="json")
    assert response.status_code == 405
    assert response.json() == {"error": {
        "status": 405, "code": "method_not_allowed", "message": 'Method "PUT" not allowed.',
    }}


def test_an_unacceptable_format_is_a_json_406(api):
    response = api.get("/api/v1/sites/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"


def test_the_openapi_schema_describes_every_endpoint(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ["/api/v1/sites/", "/api/v1/sites/{slug}/", "/api/v1/sites/geojson/", "/api/v1/sites/csv/",
                 "/api/v1/sites/{slug}/jsonld/", "/api/v1/sources/", "/api/v1/sources/csv/", "/api/v1/events/",
                 "/api/v1/incidents/", "/api/v1/incidents/csv/", "/api/v1/assessments/{id}/",
                 "/api/v1/categories/{slug}/"]:
        assert path in paths, path
    site_list = paths["/api/v1/sites/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in site_list["parameters"]}
    assert {"country", "near", "radius_km", "updated_since", "pagination", "cursor", "ordering"} <= set(parameters)
    assert all(parameter.get("description") for parameter in parameters.values())
    assert parameters["country"]["example"] == "SY"
    assert {"200", "400", "404", "429"} <= set(site_list["responses"])
    patch = paths["/api/v1/incidents/{slug}/"]["patch"]
    assert {"412", "428"} <= set(patch["responses"])
    assert any(parameter["name"] == "If-Match" and parameter["required"] for parameter in patch["parameters"])


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_is_served_from_local_assets(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()


def test_tokens_are_managed_in_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "password")
    client.force_login(admin)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 200
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200


def test_an_unexpected_error_is_a_json_500_and_logged(api, monkeypatch, caplog):
    from heritage.api.views import SiteViewSet

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(SiteViewSet, "get_queryset", broken)
    response = api.get("/api/v1/sites/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "Unhandled error in the API" in caplog.text
