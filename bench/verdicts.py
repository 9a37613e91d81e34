"""Issue 14's targets judged on the figures of two or more scales (bench.scale's reports, smallest first).

Every function returns rows of plain values for bench/__main__.py to print; a verdict is "PASS",
"FAIL", or "n/a" with the reason when the figure could not be measured.
"""

from bench.targets import (
    EXPORT_VS_COPY_AT_MOST,
    GROWTH_AT_MOST,
    MEMORY_GROWTH_AT_MOST,
    PEER_URLS,
    SEARCH_VS_DETAIL_AT_MOST,
)

PASS, FAIL, NA = "PASS", "FAIL", "n/a"


def judge(passed):
    return PASS if passed else FAIL


def ratio(larger, smaller):
    return round(larger / smaller, 2) if larger is not None and smaller else None


def latency_of(report, name):
    return next((row for row in report["latency"] if row["name"] == name), {"status": "missing"})


def growth(reports):
    """Per URL: its uncached p50 at each scale, and the ratio of each larger scale to the smallest.

    A whole-table export (timed beside COPY) writes every site, ten times as many at ten times the scale: its
    ratio is of the time per site (``per_site``), which stays flat when the export does not slow as it grows.
    """
    smallest, rows = reports[0], []
    for row in smallest["latency"]:
        p50s = [latency_of(report, row["name"]).get("p50_ms") for report in reports]
        per_site = "copy_ms" in row
        costs = [p50 / report["sites"] if per_site and p50 is not None else p50
                 for p50, report in zip(p50s, reports, strict=True)]
        ratios = [ratio(cost, costs[0]) for cost in costs[1:]]
        known = None not in ratios and ratios
        verdict = judge(all(value <= GROWTH_AT_MOST for value in ratios)) if known else NA
        rows.append({"name": row["name"], "p50_ms": p50s, "ratios": ratios, "verdict": verdict, "per_site": per_site,
                     "queries": [latency_of(report, row["name"]).get("queries") for report in reports]})
    return rows


def side_by_side(reports, figures):
    """Per name, a figure at each scale and each larger scale's ratio to the smallest (no target: for reading).

    ``figures(report)`` gives {name: number or None} for one scale.
    """
    at_scales = [figures(report) for report in reports]
    return [{"name": name, "values": [found.get(name) for found in at_scales],
             "ratios": [ratio(found.get(name), at_scales[0][name]) for found in at_scales[1:]]}
            for name in at_scales[0]]


def cached_p50s(report):
    return {row["name"]: row.get("cached", {}).get("p50_ms") for row in report["latency"] if "cached" in row}


def throughputs(key):
    def figures(report):
        return {row["name"]: row["requests_per_s"] for row in report.get(key) or []}

    return figures


def search_vs_detail(reports):
    largest = reports[-1]
    search = latency_of(largest, "Ranked search").get("p50_ms")
    detail = latency_of(largest, "API site detail").get("p50_ms")
    value = ratio(search, detail)
    return {"search_ms": search, "detail_ms": detail, "ratio": value,
            "verdict": NA if value is None else judge(value <= SEARCH_VS_DETAIL_AT_MOST)}


def exports(reports):
    """Per export: its time beside COPY at each scale, and whether its peak memory stayed flat."""
    rows = []
    for row in reports[0]["latency"]:
        if "copy_ms" not in row and "peak_mb" not in row:
            continue
        at_scales = [latency_of(report, row["name"]) for report in reports]
        vs_copy = [ratio(found.get("p50_ms"), found.get("copy_ms")) for found in at_scales]
        peaks = [found.get("peak_mb") for found in at_scales]
        memory = [ratio(peak, peaks[0]) for peak in peaks[1:]]
        rows.append({
            "name": row["name"],
            "p50_ms": [found.get("p50_ms") for found in at_scales],
            "copy_ms": [found.get("copy_ms") for found in at_scales],
            "vs_copy": vs_copy,
            "copy_verdict": NA if None in vs_copy else judge(all(value <= EXPORT_VS_COPY_AT_MOST for value in vs_copy)),
            "peak_mb": peaks,
            "memory_growth": memory,
            "memory_verdict": NA if None in memory or not memory else judge(
                all(value <= MEMORY_GROWTH_AT_MOST for value in memory)
            ),
        })
    return rows


def cache_after_write(reports):
    rows = []
    for report in reports:
        found = report.get("cache_after_write") or {"status": "skipped", "reason": "not measured"}
        if found["status"] != "ok":
            rows.append({"sites": report["sites"], "verdict": NA, "detail": found.get("reason", found["status"])})
            continue
        passed = found["served_from_cache"] and found["edited_shows_write"]
        detail = (f"unrelated page after the write: {found['unrelated_after_write']}; edited page: "
                  f"{found['edited_after_write']}, {'shows' if found['edited_shows_write'] else 'does NOT show'} "
                  "the new incident")
        rows.append({"sites": report["sites"], "verdict": judge(passed), "detail": detail})
    return rows


def load(reports):
    rows = []
    for report in reports:
        read_only, editing = report.get("load"), report.get("load_with_editor")
        if not editing:
            rows.append({"sites": report["sites"], "verdict": NA,
                         "detail": report.get("load_skipped", "load test not run")})
            continue
        rows.append({
            "sites": report["sites"],
            "p99_read_only": read_only["p99"] if read_only else None,
            "p99_with_editor": editing["p99"],
            "errors": editing["errors"],
            "writes": editing.get("writes"),
            "requests_per_s": [read_only["requests_per_s"] if read_only else None, editing["requests_per_s"]],
            "verdict": judge(editing["errors"] == 0),
        })
    return rows


def peer(reports):
    found = next((report["peer"] for report in reports if report.get("peer")), None)
    rows = []
    for entry in PEER_URLS:
        row = next((row for row in (found or {}).get("rows", []) if row["name"] == entry["name"]), None)
        value = row.get("ratio_uncached") if row else None
        rows.append({"name": entry["name"], "ratio_uncached": value, "ratio_cached": row.get("ratio") if row else None,
                     "at_least": entry["at_least"],
                     "verdict": NA if value is None else judge(value >= entry["at_least"]),
                     "detail": "not run (--skip-peer, or wrk missing)" if found is None
                     else found.get("error") or found.get("note") or ""})
    return rows


def errors(reports):
    """The measurement's own failures (not missed targets): URLs that answered with an error status."""
    return [f"{report['sites']:,} sites: {row['name']} answered HTTP {row.get('http')}"
            for report in reports for row in report["latency"] if row["status"] == "error"]
