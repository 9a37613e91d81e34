"""API writes are all or nothing: a response that cannot be built never follows a commit, and of
concurrent writers naming the same version exactly one wins while the others get a 412, never a 5xx."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from heritage.api.serializers import SiteDetailSerializer
from sites.models import Site
from sites.tests.factories import make_kind

BASE_DIR = Path(__file__).resolve().parents[2]
NEW_SITE = {"slug": "qasr-al-hayr-al-gharbi", "name": "Qasr al-Hayr al-Gharbi", "kind": "palace",
            "countries": ["SY"]}


def test_a_create_whose_response_cannot_be_built_writes_nothing(api_as, alice, monkeypatch, db):
    make_kind("palace")

    def broken(self, instance):
        raise RuntimeError("cannot represent")

    monkeypatch.setattr(SiteDetailSerializer, "to_representation", broken)
    response = api_as(alice).post("/api/v1/sites/", NEW_SITE, format="json")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert not Site.objects.filter(slug=NEW_SITE["slug"]).exists()


SETUP = """
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
from sites.tests.factories import make_site
editor = User.objects.create_user("alice", is_staff=True)
editor.user_permissions.set(Permission.objects.filter(codename__in=["view_site", "change_site"]))
make_site("Site of Palmyra", slug="palmyra")
print(Token.objects.create(user=editor).key)
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url, token, method="GET", body=None, headers=()):
    data = json.dumps(body).encode() if body is not None else None
    sent = urllib.request.Request(url, data=data, method=method, headers={  # noqa: S310 — a local test server
        "Authorization": f"Token {token}", "Content-Type": "application/json", **dict(headers)})
    try:
        with urllib.request.urlopen(sent, timeout=60) as response:  # noqa: S310 — a local test server
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture
def server_on_a_sqlite_file(tmp_path):
    """The default set-up (`make run`): a SQLite file, served by a threaded development server."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=BASE_DIR)
    token = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, cwd=BASE_DIR,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=BASE_DIR,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/v1/sites/palmyra/"
    try:
        for _ in range(100):
            try:
                if request(url, token)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_of_twenty_concurrent_edits_with_one_version_one_wins_and_the_rest_get_412(server_on_a_sqlite_file):
    url, token = server_on_a_sqlite_file
    etag = request(url, token)[1]["ETag"]

    def edit(number):
        return request(url, token, "PATCH", {"summary": f"Edit {number}"}, {"If-Match": etag})[0]

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = sorted(pool.map(edit, range(20)))

    assert statuses == [200] + [412] * 19
