import pytest
from rest_framework.throttling import AnonRateThrottle

from heritage.models import RiskProfile
from heritage.tests.factories import make_incident
from sites.models import Site
from sites.tests.factories import PALMYRA, make_certainty, make_kind, make_site

pytestmark = pytest.mark.django_db

SITES = "/api/v1/sites/"
NEW_SITE = {
    "slug": "qasr-al-hayr-al-gharbi", "name": "Qasr al-Hayr al-Gharbi", "kind": "palace", "countries": ["SY"],
    "latitude": 34.374444, "longitude": 37.605833,
}


@pytest.fixture
def palace_kind():
    return make_kind("palace")


@pytest.fixture
def palmyra():
    site = make_site("Site of Palmyra", slug="palmyra", **PALMYRA)
    RiskProfile.objects.record_changed([site])  # as every writer ends; the factories write raw
    return site


def etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


# Permissions ---------------------------------------------------------------


def test_anonymous_readers_cannot_write(api, palace_kind, palmyra):
    response = api.post(SITES, NEW_SITE, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"
    assert api.patch(f"{SITES}palmyra/", {"name": "X"}, format="json").status_code == 401
    assert api.delete(f"{SITES}palmyra/").status_code == 401


@pytest.mark.parametrize(("user", "create", "update", "delete"), [
    ("alice", 201, 200, 403),
    ("bob", 201, 200, 204),
    ("charlie", 403, 403, 403),
])
def test_writes_follow_django_model_permissions(request, api_as, palace_kind, palmyra, user, create, update, delete):
    client = api_as(request.getfixturevalue(user))
    assert client.post(SITES, NEW_SITE, format="json").status_code == create
    tag = etag(client, f"{SITES}palmyra/")
    assert client.patch(f"{SITES}palmyra/", {"summary": "Oasis city."}, format="json", HTTP_IF_MATCH=tag).status_code \
        == update
    tag = etag(client, f"{SITES}palmyra/")
    assert client.delete(f"{SITES}palmyra/", HTTP_IF_MATCH=tag).status_code == delete


def test_an_invalid_token_is_refused(api, palmyra):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(SITES)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_session_users_must_send_the_csrf_token(alice, palace_kind):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(SITES, NEW_SITE, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


# Creating ------------------------------------------------------------------


def test_an_editor_creates_a_site_and_the_audit_trail_names_them(api_as, alice, palace_kind):
    response = api_as(alice).post(SITES, NEW_SITE, format="json")
    assert response.status_code == 201, response.content
    assert response["Location"] == "http://testserver/api/v1/sites/qasr-al-hayr-al-gharbi/"
    assert response["ETag"].startswith('"')
    body = response.json()
    assert body["kind"] == {"slug": "palace", "label": "Palace"}
    assert body["names"] == [] and body["risk_profile"]["risk_level"] == "unknown"
    site = Site.objects.get(slug="qasr-al-hayr-al-gharbi")
    assert site.latitude == 34.374444
    record = site.history.get()
    assert record.history_type == "+"
    assert record.history_user == alice


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"latitude": 91}, "latitude", "Ensure this value is less than or equal to 90."),
    ({"longitude": -181}, "longitude", "Ensure this value is greater than or equal to -180."),
    ({"latitude": "north"}, "latitude", "Give a number."),
    ({"latitude": "34.5"}, "latitude", "Give a number."),
    ({"name": 7}, "name", "Give a string."),
    ({"kind": "spaceport"}, "kind", "Object with slug=spaceport does not exist."),
    ({"kind": 7}, "kind", "Invalid value."),
    ({"parent": "atlantis"}, "parent", "Object with slug=atlantis does not exist."),
    ({"built": "the reign of Zenobia"}, "built", "“the reign of Zenobia” is not a valid EDTF date."),
    ({"built": "2016/2015"}, "built", "“2016/2015” ends before it starts."),
    ({"slug": "palmyra"}, "slug", "site with this slug already exists."),
    ({"slug": "not a slug"}, "slug", "Enter a valid \"slug\""),
    ({"name": ""}, "name", "This field may not be blank."),
])
def test_invalid_sites_are_refused_field_by_field(api_as, alice, palace_kind, palmyra, change, field, message):
    response = api_as(alice).post(SITES, {**NEW_SITE, **change}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert any(text.startswith(message) for text in error["fields"][field]), error
    assert not Site.objects.filter(slug="qasr-al-hayr-al-gharbi").exists()


def test_unknown_countries_are_named_by_position(api_as, alice, palace_kind):
    response = api_as(alice).post(SITES, {**NEW_SITE, "countries": ["SY", "XX"]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"countries": {"1": ['"XX" is not a valid choice.']}}


def test_coordinates_must_come_in_pairs(api_as, alice, palace_kind):
    response = api_as(alice).post(SITES, {**NEW_SITE, "longitude": None}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": ["Give both latitude and longitude, or neither."]
    }


def test_a_site_cannot_become_part_of_its_own_part(api_as, alice, palmyra):
    bel = make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)
    client = api_as(alice)
    response = client.patch(f"{SITES}palmyra/", {"parent": bel.slug}, format="json",
                            HTTP_IF_MATCH=etag(client, f"{SITES}palmyra/"))
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["parent"] == [
        "“Temple of Bel” is part of “Site of Palmyra”, so it cannot also contain it."
    ]


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"latitude": NaN}'])
def test_malformed_bodies_are_a_400_not_a_500(api_as, alice, body):
    response = api_as(alice).post(SITES, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_bodies_that_are_not_json_are_a_415(api_as, alice):
    response = api_as(alice).post(SITES, "slug=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


# No lost updates -------------------------------------------------------------


def test_detail_responses_carry_a_strong_etag_and_honour_if_none_match(api, palmyra):
    response = api.get(f"{SITES}palmyra/")
    tag = response["ETag"]
    assert tag.startswith('"') and not tag.startswith("W/")
    not_modified = api.get(f"{SITES}palmyra/", HTTP_IF_NONE_MATCH=tag)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == tag
    assert not_modified.content == b""
    assert api.get(f"{SITES}palmyra/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_etag_changes_when_the_site_changes(api, palmyra):
    before = etag(api, f"{SITES}palmyra/")
    make_incident([palmyra])
    assert etag(api, f"{SITES}palmyra/") != before


def test_an_update_without_if_match_is_a_428(api_as, alice, palmyra):
    response = api_as(alice).patch(f"{SITES}palmyra/", {"summary": "Oasis city."}, format="json")
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"
    palmyra.refresh_from_db()
    assert palmyra.summary == ""


def test_a_stale_if_match_is_a_412_and_nothing_is_lost(api_as, alice, bob, palmyra):
    alice_client, bob_client = api_as(alice), api_as(bob)
    read_by_both = etag(alice_client, f"{SITES}palmyra/")
    assert bob_client.patch(f"{SITES}palmyra/", {"summary": "Bob's summary."}, format="json",
                            HTTP_IF_MATCH=read_by_both).status_code == 200
    response = alice_client.patch(f"{SITES}palmyra/", {"summary": "Alice's summary."}, format="json",
                                  HTTP_IF_MATCH=read_by_both)
    assert response.status_code == 412
    assert response.json()["error"]["code"] == "precondition_failed"
    palmyra.refresh_from_db()
    assert palmyra.summary == "Bob's summary."


def test_a_weak_etag_does_not_satisfy_if_match(api_as, alice, palmyra):
    client = api_as(alice)
    tag = etag(client, f"{SITES}palmyra/")
    response = client.patch(f"{SITES}palmyra/", {"summary": "x"}, format="json", HTTP_IF_MATCH=f"W/{tag}")
    assert response.status_code == 412


def test_an_update_returns_the_new_version_and_records_who_made_it(api_as, alice, palmyra):
    make_certainty("high")
    client = api_as(alice)
    response = client.put(
        f"{SITES}palmyra/",
        {"slug": "palmyra", "name": "Palmyra", "kind": "archaeological-site", "countries": ["SY"],
         "latitude": 34.55, "longitude": 38.27, "location_certainty": "high"},
        format="json", HTTP_IF_MATCH=etag(client, f"{SITES}palmyra/"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Palmyra"
    assert response["ETag"] == etag(client, f"{SITES}palmyra/")
    latest = Site.objects.get(slug="palmyra").history.first()
    assert latest.history_type == "~"
    assert latest.history_user == alice
    assert latest.location_certainty.slug == "high"


def test_a_record_read_can_be_put_back_as_it_is(api_as, alice, palmyra):
    client = api_as(alice)
    response = client.get(f"{SITES}palmyra/")
    back = client.put(f"{SITES}palmyra/", response.json(), format="json", HTTP_IF_MATCH=response["ETag"])
    assert back.status_code == 200, back.content
    assert {**back.json(), "updated": None} == {**response.json(), "updated": None}


def test_deleting_a_site_that_has_parts_is_a_409(api_as, bob, palmyra):
    make_site("Temple of Bel", parent=palmyra)
    client = api_as(bob)
    response = client.delete(f"{SITES}palmyra/", HTTP_IF_MATCH=etag(client, f"{SITES}palmyra/"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Site.objects.filter(slug="palmyra").exists()


def test_deleting_needs_if_match_too(api_as, bob, palmyra):
    assert api_as(bob).delete(f"{SITES}palmyra/").status_code == 428
    assert Site.objects.filter(slug="palmyra").exists()


# Throttling ----------------------------------------------------------------


def test_anonymous_readers_are_throttled(api, palmyra, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    # Three different questions: an answer already in the response cache would not count.
    assert api.get(SITES).status_code == 200
    assert api.get(f"{SITES}?page_size=10").status_code == 200
    response = api.get(f"{SITES}?page_size=20")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


# A point outside the site's countries: refused as in the admin, unless the client confirms -------------------


def test_a_site_whose_latitude_and_longitude_look_swapped_is_refused_with_the_reason(api_as, alice, palace_kind):
    swapped = {**NEW_SITE, "latitude": 37.605833, "longitude": 34.374444}

    response = api_as(alice).post(SITES, swapped, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"latitude": [
        "37.605833, 34.374444 (latitude, longitude) is not in Syria, but 34.374444, 37.605833 is: the latitude and "
        "longitude look swapped. Send \"confirm_location\": true to save it as it is."
    ]}
    assert not Site.objects.filter(slug="qasr-al-hayr-al-gharbi").exists()


def test_a_client_may_confirm_a_point_outside_the_countries(api_as, alice, palace_kind):
    swapped = {**NEW_SITE, "latitude": 37.605833, "longitude": 34.374444, "confirm_location": True}

    response = api_as(alice).post(SITES, swapped, format="json")

    assert response.status_code == 201, response.content
    assert "confirm_location" not in response.json()
    assert Site.objects.get(slug="qasr-al-hayr-al-gharbi").latitude == 37.605833


def test_moving_a_site_to_another_country_without_moving_its_point_is_refused(api_as, alice, palmyra):
    client = api_as(alice)

    response = client.patch(f"{SITES}palmyra/", {"countries": ["LB"]}, format="json",
                            HTTP_IF_MATCH=etag(client, f"{SITES}palmyra/"))

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["latitude"][0].endswith(
        "is not in Lebanon: check the coordinates and the countries. Send \"confirm_location\": true to save it as "
        "it is."
    )


def test_a_site_already_outside_its_countries_can_be_edited_for_other_things(api_as, alice, palmyra):
    Site.objects.filter(pk=palmyra.pk).update(latitude=38.2666666667, longitude=34.5541666667)
    client = api_as(alice)

    response = client.patch(f"{SITES}palmyra/", {"summary": "Oasis city.", "countries": ["SY"]}, format="json",
                            HTTP_IF_MATCH=etag(client, f"{SITES}palmyra/"))

    assert response.status_code == 200, response.content
