"""`make bench`: latency, queries, throughput, memory and a peer comparison, on PostgreSQL.

    python -m bench [--scale 1.0] [--requests 50] [--load-seconds 60] [--skip-load] [--skip-peer]

Steps, each bounded in time and on 127.0.0.1 only:
1. the benchmark database (BENCH_DATABASE_URL) is created and migrated if needed, and filled with
   demo data (manage.py generate_demo_data) if it has fewer demo sites than the scale asks for;
2. in process, with django.test.Client: p50/p95 latency and queries per request for bench.targets.URLS,
   and the peak memory traced while streaming the whole-table exports;
3. a real gunicorn (config/gunicorn.py) under wrk: throughput per URL, then the load test
   (50 connections for 60 s over the mix), with the server's memory at start and end;
4. the UNESCO list served by our API and by Datasette side by side: throughput ratio.
URLs that do not resolve yet are reported as "missing". Results go to bench/results/*.json.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from bench.targets import PEER_URLS, URLS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WHC_CSV = Path(os.getenv("WHC_CSV", ROOT.parent / "shared" / "data" / "whc-sites-2024.csv"))
HOST = "127.0.0.1"
OUR_PORT, PEER_OUR_PORT, DATASETTE_PORT, PEER_UNCACHED_PORT = 8765, 8766, 8767, 8768
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/heritage_bench"
URL_BUDGET_SECONDS = 30


def production_environment(database_url):
    """The production configuration, pointed at the benchmark database, served on loopback."""
    env = {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.getenv("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        # Every benchmark request comes from 127.0.0.1: the API's per-address throttles would turn
        # the load test into 429s. Production keeps its own rates (API_THROTTLE_ANON, API_THROTTLE_USER).
        "API_THROTTLE_ANON": os.getenv("BENCH_API_THROTTLE_ANON", "1000000/minute"),
        # DRF's per-user throttle also counts anonymous requests, by address.
        "API_THROTTLE_USER": os.getenv("BENCH_API_THROTTLE_USER", "1000000/minute"),
        # As in production: a cache shared by every worker (Redis), which the response cache needs.
        "CACHE_URL": os.getenv("BENCH_CACHE_URL") or ("redis://127.0.0.1:6379/15" if redis_is_up() else "locmem://"),
        "CACHE_KEY_PREFIX": "heritage-bench",
    }
    os.environ.update(env)
    return dict(os.environ)


def redis_is_up():
    import socket

    try:
        with socket.create_connection((HOST, 6379), timeout=1):
            return True
    except OSError:
        return False


def ensure_database(database_url):
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"\w+", name):
        sys.exit(f"Refusing an unusual database name: {name!r}")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def fill(path, slugs, number):
    return path.format(slug=slugs[number % len(slugs)]) if slugs else path


def resolves(path):
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def consume(response):
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_in_process(entry, slugs, requests, cached=False):
    """p50/p95 ms, queries per request and (for exports) peak traced memory, via django.test.Client.

    Uncached (the default), every request is built afresh: the response cache is off. Cached, every
    path is asked once first, so the measured requests are answered as repeat visits are in production.
    """
    from django.test import Client, override_settings

    path = fill(entry["path"], slugs, 0)
    result = {"name": entry["name"], "path": entry["path"]}
    if not resolves(path):
        return result | {"status": "missing"}
    with override_settings(**({} if cached else {"RESPONSE_CACHE_SECONDS": 0})):
        return result | _measure(Client(), entry, slugs, requests, cached)


class QueryCounter:
    """Counts the queries run; unlike CaptureQueriesContext it does not switch on the debug cursor,
    whose logging of every statement added some 5 ms to a request of seven queries."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _measure(client, entry, slugs, requests, cached):
    from django.db import connection

    result = {}
    path = fill(entry["path"], slugs, 0)
    distinct_paths = max(1, min(len(slugs), requests)) if "{slug}" in entry["path"] else 1
    # Whole-table exports take seconds each: warm-up effects vanish in them, so three plain runs.
    runs, warmups = (3, 0) if entry.get("memory") else (requests, distinct_paths if cached else 2)
    times, queries, statuses, sizes = [], [], set(), []
    deadline = time.monotonic() + URL_BUDGET_SECONDS
    for number in range(runs + warmups):
        if len(times) >= 3 and time.monotonic() > deadline:
            break  # a slow URL is measured on fewer requests rather than holding the run up
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.get(fill(entry["path"], slugs, number % distinct_paths if cached else number))
            size = consume(response)
            elapsed = (time.perf_counter() - started) * 1000
        if number >= warmups:
            times.append(elapsed)
            queries.append(counter.count)
            statuses.add(response.status_code)
            sizes.append(size)
    result |= {
        "status": "ok" if statuses <= {200} else "error",
        "http": sorted(statuses),
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": max(queries),
        "bytes": max(sizes),
        "measured": len(times),
    }
    if entry.get("memory") and not cached:
        tracemalloc.start()
        consume(client.get(path))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result["peak_mb"] = round(peak / 1e6, 1)
        result["memory_flat"] = peak < 0.5 * result["bytes"]
    return result


