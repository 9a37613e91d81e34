"""Heritage at Risk settings: one file, driven by the environment.

SQLite in the project folder by default, so a checkout runs at once;
DATABASE_URL switches to PostgreSQL (psycopg 3) in production and CI.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.getenv(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set the SECRET_KEY environment variable, or DEBUG=1 for local development."
        )
    # Only ever used with DEBUG on, never in production (see the check above).
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "django_filters",
    "simple_history",
    "axes",
    "config",
    "sites",
    "heritage",
    "demo",
]
INSTALLED_APPS += ["import_export"]  # Report intake: spreadsheet import/export of sources and incidents


MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and everything else: a cached anonymous response needs none of it.
    "config.response_cache.AnonymousResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, with the admin in the editor's language (config/locale.py); before CommonMiddleware,
    # whose slash redirects must see the /ar/ prefix.
    "config.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heritage.context_processors.site_settings",
                "config.locale.language_links",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent editors on the default set-up: readers never wait for a writer (WAL); a write
    # transaction takes the write lock when it begins (IMMEDIATE), so writers queue for up to 20 s
    # instead of failing with "database is locked" when a read lock cannot be upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Optional read replica: reads go there, writes and transactions to the primary.
if os.getenv("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation of queries: it pays off for analytical queries that run for seconds, but
        # the planner's estimates grow with the tables, and at 100,000 demo sites ordinary page queries
        # crossed jit_above_cost (a site page's stories: estimated at 178,000, compiled for 4 ms, run in 5).
        _database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")


def cache_from_url(url):
    """A CACHES entry from a URL: locmem://, redis://host:6379/0 (or rediss://), dummy://, file:///path."""
    scheme, _, rest = url.partition("://")
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "heritage"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme == "file" and rest:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    raise ImproperlyConfigured(
        f"CACHE_URL “{url}” is not understood: use locmem://, redis://host:6379/0, dummy:// or file:///path."
    )


# Local memory by default (one cache per process); Redis, shared by every worker, in production.
CACHES = {"default": cache_from_url(os.getenv("CACHE_URL") or os.getenv("REDIS_URL") or "locmem://")}
CACHES["default"]["TIMEOUT"] = envint("CACHE_TIMEOUT", "300")
CACHES["default"]["KEY_PREFIX"] = os.getenv("CACHE_KEY_PREFIX", "heritage")
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", "2000")}
# Anonymous pages and API responses, kept until a write changes what they show (config/response_cache.py); 0 turns it off.
# A write must reach every process that serves pages at once, so it is on by default only where they all
# share one cache (Redis, files): with local memory, a write by a gunicorn worker or a management command
# could not retire the pages cached by the other processes.
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
RESPONSE_CACHE_SECONDS = envint("RESPONSE_CACHE_SECONDS", "300" if _SHARED_CACHE else "0")

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface in English (unprefixed addresses) and Arabic (/ar/…); see docs/i18n.md.
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Largest request body, files apart (uploads stream to disk and are not counted): API writes and
# admin forms, pasted reports included, stay far below it. Beyond it the API answers 413 in its
# error shape and other pages a 413 page (config/security.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024))

# The admin lives here; deployments may move it off the well-known path ("admin/").
ADMIN_URL = os.getenv("ADMIN_URL", "admin/").strip("/") + "/"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one address, further attempts get 429 until the cool-off ends.
AXES_ENABLED = envbool("AXES_ENABLED", "True")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies every request comes from the nearest one; the client is read from
# X-Forwarded-For, trusting only as many entries from the right as there are proxies of ours
# (config/security.py, docs/deploy.md). BEHIND_PROXY=1, the older switch, means one (nginx).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "1" if envbool("BEHIND_PROXY", "False") else "0")
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Researcher pages ----------------------------------------------------------

# Map tiles for deployments with internet, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png.
# Empty (the default): no tiles, the map shows the country outlines shipped in static/vendor/.
MAP_TILE_URL = os.getenv("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.getenv("MAP_TILE_ATTRIBUTION", "")
SITES_PER_PAGE = envint("SITES_PER_PAGE", "25")
# The home page's map draws this many of the sites at highest risk; /map/ draws them all.
HOME_MAP_POINTS = envint("HOME_MAP_POINTS", "100")
# The scheme and host of the site's permanent addresses, e.g. https://heritage.example.org: the base of every
# URI in linked data (JSON-LD @id, containedInPlace) and in exports made without a request. Empty: the
# request's own host, where there is a request.
CANONICAL_URL = os.getenv("CANONICAL_URL", "").rstrip("/")


def tile_origin(url):
    """The CSP source for a tile URL template: its scheme and host, any {s} subdomain as a wildcard."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


# Everything comes from this server: no inline scripts or styles, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"] + ([tile_origin(MAP_TILE_URL)] if MAP_TILE_URL else []),
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# A site counts as having a "recent" incident when one happened within this many
# years; used by the risk rule (heritage/risk.py).
RISK_RECENT_YEARS = envint("RISK_RECENT_YEARS", "3")

# The licence the record's data is released under (manage.py release writes it into every release).
DATA_LICENCE_NAME = os.getenv("DATA_LICENCE_NAME", "Creative Commons Attribution 4.0 International (CC BY 4.0)")
DATA_LICENCE_URL = os.getenv("DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")
# Where the files of each release are published, {version} standing for its version, e.g.
# https://data.example.org/heritage/{version}/; empty: the releases page lists releases without links.
RELEASE_DOWNLOAD_URL = os.getenv("RELEASE_DOWNLOAD_URL", "")

# JSON API (/api/v1/: Django REST framework, django-filter, drf-spectacular) -----
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
REST_FRAMEWORK = {
    # Editors' scripts send "Authorization: Token …" (tokens are managed in the admin); browsers a session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone may read; writing needs the Django model permission (add/change/delete).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apikit.parsers.JSONParser"],  # DRF's, with a nesting limit
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apikit.pagination.ApiPagination",
    # Keyed on config.security.client_ip(), as login throttling is: DRF's own would believe any
    # X-Forwarded-For a client sends.
    "DEFAULT_THROTTLE_CLASSES": [
        "config.security.AnonRateThrottle",
        "config.security.UserRateThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.getenv("API_THROTTLE_ANON", "120/minute"),
        "user": os.getenv("API_THROTTLE_USER", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "apikit.base.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "apikit.schema.ApiAutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Heritage at Risk API",
    "DESCRIPTION": (
        "Sites of cultural heritage under threat, what happened to them and who says so: sites, sources, "
        "history events, incidents, condition assessments and UNESCO threat categories.\n\n"
        "Anyone may read published records (rate-limited). Editors write with a token "
        "(`Authorization: Token <key>`, tokens are issued in the admin) according to their permissions. "
        "Every write needs `If-Match` with the record's ETag, so no change is lost. Lists page by number "
        "(`page`, with a total `count`) or, for harvesting, by cursor (`pagination=cursor`); combine with "
        "`updated_since` to fetch only what changed. Dates are EDTF; range filters work before AD 1.\n\n"
        "Answers are worded in English or Arabic: `?lang=ar` or `Accept-Language: ar` gives vocabulary labels, "
        "dates in words and choices' names in Arabic where there is an Arabic version (English otherwise); "
        "records' own text comes as written, with its Arabic in the `_ar` fields."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
