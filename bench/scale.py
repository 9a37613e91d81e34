"""One scale of `make bench`: every figure at one database size, written as JSON.

    python -m bench.scale --sites N --out FILE [--requests 50] [--throughput-seconds 10]
                          [--load-seconds 60] [--load-connections 50] [--skip-load] [--peer]

Run by `python -m bench` once per scale, each in its own process and database
(BENCH_DATABASE_URL with the number of sites appended), which compares them.
Steps, each bounded in time and on 127.0.0.1 only:
1. the database is created and migrated if needed, and filled with demo data
   (manage.py generate_demo_data, PostgreSQL COPY) up to N demo sites;
2. in process, with django.test.Client: p50/p95 latency and queries per request for
   bench.targets.URLS, uncached and cached; the whole-table exports' time beside
   PostgreSQL's own COPY of the same columns, and the peak memory traced while streaming them;
3. whether an unrelated site page is still served from the cache after one editor's write;
4. a real gunicorn (config/gunicorn.py) under wrk: throughput per URL, then the load test
   (50 connections for 60 s over the mix), read-only and then with an editor writing once a second;
5. with --peer, the UNESCO list served by our API and by Datasette side by side: throughput ratio.
URLs that do not resolve yet are reported as "missing".
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
import threading
import time
import tracemalloc
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from bench.targets import EXPORT_COLUMNS, PEER_URLS, URLS

ROOT = Path(__file__).resolve().parent.parent
WHC_CSV = Path(os.getenv("WHC_CSV", ROOT.parent / "shared" / "data" / "whc-sites-2024.csv"))
HOST = "127.0.0.1"
OUR_PORT, PEER_OUR_PORT, DATASETTE_PORT, PEER_UNCACHED_PORT = 8765, 8766, 8767, 8768
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
    # Whole-table exports take seconds each: warm-up effects vanish in them, so two plain runs.
    runs, warmups = (2, 0) if entry.get("export") else (requests, distinct_paths if cached else 2)
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
    if entry.get("export") and not cached:
        tracemalloc.start()
        consume(client.get(path))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result["peak_mb"] = round(peak / 1e6, 1)
        result["streamed"] = peak < 0.5 * result["bytes"]
    return result


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
            if entry.get("export"):
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




# Exports beside COPY --------------------------------------------------------------


def copy_export(runs=2):
    """PostgreSQL's own COPY of the columns the whole-table exports write, for the same rows in the same
    order: seconds (the best of ``runs``) and bytes, read to the end over the same connection."""
    import psycopg
    from django.db import connection

    from sites.models import Site

    sql, params = Site.objects.values_list(*EXPORT_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        statement = psycopg.ClientCursor(raw.connection).mogrify(sql, params)
        times, size = [], 0
        for _ in range(runs):
            started, size = time.perf_counter(), 0
            with raw.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for block in copy:
                    size += len(block)
            times.append(time.perf_counter() - started)
    return {"copy_ms": round(min(times) * 1000, 1), "copy_bytes": size}


# The cache after a write ------------------------------------------------------------


def cache_after_write(site_page):
    """Is a site page that does not show the edited record still served from the cache after one write?

    An unrelated site page is asked twice (the second must be a cache hit), one incident is written at
    another site through the write path, and the unrelated page is asked again; the edited site's page
    is asked too, and must show the new incident.
    """
    from django.conf import settings
    from django.test import Client
    from django.utils.html import escape

    from bench.editor import write_incident
    from sites.models import Site

    if not settings.RESPONSE_CACHE_SECONDS:
        return {"status": "skipped", "reason": "no response cache (it needs Redis)"}
    # Two sites in separate trees: neither is a part, neither has parts.
    alone = Site.objects.filter(slug__startswith="demo-", parent__isnull=True, parts__isnull=True).order_by("pk")
    unrelated, edited = alone.first(), alone.last()
    if unrelated is None or unrelated == edited:
        return {"status": "error", "reason": "fewer than two demo sites standing alone"}
    client = Client()

    def ask(site):
        response = client.get(site_page.format(slug=site.slug))
        return response, response.headers.get("X-Response-Cache", "none")

    ask(unrelated)
    _, before = ask(unrelated)
    incident = write_incident(edited)
    _, after = ask(unrelated)
    edited_response, edited_state = ask(edited)
    return {
        "status": "ok" if before == "hit" else "error",
        "unrelated": unrelated.slug,
        "edited": edited.slug,
        "unrelated_before_write": before,
        "unrelated_after_write": after,
        "edited_after_write": edited_state,
        "edited_shows_write": escape(incident.title) in edited_response.content.decode(errors="replace"),
        "served_from_cache": after == "hit",
    }


# An editor writing during the load test ----------------------------------------------


class Editor(threading.Thread):
    """Writes one incident a second, through the write path, at demo sites in turn, until stopped."""

    def __init__(self, slugs):
        super().__init__(daemon=True)
        self.slugs = slugs
        self.stopping = threading.Event()
        self.times, self.errors = [], []

    def run(self):
        from django.db import connection

        from sites.models import Site

        try:
            sites = list(Site.objects.filter(slug__in=self.slugs))
            number = 0
            while not self.stopping.is_set():
                started = time.monotonic()
                try:
                    write_incident_at(sites[number % len(sites)])
                    self.times.append((time.monotonic() - started) * 1000)
                except Exception as error:  # noqa: BLE001 — every failed write is counted and shown
                    self.errors.append(f"{type(error).__name__}: {error}")
                number += 1
                self.stopping.wait(max(0.0, 1.0 - (time.monotonic() - started)))
        finally:
            connection.close()

    def stop(self):
        self.stopping.set()
        self.join(timeout=60)
        return {
            "writes": len(self.times),
            "write_errors": len(self.errors),
            "error_examples": self.errors[:3],
            "write_p50_ms": round(percentile(self.times, 0.5), 1) if self.times else None,
            "write_p99_ms": round(percentile(self.times, 0.99), 1) if self.times else None,
        }


def write_incident_at(site):
    from bench.editor import write_incident

    return write_incident(site)


def load_test(server, env, mix, seconds, connections, slugs=None):
    """wrk over the mix for ``seconds``; with ``slugs``, an editor writes once a second at those sites."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
        paths.write("\n".join(mix))
    settle(OUR_PORT)
    editor = Editor(slugs) if slugs else None
    before = server.rss_mb()
    if editor:
        editor.start()
    try:
        run = wrk(f"http://{HOST}:{OUR_PORT}/", seconds, connections, script=ROOT / "bench" / "mixed.lua",
                  env=env | {"BENCH_PATHS": paths.name})
    finally:
        writes = editor.stop() if editor else {}
        os.unlink(paths.name)
    after = server.rss_mb()
    errors = run["non_2xx_3xx"] + run["socket_errors"] + writes.get("write_errors", 0)
    return {**run, **writes, "connections": connections, "seconds": seconds, "paths": len(mix),
            "rss_mb_start": before, "rss_mb_end": after, "errors": errors}


