import socket

import pytest
from django.core.cache import caches
from django.urls import reverse

from config.security import AnonRateThrottle, client_ip, count_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached_responses(settings):
    """Cached hits skip the throttle, as a caching proxy would (docs/api.md); these requests must reach it."""
    settings.RESPONSE_CACHE_SECONDS = 0

ENDPOINT = "/api/v1/categories/"


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


def get_from(api, forwarded_for, remote_addr="198.51.100.1"):
    return api.get(ENDPOINT, HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR=remote_addr).status_code


def test_an_anonymous_client_cannot_escape_the_limit_by_sending_its_own_forwarded_for(api, three_a_minute):
    assert [get_from(api, f"203.0.113.{number}") for number in range(1, 4)] == [200, 200, 200]
    assert get_from(api, "203.0.113.99") == 429


def test_behind_one_proxy_the_address_it_appended_is_the_client(api, three_a_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote the left part itself; our proxy appended the last one.
    assert [get_from(api, f"10.0.0.{number}, 203.0.113.7") for number in range(1, 4)] == [200, 200, 200]
    assert get_from(api, "10.0.0.99, 203.0.113.7") == 429
    assert get_from(api, "203.0.113.8") == 200


def test_the_client_address_counts_only_as_many_forwarded_hops_as_there_are_trusted_proxies(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 5  # more proxies than hops: the leftmost, never beyond
    assert client_ip(request) == "6.6.6.6"


def test_admin_logins_are_counted_per_client_behind_the_proxy_too(client, alice, settings):
    settings.AXES_ENABLED, settings.AXES_FAILURE_LIMIT, settings.TRUSTED_PROXY_COUNT = True, 2, 1

    def attempt(forwarded_for):
        return client.post(reverse("admin:login"), {"username": "alice", "password": "wrong"},
                           HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert attempt("1.1.1.1, 203.0.113.7") == 200
    assert attempt("2.2.2.2, 203.0.113.7") == 429
    assert attempt("203.0.113.8") == 200


def test_a_refused_request_is_told_to_retry_when_the_window_ends(api, three_a_minute, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: 6_000_045.0)  # 45 s into a minute
    for _ in range(3):
        api.get(ENDPOINT, REMOTE_ADDR="198.51.100.9")

    refused = api.get(ENDPOINT, REMOTE_ADDR="198.51.100.9")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"


def test_the_next_window_counts_from_zero_again(api, three_a_minute, monkeypatch):
    now = [6_000_000.0]
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: now[0])
    assert [api.get(ENDPOINT, REMOTE_ADDR="198.51.100.9").status_code for _ in range(4)] == [200, 200, 200, 429]

    now[0] += 60
    assert api.get(ENDPOINT, REMOTE_ADDR="198.51.100.9").status_code == 200


def _redis_is_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_each_request_adds_one_to_a_single_count_that_expires_with_its_window(backend, settings):
    if backend == "redis":
        if not _redis_is_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:6379/13", "KEY_PREFIX": "throttle-test"}}
    caches["default"].delete("count:test")

    counts = [count_request("count:test", 60) for _ in range(3)]

    assert counts == [1, 2, 3]
    caches["default"].delete("count:test")
