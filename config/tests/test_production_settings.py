import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import clear_url_caches, reverse

from config.routers import ReplicaRouter
from config.settings import cache_from_url
from sites.models import Site


def test_the_cache_backend_comes_from_a_url():
    assert cache_from_url("redis://127.0.0.1:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1",
    }
    assert cache_from_url("locmem://")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache_from_url("dummy://")["BACKEND"] == "django.core.cache.backends.dummy.DummyCache"


def test_an_unknown_cache_url_is_a_clear_start_up_error():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL “memcached://x” is not understood"):
        cache_from_url("memcached://x")


def test_the_default_cache_is_local_memory_and_works():
    from django.core.cache import cache

    cache.set("heritage-test", "Palmyra", 10)
    assert cache.get("heritage-test") == "Palmyra"


def test_reads_outside_a_transaction_go_to_the_replica():
    assert ReplicaRouter().db_for_read(Site) == "replica"


def test_reads_inside_a_transaction_and_all_writes_go_to_the_primary(db):
    router = ReplicaRouter()
    with transaction.atomic():
        assert router.db_for_read(Site) == "default"
    assert router.db_for_write(Site) == "default"


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "sites")
    assert not router.allow_migrate("replica", "sites")


@pytest.fixture
def admin_at_custom_path(settings):
    settings.ADMIN_URL = "editors-7f3a/"
    clear_url_caches()
    import importlib

    import config.urls

    importlib.reload(config.urls)
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_path_is_configurable(admin_at_custom_path, client):
    assert reverse("admin:index") == "/editors-7f3a/"
    assert client.get("/admin/").status_code == 404
    assert client.get("/editors-7f3a/login/").status_code == 200


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], env=environment | env, cwd=settings.BASE_DIR,
        capture_output=True, text=True, check=False,
    )


def test_deploy_checks_pass_in_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="heritage.example.org")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="heritage.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