def print_load(label, run):
    writes = f", {run['writes']} writes (p50 {run['write_p50_ms']} ms, {run['write_errors']} failed)" if (
        "writes" in run) else ""
    print(f"Load test, {label}: {run['connections']} connections × {run['seconds']} s over {run['paths']} paths: "
          f"{run['requests']:,} requests, {run['requests_per_s']:.0f} req/s, p50 {run['p50']}, p99 {run['p99']}, "
          f"errors {run['errors']}{writes}; server memory {run['rss_mb_start']} → {run['rss_mb_end']} MB")


# Main -------------------------------------------------------------------------


def prepare(sites):
    """Migrate, fill the database with demo data up to ``sites`` demo sites and store the API details the
    current code serves; returns the seconds spent generating (None when nothing was generated)."""
    from django.core.management import call_command

    from heritage.models import StoredSiteDetail
    from sites.models import Site

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    have = Site.objects.filter(slug__startswith="demo-").count()
    generated = None
    if have < sites:
        print(f"Generating demo data for {sites:,} sites ({have:,} present)…", flush=True)
        started = time.monotonic()
        call_command("generate_demo_data", scale=(sites - have) / 100_000)
        generated = round(time.monotonic() - started, 1)
    # A database filled by an earlier version of the code holds details stored by it, which are not served.
    if StoredSiteDetail.objects.current().count() < Site.objects.count():
        started = time.monotonic()
        call_command("refresh_risk_profiles", verbosity=0)
        print(f"Stored every site's API detail anew (manage.py refresh_risk_profiles): "
              f"{time.monotonic() - started:.0f} s", flush=True)
    return generated


def measure_latency(report, options, slugs):
    from django.conf import settings

    report["latency"] = []
    print(f"{'URL':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'peak MB':>8} {'COPY ms':>8} "
          f"{'cached p50':>10}", flush=True)
    for entry in URLS:
        result = measure_in_process(entry, slugs, options.requests)
        if result["status"] == "ok" and entry.get("export"):
            result |= copy_export()
        if result["status"] == "ok" and not entry.get("export") and settings.RESPONSE_CACHE_SECONDS:
            result["cached"] = measure_in_process(entry, slugs, options.requests, cached=True)
        report["latency"].append(result)
        print(f"{entry['name']:<28} {result.get('p50_ms', '-'):>8} {result.get('p95_ms', '-'):>8} "
              f"{result.get('queries', '-'):>8} {result.get('peak_mb', '-'):>8} {result.get('copy_ms', '-'):>8} "
              f"{result.get('cached', {}).get('p50_ms', '-'):>10}"
              + (f"  {result['status']}" if result["status"] != "ok" else "")
              + (f" (HTTP {result['http']})" if result["status"] == "error" else ""), flush=True)


