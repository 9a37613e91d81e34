"""Anonymous responses are cached until a write changes what they show, and nothing personal is ever shared."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import reverse

from config import response_cache
from heritage.models import RiskProfile, Status
from heritage.tests.factories import make_incident, make_source
from sites.models import Site
from sites.tests.admin_forms import form_data
from sites.tests.factories import DAMASCUS, PALMYRA, make_site

pytestmark = pytest.mark.django_db

SITES = "/api/v1/sites/"


@pytest.fixture(autouse=True)
def response_cache_on(settings):
    # On by default only with a shared cache (Redis); the tests' local memory serves one process.
    settings.RESPONSE_CACHE_SECONDS = 300


@pytest.fixture
def palmyra():
    return make_site("Site of Palmyra", slug="palmyra", **PALMYRA)


def cache_state(response):
    return response.get(response_cache.HIT_HEADER)


def test_a_second_anonymous_read_is_answered_from_the_cache(client, palmyra):
    first = client.get(f"{SITES}palmyra/")
    second = client.get(f"{SITES}palmyra/")
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]


def test_pages_are_cached_with_their_security_headers(client, palmyra):
    first = client.get("/sites/palmyra/")
    second = client.get("/sites/palmyra/")
    assert cache_state(second) == "hit"
    assert second.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second[header] == first[header]


def test_a_cached_answer_still_honours_if_none_match(client, palmyra):
    etag = client.get(f"{SITES}palmyra/")["ETag"]
    response = client.get(f"{SITES}palmyra/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert cache_state(response) == "hit"


def test_different_questions_are_cached_apart(client, palmyra):
    make_site("Damascus", slug="damascus")
    client.get(SITES)
    response = client.get(f"{SITES}?q=palmyra")
    assert cache_state(response) == "miss"
    assert [site["slug"] for site in response.json()["results"]] == ["palmyra"]
    assert cache_state(client.get(SITES, HTTP_ACCEPT="application/json")) == "miss"


def test_a_write_to_a_site_through_the_api_retires_its_cached_answers(client, api_as, alice, palmyra):
    client.get(f"{SITES}palmyra/")
    editor = api_as(alice)
    editor.patch(f"{SITES}palmyra/", {"name": "Palmyra (Tadmur)"}, format="json",
                 HTTP_IF_MATCH=editor.get(f"{SITES}palmyra/")["ETag"])
    response = client.get(f"{SITES}palmyra/")
    assert cache_state(response) == "miss"
    assert response.json()["name"] == "Palmyra (Tadmur)"


def test_a_write_that_changes_no_risk_profile_in_the_admin_still_retires_cached_answers(client, alice, palmyra):
    source = make_source("UNOSAT imagery")
    assert client.get(source.get_absolute_url()).status_code == 200
    client.force_login(alice)
    url = reverse("admin:heritage_source_change", args=[source.pk])
    assert client.post(url, form_data(client.get(url), title="UNOSAT satellite imagery")).status_code == 302
    client.logout()
    client.cookies.clear()
    response = client.get(source.get_absolute_url())
    assert cache_state(response) == "miss"
    assert "UNOSAT satellite imagery" in response.text


def test_deleting_a_record_through_the_api_retires_cached_answers_too(client, api_as, bob, palmyra):
    incident = make_incident([palmyra], title="Temple of Bel destroyed")
    assert client.get("/incidents/").content.count(b"Temple of Bel destroyed") == 1
    reviewer, url = api_as(bob), f"/api/v1/incidents/{incident.slug}/"
    assert reviewer.delete(url, HTTP_IF_MATCH=reviewer.get(url)["ETag"]).status_code == 204
    assert cache_state(client.get("/incidents/")) == "miss"


def test_a_refresh_of_every_risk_profile_retires_cached_answers(client, palmyra):
    client.get(f"{SITES}palmyra/")
    RiskProfile.objects.refresh()
    assert cache_state(client.get(f"{SITES}palmyra/")) == "miss"


def test_a_commit_retires_answers_built_from_the_data_before_it(django_capture_on_commit_callbacks):
    palmyra = make_site("Site of Palmyra", slug="palmyra", **PALMYRA)
    tags = [response_cache.site_tag(palmyra), response_cache.LISTS]
    before = response_cache._tag_generations(tags)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        RiskProfile.objects.record_changed([palmyra])
        RiskProfile.objects.record_changed([palmyra])
        during = response_cache._tag_generations(tags)
    after = response_cache._tag_generations(tags)
    assert all(before[tag] < during[tag] < after[tag] for tag in tags)
    # One retirement per transaction, however many writes.
    assert [type(callback) for callback in callbacks] == [response_cache._TagRetirement]


def test_a_write_naming_no_site_retires_everything_once_per_transaction(django_capture_on_commit_callbacks):
    before = response_cache.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        RiskProfile.objects.record_changed()
        RiskProfile.objects.record_changed()
        during = response_cache.generation()
    assert before < during < response_cache.generation()
    assert callbacks.count(response_cache._bump) == 1


def test_a_lost_generation_starts_afresh_rather_than_reusing_an_old_one(palmyra):
    old = response_cache.generation()
    cache.delete(response_cache.GENERATION_KEY)
    assert response_cache.generation() > old


def test_editors_are_never_served_or_stored_from_the_cache(client, alice, palmyra):
    draft = make_incident([palmyra], title="Unconfirmed report of looting", status=Status.DRAFT)
    assert b"Unconfirmed report" not in client.get(f"{SITES}palmyra/").content
    client.force_login(alice)
    as_editor = client.get(f"{SITES}palmyra/")
    assert cache_state(as_editor) is None
    assert draft.slug in as_editor.content.decode()
    client.logout()
    client.cookies.clear()
    assert draft.slug not in client.get(f"{SITES}palmyra/").content.decode()


def test_token_requests_bypass_the_cache(api, api_as, alice, palmyra):
    api.get(f"{SITES}palmyra/")
    response = api_as(alice).get(f"{SITES}palmyra/")
    assert cache_state(response) is None


def test_responses_that_set_a_cookie_are_not_stored(client, palmyra):
    first = client.get("/admin/login/")
    client.cookies.clear()
    second = client.get("/admin/login/")
    assert cache_state(first) is None and cache_state(second) is None


def test_errors_and_exports_are_not_stored(client, palmyra):
    assert cache_state(client.get(f"{SITES}no-such-site/")) is None
    assert cache_state(client.get(f"{SITES}geojson/")) is None


def test_the_cache_is_off_by_default_without_a_shared_cache():
    import subprocess
    import sys

    def default_with(cache_url):
        code = "import django; django.setup(); from django.conf import settings; print(settings.RESPONSE_CACHE_SECONDS)"
        env = {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "CACHE_URL": cache_url, "PATH": ""}
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout

    assert default_with("locmem://").strip() == "0"
    assert default_with("redis://127.0.0.1:6379/9").strip() == "300"


def test_the_cache_can_be_turned_off(client, palmyra, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    client.get(f"{SITES}palmyra/")
    assert cache_state(client.get(f"{SITES}palmyra/")) is None


def test_with_the_cache_server_down_pages_are_built_and_edits_are_saved(client, palmyra, settings, caplog):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens on port 9
    response = client.get("/sites/palmyra/")
    assert response.status_code == 200
    assert cache_state(response) is None
    palmyra.summary = "Saved while the cache is down."
    palmyra.save()
    RiskProfile.objects.record_changed([palmyra])
    assert Site.objects.get(pk=palmyra.pk).summary == "Saved while the cache is down."
    assert "cache is unreachable" in caplog.text


# Forgetting only what changed ------------------------------------------------------


@pytest.fixture
def bel(palmyra):
    return make_site("Temple of Bel", slug="temple-of-bel", parent=palmyra)


@pytest.fixture
def damascus():
    return make_site("Ancient City of Damascus", slug="damascus", **DAMASCUS)


def test_an_incident_write_retires_the_pages_that_show_it_and_every_list_but_no_other_page(
    client, api_as, alice, bel, damascus, django_assert_num_queries
):
    incident = make_incident([bel], title="Temple of Bel destroyed")
    pages = ["/sites/palmyra/", "/sites/temple-of-bel/", "/sites/damascus/", f"{SITES}palmyra/",
             f"{SITES}damascus/", "/incidents/", SITES, "/"]
    assert [cache_state(client.get(page)) for page in pages] == ["miss"] * len(pages)
    editor, url = api_as(alice), f"/api/v1/incidents/{incident.slug}/"
    assert editor.patch(url, {"title": "Temple of Bel blown up"}, format="json",
                        HTTP_IF_MATCH=editor.get(url)["ETag"]).status_code == 200

    assert {page: cache_state(client.get(page)) for page in pages} == {
        "/sites/palmyra/": "miss",  # Bel is part of Palmyra: its page shows Bel's incidents
        "/sites/temple-of-bel/": "miss",
        "/sites/damascus/": "hit",
        f"{SITES}palmyra/": "miss",
        f"{SITES}damascus/": "hit",
        "/incidents/": "miss",
        SITES: "miss",
        "/": "miss",
    }
    assert "Temple of Bel blown up" in client.get("/sites/palmyra/").text
    with django_assert_num_queries(0):
        assert cache_state(client.get("/sites/damascus/")) == "hit"


def test_a_site_page_is_retired_by_a_write_to_another_site_it_names(client, bel, damascus):
    make_incident([bel, damascus], title="Antiquities seized")  # Palmyra's page: "At Temple of Bel, Damascus"
    client.get("/sites/palmyra/")
    damascus.name = "Damascus"
    damascus.save()
    RiskProfile.objects.record_changed([damascus])
    response = client.get("/sites/palmyra/")
    assert cache_state(response) == "miss"
    assert 'At <a href="/sites/damascus/">Damascus</a>, <a href="/sites/temple-of-bel/">' in response.text


def test_hiding_the_city_a_page_measures_from_retires_that_page(client, palmyra):
    city = make_site("Damascus", slug="damascus-city", kind="city", **DAMASCUS)
    assert "north-east of Damascus" in client.get("/sites/palmyra/").text
    city.location_sensitivity = "hidden"
    city.save()
    RiskProfile.objects.record_changed([city])
    response = client.get("/sites/palmyra/")
    assert cache_state(response) == "miss"
    assert "of Damascus" not in response.text


def test_a_write_naming_no_site_retires_site_pages_too(client, palmyra):
    client.get("/sites/palmyra/")
    RiskProfile.objects.record_changed()
    assert cache_state(client.get("/sites/palmyra/")) == "miss"


def test_a_write_to_more_sites_than_are_named_one_by_one_retires_everything(palmyra, settings):
    before = response_cache.generation()
    RiskProfile.objects.record_changed(range(1, response_cache.RETIRE_ALL_ABOVE + 2))
    assert response_cache.generation() > before


def build_counting(builds, content=b"Site of Palmyra", seconds=0.3, status=200):
    def view(request):
        builds.append(request.path)
        time.sleep(seconds)
        return HttpResponse(content) if status == 200 else HttpResponseNotFound(content)

    return response_cache.AnonymousResponseCacheMiddleware(view)


def all_at_once(middleware, rf, path, times=10):
    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(lambda _: middleware(rf.get(path)), range(times)))


def test_ten_simultaneous_first_requests_build_the_page_once(rf):
    builds = []
    responses = all_at_once(build_counting(builds), rf, "/sites/palmyra/")
    assert builds == ["/sites/palmyra/"]
    assert sorted(cache_state(response) for response in responses) == ["hit"] * 9 + ["miss"]
    assert {response.content for response in responses} == {b"Site of Palmyra"}


def test_a_request_that_missed_just_before_another_finished_building_replays_its_answer(rf, monkeypatch):
    builds = []
    middleware = build_counting(builds, seconds=0)
    take_lock = response_cache.cache.add
    other_requests = [rf.get("/sites/palmyra/")]

    def another_request_builds_and_lets_go_first(*args, **kwargs):
        if other_requests:
            middleware(other_requests.pop())
        return take_lock(*args, **kwargs)

    monkeypatch.setattr(response_cache.cache, "add", another_request_builds_and_lets_go_first)
    response = middleware(rf.get("/sites/palmyra/"))
    assert builds == ["/sites/palmyra/"]
    assert cache_state(response) == "hit"
    lock = f"{response_cache._key(rf.get('/sites/palmyra/'), response_cache.generation())}:building"
    assert response_cache.cache.get(lock) is None


def test_a_waiting_request_whose_builder_finishes_between_two_looks_replays_its_answer(rf, monkeypatch):
    builds = []
    middleware = build_counting(builds, seconds=0)
    lock = f"{response_cache._key(rf.get('/sites/palmyra/'), response_cache.generation())}:building"
    response_cache.cache.add(lock, 1)  # another request is building the page
    read = response_cache.cache.get
    builder = [rf.get("/sites/palmyra/")]

    def builder_stores_and_lets_go_as_the_lock_is_looked_at(key, *args, **kwargs):
        if key == lock and builder:
            response_cache.cache.delete(lock)
            middleware(builder.pop())
        return read(key, *args, **kwargs)

    monkeypatch.setattr(response_cache.cache, "get", builder_stores_and_lets_go_as_the_lock_is_looked_at)
    response = middleware(rf.get("/sites/palmyra/"))
    assert builds == ["/sites/palmyra/"]
    assert cache_state(response) == "hit"


def test_requests_waiting_for_an_answer_that_is_not_stored_build_it_themselves(rf):
    builds = []
    responses = all_at_once(build_counting(builds, b"No such site", seconds=0.1, status=404), rf, "/sites/nowhere/")
    assert len(builds) == 10
    assert [response.status_code for response in responses] == [404] * 10


def test_requests_wait_for_another_build_only_so_long(rf, monkeypatch):
    monkeypatch.setattr(response_cache, "COALESCE_WAIT_SECONDS", 0.2)
    builds = []
    responses = all_at_once(build_counting(builds, seconds=1), rf, "/sites/palmyra/", times=3)
    assert len(builds) == 3
    assert [response.status_code for response in responses] == [200] * 3


def test_an_answer_built_while_a_write_commits_is_not_kept(rf, palmyra):
    def view_read_before_a_write(request):
        RiskProfile.objects.record_changed([palmyra])  # as another request's commit would, mid-build
        return HttpResponse("Site of Palmyra")

    middleware = response_cache.AnonymousResponseCacheMiddleware(view_read_before_a_write)
    assert cache_state(middleware(rf.get("/sites/palmyra/"))) is None
    assert cache_state(middleware(rf.get("/sites/palmyra/"))) is None