def verdict(result, entry):
    if result["status"] != "ok":
        return result["status"]
    if entry.get("memory"):
        return "meets" if result["memory_flat"] else "MISSES"
    if entry.get("p50_ms") is None:
        return "—"
    return "meets" if result["p50_ms"] <= entry["p50_ms"] else "MISSES"


# Servers ----------------------------------------------------------------------


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback http only)
                return True
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error still means the server is up
                return True
            time.sleep(0.3)
    return False


class Server:
    """A child process serving on loopback, stopped (with its workers) on exit."""

    def __init__(self, args, env, probe):
        # The server's log goes to a file: a pipe nobody reads fills up and then blocks the server.
        self.log = tempfile.NamedTemporaryFile(prefix="heritage-bench-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 (our own fixed command lines)
            args, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        if not wait_for(probe):
            self.stop()
            raise RuntimeError(f"{Path(args[0]).name} did not start: {self.log_tail()}")

    def log_tail(self, size=2000):
        return Path(self.log.name).read_text(errors="replace")[-size:]

    def rss_mb(self):
        """Resident memory of the server and all its workers."""
        total = 0
        for pid in [self.process.pid, *children(self.process.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(match.group(1)) if match else 0
        return round(total / 1024, 1)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()
        os.unlink(self.log.name)


def children(pid):
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def settle(port=None, seconds=90):
    """Wait until the work a finished wrk run left behind is done, so it does not slow the next run.

    wrk stops sending, but gunicorn still serves the requests it accepted, and PostgreSQL still runs
    their queries: wait until the database has no other active query and the server answers at once.
    """
    from django.db import connection

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            )
            busy = cursor.fetchone()[0]
        started = time.monotonic()
        if port and not busy:
            wait_for(f"http://{HOST}:{port}/admin/login/", seconds=10)
        if not busy and time.monotonic() - started < 0.5:
            return
        time.sleep(1)


UNCACHED = {"RESPONSE_CACHE_SECONDS": "0"}


def throughput(env, entries, slugs, seconds, server=None):
    """wrk against each URL (whole-table exports aside) on a gunicorn serving env; prints and returns rows.

    Uses the given server, or starts one of its own and stops it after.
    """
    own = server is None
    server = gunicorn(env, OUR_PORT) if own else server
    rows = []
    try:
        for entry in entries:
            if entry.get("memory"):
                continue
            path = fill(entry["path"], slugs, 0)
            settle(OUR_PORT)
            run = wrk(f"http://{HOST}:{OUR_PORT}{path}", seconds, 10)
            rows.append({"name": entry["name"], **run})
            print(f"{entry['name']:<28} {run['requests_per_s']:>8.0f} req/s  p50 {run['p50']}  p99 {run['p99']}"
                  f"  errors {run['non_2xx_3xx'] + run['socket_errors']}")
    finally:
        if own:
            server.stop()
            settle()
    return rows


def gunicorn(env, port):
    binary = Path(sys.executable).parent / "gunicorn"
    args = [str(binary), "-c", "config/gunicorn.py", "--bind", f"{HOST}:{port}", "config.wsgi"]
    return Server(args, env, f"http://{HOST}:{port}/admin/login/")


def wrk(url, seconds, connections, script=None, env=None):
    """Run wrk against a loopback URL; returns requests/s, latency and error counts."""
    if urlparse(url).hostname != HOST:
        raise ValueError("wrk only ever targets 127.0.0.1")
    # A response slower than gunicorn's own 30 s limit is an error; anything faster counts as latency.
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", url]
    if script:
        args[1:1] = ["-s", str(script)]
    output = subprocess.run(  # noqa: S603 (fixed command line)
        args, capture_output=True, text=True, timeout=seconds + 30, env=env, check=False,
    ).stdout
    number = lambda pattern: float(m.group(1)) if (m := re.search(pattern, output)) else 0.0  # noqa: E731
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests_per_s": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": int(number(r"(\d+) requests in")),
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(int(value) for value in errors.groups()) if errors else 0,
        "p50": (m.group(1) if (m := re.search(r"^\s+50%\s+(\S+)", output, re.M)) else None),
        "p99": (m.group(1) if (m := re.search(r"^\s+99%\s+(\S+)", output, re.M)) else None),
        "output": output[-1500:],
    }


# Peer comparison --------------------------------------------------------------


def datasette_database(folder):
    """The UNESCO list as a SQLite table for Datasette (descriptions left out, as UNESCO's terms ask)."""
    import csv

    path = folder / "whc.db"
    with WHC_CSV.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    columns = [name for name in rows[0] if not name.endswith(("description_en", "justification_en"))]
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE IF EXISTS whc")
        definition = ", ".join(f'"{name}" TEXT' for name in columns if name != "id_no")
        connection.execute(f'CREATE TABLE whc ("id_no" INTEGER PRIMARY KEY, {definition})')
        placeholders = ", ".join("?" for _ in columns)
        quoted = ", ".join(f'"{name}"' for name in columns)
        connection.executemany(
            f"INSERT INTO whc ({quoted}) VALUES ({placeholders})",  # noqa: S608 (column names from the CSV header)
            [[row[name] for name in columns] for row in rows],
        )
        connection.execute("CREATE INDEX whc_iso_code ON whc (iso_code)")
    connection.close()
    return path


def datasette_binary():
    binary = ROOT / ".venv-bench" / "bin" / "datasette"
    if binary.exists():
        return binary
    print("Installing Datasette into .venv-bench (requirements-bench.txt)…")
    subprocess.run([sys.executable, "-m", "venv", str(ROOT / ".venv-bench")], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv-bench" / "bin" / "pip"), "install", "-q", "-r", str(ROOT / "requirements-bench.txt")],
        check=True, timeout=300,
    )
    return binary


def peer_comparison(env, seconds):
    from django.core.management import CommandError, call_command, get_commands

    from sites.models import Identifier

    result = {"rows": []}
    if not WHC_CSV.is_file():
        result["error"] = f"No UNESCO list at {WHC_CSV} (set WHC_CSV)."
        return result
    if "import_whc" not in get_commands():
        result["note"] = "manage.py import_whc does not exist on this branch: our side not measured."
        whc_slug = None
    else:
        try:
            if not Identifier.objects.filter(authority="unesco", value="23").exists():
                call_command("import_whc", str(WHC_CSV), no_progress=True)
            whc_slug = Identifier.objects.get(authority="unesco", value="23").site.slug
        except (CommandError, Identifier.DoesNotExist) as error:
            result["note"] = f"import_whc failed, our side not measured: {error}"
            whc_slug = None
    folder = Path(tempfile.mkdtemp(prefix="heritage-bench-"))
    servers = []
    try:
        database = datasette_database(folder)
        datasette = Server(
            [str(datasette_binary()), "serve", "--immutable", str(database), "-h", HOST, "-p", str(DATASETTE_PORT)],
            env, f"http://{HOST}:{DATASETTE_PORT}/whc/whc/23.json",
        )
        servers.append(datasette)
        ours = gunicorn(env, PEER_OUR_PORT) if whc_slug else None
        uncached = gunicorn(env | UNCACHED, PEER_UNCACHED_PORT) if whc_slug else None
        servers.extend(server for server in (ours, uncached) if server)
        for entry in PEER_URLS:
            row = {"name": entry["name"]}
            settle()
            row["datasette"] = wrk(f"http://{HOST}:{DATASETTE_PORT}{entry['datasette']}", seconds, 10)
            if ours:
                path = entry["ours"].format(whc_slug=whc_slug)
                with urllib.request.urlopen(f"http://{HOST}:{PEER_OUR_PORT}{path}", timeout=30) as response:  # noqa: S310
                    row["ours_status"] = response.status
                settle(PEER_OUR_PORT)
                row["ours"] = wrk(f"http://{HOST}:{PEER_OUR_PORT}{path}", seconds, 10)
                theirs = row["datasette"]["requests_per_s"]
                row["ratio"] = round(row["ours"]["requests_per_s"] / theirs, 2) if theirs else None
                settle(PEER_UNCACHED_PORT)
                row["ours_uncached"] = wrk(f"http://{HOST}:{PEER_UNCACHED_PORT}{path}", seconds, 10)
                ratio = row["ours_uncached"]["requests_per_s"] / theirs if theirs else None
                row["ratio_uncached"] = round(ratio, 2) if ratio is not None else None
            result["rows"].append(row)
    except (urllib.error.URLError, RuntimeError, subprocess.SubprocessError) as error:
        result["error"] = str(error)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return result


# Main -------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.getenv("BENCH_SCALE", "1.0")),
                        help="Demo data scale (1.0 = 100,000 sites).")
    parser.add_argument("--requests", type=int, default=50, help="Measured requests per URL, in process.")
    parser.add_argument("--throughput-seconds", type=int, default=10)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-connections", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true", help="Skip the gunicorn/wrk part.")
    parser.add_argument("--skip-peer", action="store_true", help="Skip the Datasette comparison.")
    options = parser.parse_args()

    database_url = os.getenv("BENCH_DATABASE_URL", DEFAULT_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("BENCH_DATABASE_URL must point at PostgreSQL.")
    if options.load_seconds > 600 or options.throughput_seconds > 120:
        sys.exit("Keep runs bounded: at most 600 s of load and 120 s per throughput run.")
    env = production_environment(database_url)
    ensure_database(database_url)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from sites.models import Site

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    wanted = round(100_000 * options.scale)
    have = Site.objects.filter(slug__startswith="demo-").count()
    if have < wanted:
        print(f"Generating demo data at scale {options.scale} ({have:,} demo sites present)…")
        call_command("generate_demo_data", scale=options.scale, sites=wanted - have)
    from demo.data import analyze

    analyze()  # fresh planner statistics, whatever loaded the data
    demo_slugs = list(Site.objects.filter(slug__startswith="demo-").order_by("pk").values_list("slug", flat=True))
    slugs = demo_slugs[:: max(1, len(demo_slugs) // 50)][:50]  # 50 sites spread over the table

    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    report = {"started": datetime.now(UTC).isoformat(), "database": urlparse(database_url).path.lstrip("/"),
              "demo_sites": Site.objects.filter(slug__startswith="demo-").count(), "cores": os.cpu_count(),
              "shared_buffers": shared_buffers, "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
              "response_cache_seconds": settings.RESPONSE_CACHE_SECONDS}
    print(f"\nIn process (django.test.Client, {options.requests} requests each), {report['demo_sites']:,} demo sites; "
          f"PostgreSQL shared_buffers {shared_buffers}; cache {report['cache']}, response cache "
          f"{settings.RESPONSE_CACHE_SECONDS} s")
    print("Uncached: every response built afresh. Cached: the same requests again, answered as repeat visits are.")
    report["latency"] = []
    print(f"{'URL':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'peak MB':>8}  {'target':<12} {'verdict':<8} "
          f"{'cached p50':>10}  verdict")
    for entry in URLS:
        result = measure_in_process(entry, slugs, options.requests)
        result["verdict"] = verdict(result, entry)
        if result["status"] == "ok" and not entry.get("memory") and settings.RESPONSE_CACHE_SECONDS:
            result["cached"] = measure_in_process(entry, slugs, options.requests, cached=True)
            result["cached"]["verdict"] = verdict(result["cached"], entry)
        cached = result.get("cached", {})
        report["latency"].append(result)
        target = "flat memory" if entry.get("memory") else (f"p50 ≤ {entry['p50_ms']} ms" if entry.get("p50_ms")
                                                             else "—")
        print(f"{entry['name']:<28} {result.get('p50_ms', '-'):>8} {result.get('p95_ms', '-'):>8} "
              f"{result.get('queries', '-'):>8} {result.get('peak_mb', '-'):>8}  {target:<12} {result['verdict']:<8} "
              f"{cached.get('p50_ms', '-'):>10}  {cached.get('verdict', '-')}"
              + (f" (HTTP {result['http']})" if result["status"] == "error" else ""))

    present = [entry for entry, result in zip(URLS, report["latency"], strict=True) if result["status"] != "missing"]
    if not options.skip_load and shutil.which("wrk"):
        print(f"\nThroughput (gunicorn, wrk 10 connections × {options.throughput_seconds} s), uncached")
        report["throughput_uncached"] = throughput(env | UNCACHED, present, slugs, options.throughput_seconds)
        server = gunicorn(env, OUR_PORT)
        try:
            if settings.RESPONSE_CACHE_SECONDS:
                print(f"\nThroughput (gunicorn, wrk 10 connections × {options.throughput_seconds} s), cached")
                report["throughput"] = throughput(env, present, slugs, options.throughput_seconds, server)
            mix = [fill(entry["path"], slugs, number) for entry in present if entry["load"] for number in range(5)]
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
                paths.write("\n".join(mix))
            settle(OUR_PORT)
            before = server.rss_mb()
            run = wrk(f"http://{HOST}:{OUR_PORT}/", options.load_seconds, options.load_connections,
                      script=ROOT / "bench" / "mixed.lua", env=env | {"BENCH_PATHS": paths.name})
            after = server.rss_mb()
            os.unlink(paths.name)
            errors = run["non_2xx_3xx"] + run["socket_errors"]
            report["load"] = {**run, "connections": options.load_connections, "seconds": options.load_seconds,
                              "paths": len(mix), "rss_mb_start": before, "rss_mb_end": after, "errors": errors}
            print(f"\nLoad test: {options.load_connections} connections × {options.load_seconds} s over {len(mix)} "
                  f"paths: {run['requests']:,} requests, {run['requests_per_s']:.0f} req/s, p99 {run['p99']}, "
                  f"errors {errors} (target 0), server memory {before} → {after} MB")
        finally:
            server.stop()
            settle()
    elif not options.skip_load:
        print("\nwrk is not installed (apt-get install wrk): throughput and load test skipped.")

    if not options.skip_peer and shutil.which("wrk"):
        print(f"\nPeer comparison on the UNESCO list (wrk 10 connections × {options.throughput_seconds} s)")
        report["peer"] = peer_comparison(env, options.throughput_seconds)
        for row in report["peer"]["rows"]:
            ours = row.get("ours", {}).get("requests_per_s")
            uncached = row.get("ours_uncached", {}).get("requests_per_s")
            print(f"{row['name']:<28} ours {ours if ours is not None else 'n/a':>8} req/s   Datasette "
                  f"{row['datasette']['requests_per_s']:>8.0f} req/s   ratio {row.get('ratio', 'n/a')} (goal ≥ 1.0); "
                  f"uncached {uncached if uncached is not None else 'n/a'} req/s, ratio {row.get('ratio_uncached', 'n/a')}")
        for key in ("note", "error"):
            if key in report["peer"]:
                print(f"  {report['peer'][key]}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