def measure_servers(report, options, env, slugs):
    from django.conf import settings

    present = [entry for entry, result in zip(URLS, report["latency"], strict=True) if result["status"] != "missing"]
    print(f"\nThroughput (gunicorn, wrk 10 connections × {options.throughput_seconds} s), uncached", flush=True)
    report["throughput_uncached"] = throughput(env | UNCACHED, present, slugs, options.throughput_seconds)
    server = gunicorn(env, OUR_PORT)
    try:
        if settings.RESPONSE_CACHE_SECONDS:
            print(f"\nThroughput (gunicorn, wrk 10 connections × {options.throughput_seconds} s), cached", flush=True)
            report["throughput"] = throughput(env, present, slugs, options.throughput_seconds, server)
        mix = [fill(entry["path"], slugs, number) for entry in present if entry["load"] for number in range(5)]
        print()
        report["load"] = load_test(server, env, mix, options.load_seconds, options.load_connections)
        print_load("read-only", report["load"])
        report["load_with_editor"] = load_test(server, env, mix, options.load_seconds, options.load_connections,
                                               slugs=slugs)
        print_load("an editor writing once a second", report["load_with_editor"])
    finally:
        server.stop()
        settle()


def measure_peer(report, env, seconds):
    print(f"\nPeer comparison on the UNESCO list (wrk 10 connections × {seconds} s)", flush=True)
    report["peer"] = peer_comparison(env, seconds)
    for row in report["peer"]["rows"]:
        ours = row.get("ours", {}).get("requests_per_s")
        uncached = row.get("ours_uncached", {}).get("requests_per_s")
        print(f"{row['name']:<28} Datasette {row['datasette']['requests_per_s']:>8.0f} req/s; ours cached "
              f"{ours if ours is not None else 'n/a'} req/s (ratio {row.get('ratio', 'n/a')}), uncached "
              f"{uncached if uncached is not None else 'n/a'} req/s (ratio {row.get('ratio_uncached', 'n/a')})")
    for key in ("note", "error"):
        if key in report["peer"]:
            print(f"  {report['peer'][key]}")


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, required=True, help="Demo sites in this scale's database.")
    parser.add_argument("--out", type=Path, required=True, help="Where to write the figures (JSON).")
    parser.add_argument("--requests", type=int, default=50, help="Measured requests per URL, in process.")
    parser.add_argument("--throughput-seconds", type=int, default=10)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-connections", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true", help="Skip the gunicorn/wrk part.")
    parser.add_argument("--peer", action="store_true", help="Compare with Datasette on the UNESCO list.")
    options = parser.parse_args()

    database_url = os.environ["BENCH_DATABASE_URL"]
    env = production_environment(database_url)
    ensure_database(database_url)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from demo.data import analyze
    from sites.models import Site

    generated = prepare(options.sites)
    analyze()  # fresh planner statistics, whatever loaded the data
    demo_slugs = list(Site.objects.filter(slug__startswith="demo-").order_by("pk").values_list("slug", flat=True))
    slugs = demo_slugs[:: max(1, len(demo_slugs) // 50)][:50]  # 50 sites spread over the table
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    report = {
        "started": datetime.now(UTC).isoformat(), "database": urlparse(database_url).path.lstrip("/"),
        "sites": options.sites, "demo_sites": len(demo_slugs), "generated_seconds": generated,
        "cores": os.cpu_count(), "load_average": os.getloadavg(), "shared_buffers": shared_buffers,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "response_cache_seconds": settings.RESPONSE_CACHE_SECONDS,
    }
    print(f"\n=== {report['demo_sites']:,} demo sites: in process (django.test.Client, {options.requests} requests "
          f"each); PostgreSQL shared_buffers {shared_buffers}; cache {report['cache']}, response cache "
          f"{settings.RESPONSE_CACHE_SECONDS} s", flush=True)
    measure_latency(report, options, slugs)
    site_page = next(entry["path"] for entry in URLS if entry["name"] == "Site page")
    report["cache_after_write"] = cache_after_write(site_page)
    print(f"\nAfter one editor's write: {report['cache_after_write']}", flush=True)
    if options.skip_load:
        pass
    elif shutil.which("wrk"):
        measure_servers(report, options, env, slugs)
    else:
        report["load_skipped"] = "wrk is not installed"
        print("\nwrk is not installed (apt-get install wrk): throughput and load tests skipped.")
    if options.peer and shutil.which("wrk"):
        measure_peer(report, env, options.throughput_seconds)
    options.out.write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
