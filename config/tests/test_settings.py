"""Settings are read from the environment once, at start-up: test them in a fresh interpreter."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = (
    "import json, config.settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'tz': s.TIME_ZONE, 'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0), "
    "'secure_cookies': getattr(s, 'SESSION_COOKIE_SECURE', False)}))"
)


def load_settings(**env):
    clean = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_start_up_fails_clearly_without_a_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_development_defaults_to_sqlite_in_the_project():
    result = load_settings(DEBUG="1")
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["tz"] == "UTC"
    assert values["hosts"] == ["127.0.0.1", "localhost"]


def test_production_uses_postgresql_from_database_url_with_secure_cookies_and_hsts():
    result = load_settings(
        DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="heritage.example.org",
        DATABASE_URL="postgres://heritage@db.example.org:5432/heritage",
    )
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "heritage"
    assert values["debug"] is False
    assert values["hosts"] == ["heritage.example.org"]
    assert values["hsts"] >= 31536000
    assert values["secure_cookies"] is True
