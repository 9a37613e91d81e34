import pytest

from bench.scale import measure_in_process, percentile, wrk
from bench.targets import URLS


def test_percentiles_pick_the_nearest_rank():
    values = [float(number) for number in range(1, 101)]
    assert percentile(values, 0.5) in (50.0, 51.0)
    assert percentile(values, 0.95) == 95.0
    assert percentile([], 0.5) is None


def test_every_benchmark_url_is_a_local_path_that_says_whether_the_load_test_mixes_it_in():
    for entry in URLS:
        assert entry["path"].startswith("/")
        assert isinstance(entry["load"], bool)


def test_a_url_that_does_not_resolve_is_reported_missing_not_a_crash(db):
    result = measure_in_process({"name": "Nowhere", "path": "/no-such-page/{slug}/"}, ["x"], 3)
    assert result["status"] == "missing"


def test_an_existing_url_is_measured_with_its_queries(db):
    entry = {"name": "Admin login page", "path": "/admin/login/"}
    result = measure_in_process(entry, [], 3)
    assert result["status"] == "ok"
    assert result["measured"] == 3
    assert result["queries"] == 0


def test_the_load_generator_only_ever_targets_loopback():
    with pytest.raises(ValueError, match="127.0.0.1"):
        wrk("http://example.org/", 1, 1)


def test_uncached_requests_are_built_afresh_and_cached_ones_answered_from_the_cache(db, settings):
    settings.RESPONSE_CACHE_SECONDS = 300
    entry = {"name": "Home", "path": "/"}
    assert measure_in_process(entry, [], 3)["queries"] > 0
    cached = measure_in_process(entry, [], 3, cached=True)
    assert cached["status"] == "ok"
    assert cached["queries"] == 0
