"""`make bench`: every figure at two scales or more in one run, the ratios between them, and verdicts.

    python -m bench [--scales 10000,100000] [--requests 50] [--throughput-seconds 10]
                    [--load-seconds 60] [--load-connections 50] [--skip-load] [--skip-peer]

Each scale (a number of demo sites; BENCH_SCALES or --scales, e.g. 10000,400000 for EAMENA's
size) is measured by bench.scale in its own process and database: BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/heritage_bench) with the number appended, heritage_bench_100000,
filled with demo data if it has fewer demo sites. The Datasette comparison runs at the largest
scale. Then every figure is printed at each scale with the ratio between them, and each of issue
14's targets gets a verdict (bench/verdicts.py). Missed targets do not fail the run (it is a
measurement); a scale that could not be measured, or a URL answering with an error, does.
Results go to bench/results/*.json.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from bench import verdicts
from bench.targets import (
    EXPORT_VS_COPY_AT_MOST,
    GROWTH_AT_MOST,
    MEMORY_GROWTH_AT_MOST,
    SEARCH_VS_DETAIL_AT_MOST,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/heritage_bench"


def scales_of(text):
    try:
        scales = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"Scales are numbers of sites separated by commas, not {text!r}.") from None
    if len(scales) < 2 or scales[0] < 100:
        raise argparse.ArgumentTypeError("Give at least two scales of 100 sites or more, e.g. 10000,100000.")
    return scales


def database_for(base_url, sites):
    parsed = urlparse(base_url)
    name = f"{parsed.path.lstrip('/')}_{sites}"
    if not re.fullmatch(r"\w+", name):
        sys.exit(f"Refusing an unusual database name: {name!r}")
    return parsed._replace(path=f"/{name}").geturl()


def run_scale(sites, options, base_url, peer):
    """bench.scale for one scale in a child process; returns its report, or None if it failed."""
    with tempfile.NamedTemporaryFile(prefix="heritage-bench-", suffix=".json", delete=False) as out:
        path = Path(out.name)
    args = [sys.executable, "-m", "bench.scale", "--sites", str(sites), "--out", str(path),
            "--requests", str(options.requests), "--throughput-seconds", str(options.throughput_seconds),
            "--load-seconds", str(options.load_seconds), "--load-connections", str(options.load_connections)]
    args += ["--skip-load"] if options.skip_load else []
    args += ["--peer"] if peer else []
    env = dict(os.environ, BENCH_DATABASE_URL=database_for(base_url, sites))
    try:
        finished = subprocess.run(args, cwd=ROOT, env=env, check=False)  # noqa: S603 (our own command line)
        if finished.returncode != 0 or not path.stat().st_size:
            return None
        return json.loads(path.read_text())
    finally:
        path.unlink(missing_ok=True)


def figure(value, unit=""):
    return "-" if value is None else f"{value:,}{unit}"


def times(value):
    return "-" if value is None else f"{value}×"


def summary(reports):
    """Prints every figure at each scale with the ratios and verdicts; returns the verdicts."""
    scales = [report["sites"] for report in reports]
    header = "".join(f"{f'{sites:,} sites':>15}" for sites in scales)
    ratio_header = "".join(f"{f'×{sites // scales[0]:,} ratio':>12}" for sites in scales[1:])
    print(f"\n{'=' * 100}\nLoad average (1 min) at the start of each scale: "
          + ", ".join(f"{report['sites']:,} sites {report['load_average'][0]:.1f}" for report in reports)
          + f" on {reports[0]['cores']} cores; PostgreSQL shared_buffers {reports[0]['shared_buffers']}")
    print(f"Growth: uncached p50 in ms (queries) at each scale; target: at most {GROWTH_AT_MOST}× "
          f"slower from {scales[0]:,} sites (whole-table exports: per site)")
    print(f"{'URL':<28}{header}{ratio_header}  verdict")
    growth = verdicts.growth(reports)
    for row in growth:
        cells = "".join(f"{f'{figure(p50)} ({figure(queries)})':>15}"
                        for p50, queries in zip(row["p50_ms"], row["queries"], strict=True))
        per_site = " per site" if row["per_site"] else ""
        print(f"{row['name']:<28}{cells}{''.join(f'{times(r):>12}' for r in row['ratios'])}  {row['verdict']}{per_site}")

    for title, figures in [
        ("Cached p50 in ms (repeat visits)", verdicts.cached_p50s),
        ("Throughput under wrk, uncached, req/s", verdicts.throughputs("throughput_uncached")),
        ("Throughput under wrk, cached, req/s", verdicts.throughputs("throughput")),
    ]:
        rows = verdicts.side_by_side(reports, figures)
        if rows:
            print(f"\n{title}: at each scale, and the ratio (no target)")
            for row in rows:
                print(f"{row['name']:<28}{''.join(f'{figure(value):>15}' for value in row['values'])}"
                      f"{''.join(f'{times(value):>12}' for value in row['ratios'])}")

    search = verdicts.search_vs_detail(reports)
    print(f"\nRanked search vs API site detail at {scales[-1]:,} sites: {figure(search['search_ms'])} ms vs "
          f"{figure(search['detail_ms'])} ms = {times(search['ratio'])} (target ≤ {SEARCH_VS_DETAIL_AT_MOST}×)  "
          f"{search['verdict']}")

    exports = verdicts.exports(reports)
    print(f"\nWhole-table exports vs PostgreSQL COPY of the same columns (target ≤ {EXPORT_VS_COPY_AT_MOST}×), "
          f"peak traced memory (target: at most {MEMORY_GROWTH_AT_MOST}× from {scales[0]:,} sites)")
    for row in exports:
        cells = "; ".join(
            f"{sites:,}: {figure(p50)} ms vs COPY {figure(copy)} ms = {times(vs)}, peak {figure(peak)} MB"
            for sites, p50, copy, vs, peak in zip(scales, row["p50_ms"], row["copy_ms"], row["vs_copy"],
                                                  row["peak_mb"], strict=True)
        )
        print(f"{row['name']:<28}{cells}")
        print(f"{'':<28}vs COPY {row['copy_verdict']}; memory growth "
              f"{', '.join(times(value) for value in row['memory_growth'])} {row['memory_verdict']}")

    cache = verdicts.cache_after_write(reports)
    print("\nAfter one editor's write, an unrelated site page still served from the cache")
    for row in cache:
        print(f"{row['sites']:>10,} sites: {row['verdict']}  ({row['detail']})")

    load = verdicts.load(reports)
    print("\nLoad test with an editor writing once a second (target: zero errors; p99 beside the read-only run)")
    for row in load:
        if row["verdict"] == verdicts.NA:
            print(f"{row['sites']:>10,} sites: n/a ({row['detail']})")
            continue
        read_only, editing = row["requests_per_s"]
        print(f"{row['sites']:>10,} sites: p99 {row['p99_read_only']} read-only ({figure(read_only)} req/s), "
              f"{row['p99_with_editor']} with the editor ({figure(editing)} req/s, {figure(row['writes'])} writes); "
              f"errors {row['errors']}  {row['verdict']}")

    peer = verdicts.peer(reports)
    print(f"\nUncached throughput vs Datasette on the same UNESCO rows, at {scales[-1]:,} sites")
    for row in peer:
        print(f"{row['name']:<28} {times(row['ratio_uncached'])} (target ≥ {row['at_least']}×; cached "
              f"{times(row['ratio_cached'])})  {row['verdict']}" + (f"  {row['detail']}" if row["detail"] else ""))
    return {"growth": growth, "search_vs_detail": search, "exports": exports, "cache_after_write": cache,
            "load": load, "peer": peer}


def main():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=scales_of, default=os.getenv("BENCH_SCALES", "10000,100000"),
                        help="Numbers of demo sites, separated by commas (default 10000,100000).")
    parser.add_argument("--requests", type=int, default=50, help="Measured requests per URL, in process.")
    parser.add_argument("--throughput-seconds", type=int, default=10)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-connections", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true", help="Skip the gunicorn/wrk part.")
    parser.add_argument("--skip-peer", action="store_true", help="Skip the Datasette comparison.")
    options = parser.parse_args()
    base_url = os.getenv("BENCH_DATABASE_URL", DEFAULT_URL)
    if not base_url.startswith(("postgres://", "postgresql://")):
        sys.exit("BENCH_DATABASE_URL must point at PostgreSQL.")
    if options.load_seconds > 600 or options.throughput_seconds > 120:
        sys.exit("Keep runs bounded: at most 600 s of load and 120 s per throughput run.")

    started = datetime.now(UTC)
    print(f"Benchmark at {', '.join(f'{sites:,}' for sites in options.scales)} demo sites; {os.cpu_count()} cores, "
          f"load average {', '.join(f'{value:.1f}' for value in os.getloadavg())} (other work on this machine "
          "slows what is measured meanwhile: each scale's summary gives the load it ran under)", flush=True)
    reports, failed = [], []
    for sites in options.scales:
        report = run_scale(sites, options, base_url, peer=not options.skip_peer and sites == options.scales[-1])
        if report is None:
            failed.append(f"the {sites:,}-site scale could not be measured (see its output above)")
        else:
            reports.append(report)
    result = {"started": started.isoformat(), "scales": options.scales, "reports": reports}
    if len(reports) >= 2:
        result["verdicts"] = summary(reports)
    failed += verdicts.errors(reports)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nWrote {out.relative_to(ROOT)}")
    if failed:
        sys.exit("Measurement errors: " + "; ".join(failed))


if __name__ == "__main__":
    main()
