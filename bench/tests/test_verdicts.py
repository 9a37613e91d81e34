"""Issue 14's targets as bench/verdicts.py judges them, on hand-made figures of two scales."""

import pytest

from bench import verdicts


def report(sites, latency, **more):
    return {"sites": sites, "latency": latency, **more}


def url(name, p50_ms, queries=5, **more):
    return {"name": name, "status": "ok", "p50_ms": p50_ms, "queries": queries, **more}


SMALL = report(10_000, [
    url("Site page", 100.0, 19), url("API site detail", 20.0, 7), url("Ranked search", 50.0),
    url("API CSV, all sites", 2000.0, 1, copy_ms=100.0, peak_mb=2.0),
])
LARGE = report(100_000, [
    url("Site page", 160.0, 19), url("API site detail", 25.0, 7), url("Ranked search", 80.0),
    url("API CSV, all sites", 20000.0, 1, copy_ms=1000.0, peak_mb=2.5),
])


def test_growth_passes_up_to_one_and_a_half_times_slower_and_fails_beyond():
    rows = {row["name"]: row for row in verdicts.growth([SMALL, LARGE])}
    assert rows["Site page"]["ratios"] == [1.6] and rows["Site page"]["verdict"] == "FAIL"
    assert rows["API site detail"]["ratios"] == [1.25] and rows["API site detail"]["verdict"] == "PASS"
    assert rows["Site page"]["queries"] == [19, 19]


def test_a_whole_table_export_grows_by_its_time_per_site():
    rows = {row["name"]: row for row in verdicts.growth([SMALL, LARGE])}
    # Ten times the sites in ten times the time: each site costs what it did.
    assert rows["API CSV, all sites"]["ratios"] == [1.0] and rows["API CSV, all sites"]["verdict"] == "PASS"
    assert rows["API CSV, all sites"]["per_site"] and not rows["Site page"]["per_site"]


def test_a_url_missing_at_one_scale_has_no_verdict():
    large = report(100_000, [{"name": "Site page", "status": "missing"}])
    row = verdicts.growth([report(10_000, [url("Site page", 100.0)]), large])[0]
    assert (row["p50_ms"], row["verdict"]) == ([100.0, None], "n/a")


def test_ranked_search_is_judged_against_the_api_detail_at_the_largest_scale():
    assert verdicts.search_vs_detail([SMALL, LARGE]) == {
        "search_ms": 80.0, "detail_ms": 25.0, "ratio": 3.2, "verdict": "FAIL",
    }


def test_exports_are_judged_against_copy_and_their_memory_growth():
    (row,) = verdicts.exports([SMALL, LARGE])
    assert row["vs_copy"] == [20.0, 20.0] and row["copy_verdict"] == "FAIL"
    assert row["memory_growth"] == [1.25] and row["memory_verdict"] == "PASS"


def test_the_cache_after_a_write_passes_only_if_the_unrelated_page_is_a_hit_and_the_edited_one_fresh():
    measured = {"status": "ok", "unrelated_after_write": "hit", "edited_after_write": "miss",
                "served_from_cache": True, "edited_shows_write": True}
    stale = measured | {"edited_shows_write": False}
    retired = measured | {"unrelated_after_write": "miss", "served_from_cache": False}
    rows = verdicts.cache_after_write([
        report(1, [], cache_after_write=measured), report(2, [], cache_after_write=stale),
        report(3, [], cache_after_write=retired), report(4, [], cache_after_write={"status": "skipped",
                                                                                  "reason": "no response cache"}),
    ])
    assert [row["verdict"] for row in rows] == ["PASS", "FAIL", "FAIL", "n/a"]
    assert rows[3]["detail"] == "no response cache"


@pytest.mark.parametrize(("errors", "expected"), [(0, "PASS"), (3, "FAIL")])
def test_the_load_test_with_an_editor_passes_with_no_errors(errors, expected):
    read_only = {"p99": "900ms", "requests_per_s": 40.0, "errors": 0}
    editing = {"p99": "2.1s", "requests_per_s": 30.0, "errors": errors, "writes": 60}
    (row,) = verdicts.load([report(100_000, [], load=read_only, load_with_editor=editing)])
    assert (row["p99_read_only"], row["p99_with_editor"], row["verdict"]) == ("900ms", "2.1s", expected)


def test_the_peer_comparison_uses_the_uncached_ratio_against_each_goal():
    peer = {"rows": [{"name": "Single record", "ratio": 5.0, "ratio_uncached": 0.15},
                     {"name": "Filtered list of 50", "ratio": 9.0, "ratio_uncached": 3.1}]}
    rows = verdicts.peer([report(10_000, []), report(100_000, [], peer=peer)])
    assert [(row["ratio_uncached"], row["at_least"], row["verdict"]) for row in rows] == [
        (0.15, 1.0, "FAIL"), (3.1, 3.0, "PASS"),
    ]


def test_only_error_answers_are_measurement_errors():
    failing = report(10_000, [url("Site page", 1.0), {"name": "Ranked search", "status": "error", "http": [500]},
                              {"name": "Nearby", "status": "missing"}])
    assert verdicts.errors([failing]) == ["10,000 sites: Ranked search answered HTTP [500]"]
