# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEV_ENV := DEBUG=1
CHROMIUM := /usr/bin/chromium
# Playwright drives Debian's Chromium; it must never download browsers of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install run test migrate load superuser lint clean browser-deps vendor api-fuzz serve backup restore bench security

$(INSTALLED): requirements.txt
	$(PYTHON_BIN) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(DEV_ENV) $(PYTHON) manage.py migrate --noinput

# Loads the curated vocabularies and the Palmyra dataset into an empty database only.
load: migrate
	$(DEV_ENV) $(PYTHON) manage.py load_curated

run: load
	$(DEV_ENV) $(PYTHON) manage.py runserver 127.0.0.1:8000

test: install browser-deps
	$(PYTHON) -m pytest

# Headless Chromium for the end-to-end tests (heritage/tests/test_browser.py), from Debian's packages.
browser-deps:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "Chromium is missing and cannot be installed without root: the browser tests will be skipped."; fi

# Refreshes static/vendor/ (Leaflet, markercluster, Natural Earth outlines) from the versions in package-lock.json.
vendor:
	bash scripts/vendor.sh

superuser: migrate
	$(DEV_ENV) $(PYTHON) manage.py createsuperuser

# Fuzzes every endpoint and method of the JSON API against its live OpenAPI schema (also run by .ci/run).
api-fuzz: install
	.ci/schemathesis.sh

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Production configuration, locally: gunicorn, DEBUG off, whitenoise, a generated local
# SECRET_KEY (kept in .secret_key) unless SECRET_KEY is set; no HTTPS redirect on loopback.
SECRET_FILE := .secret_key
PROD_ENV = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_SSL_REDIRECT=0

$(SECRET_FILE):
	umask 077 && $(PYTHON_BIN) -c 'import secrets; print(secrets.token_urlsafe(50))' > $(SECRET_FILE)

serve: install $(SECRET_FILE)
	$(PROD_ENV) $(PYTHON) manage.py migrate --noinput
	$(PROD_ENV) $(PYTHON) manage.py collectstatic --noinput -v 0
	$(PROD_ENV) $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

# Backups of whatever DATABASE_URL points at (SQLite file by default), into backups/.
backup: install
	$(DEV_ENV) $(PYTHON) manage.py backup_db

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/heritage-….dump"; exit 2; }
	$(DEV_ENV) $(PYTHON) manage.py restore_db "$(FILE)"

# Benchmarks against PostgreSQL (BENCH_DATABASE_URL); see bench/README.md.
bench: install
	$(PYTHON) -m bench $(BENCH_ARGS)

security: install
	$(VENV)/bin/bandit -q -r config sites heritage -x '*/tests/*'
	timeout 120 $(VENV)/bin/pip-audit -r requirements.txt --vulnerability-service pypi --progress-spinner off
