# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PYTHON := $(VENV)/bin/python
# Stamps of what is installed in .venv: the production set (requirements.txt), and that set plus the
# development tools (requirements-dev.txt). A newer lock file than its stamp reinstalls from it.
INSTALLED := $(VENV)/.installed-prod
INSTALLED_DEV := $(VENV)/.installed-dev
# pip itself, at the version the dev lock pins (pip-audit needs it), so that every install uses one pip.
PIP_VERSION := $(shell sed -n 's/^pip==\([^ ]*\).*/\1/p' requirements-dev.txt 2>/dev/null)
DEV_ENV := DEBUG=1
CHROMIUM := /usr/bin/chromium
# Playwright drives Debian's Chromium; it must never download browsers of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install install-dev lock run test migrate load superuser lint clean browser-deps vendor api-fuzz serve backup restore bench bench-deps security messages compilemessages

# The locks pin every dependency, transitive ones included, with hashes: pip installs nothing else.
$(PYTHON):
	$(PYTHON_BIN) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet $(if $(PIP_VERSION),"pip==$(PIP_VERSION)",--upgrade pip)

$(INSTALLED): requirements.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $(INSTALLED)

# The dev install holds the production set too, so it renews both stamps (`make run` after `make test`
# installs nothing).
$(INSTALLED_DEV): requirements.txt requirements-dev.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $(INSTALLED) $(INSTALLED_DEV)

# Production dependencies only (what `make run`, `make serve` and the management commands need).
install: $(INSTALLED)

# Production dependencies plus tests, lint, fuzzing and security tools.
install-dev: $(INSTALLED_DEV)

# Regenerates the three locks from their .in files with pip-tools (kept in its own .venv-lock), keeping
# the pins that still satisfy the .in files. `make lock LOCK_ARGS=--upgrade` moves every pin to the
# newest release; `LOCK_ARGS="--upgrade-package django"` moves one. requirements-dev.txt is compiled
# against requirements.txt (`-c requirements.txt`), so it comes second.
# pip >= 23.3 is needed: older pips drop extras spelled with "_" (justext's lxml[html_clean]).
LOCK_VENV := .venv-lock
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON_BIN) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet pip==26.3 pip-tools==7.6.2

lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in
	$(PIP_COMPILE) --output-file requirements-bench.txt requirements-bench.in

migrate: install
	$(DEV_ENV) $(PYTHON) manage.py migrate --noinput

# Loads the curated vocabularies and the Palmyra dataset into an empty database only.
load: migrate
	$(DEV_ENV) $(PYTHON) manage.py load_curated

run: load compilemessages
	$(DEV_ENV) $(PYTHON) manage.py runserver 127.0.0.1:8000

test: install-dev browser-deps compilemessages
	$(PYTHON) -m pytest

# The interface's translations (locale/ar/LC_MESSAGES/django.po) compiled for Django, with Babel from the
# production lock, so no system gettext is needed to serve or test. The .mo is committed too, and a test
# (config/tests/test_languages.py) holds it to its .po.
compilemessages: install
	$(VENV)/bin/pybabel -q compile --domain django --directory locale

# Collects every marked string of the templates and Python code into the .po (new ones untranslated), then
# compiles it. Needs GNU gettext's xgettext (Debian's gettext package), installed here as browser-deps does.
messages: install-dev
	@command -v xgettext >/dev/null || { \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	else echo "xgettext is missing: install Debian's gettext package." >&2; exit 1; fi; }
	$(DEV_ENV) $(PYTHON) manage.py makemessages --locale ar --no-location --extension html,txt,py,svg --no-obsolete \
		--ignore '.venv*' --ignore node_modules --ignore static --ignore staticfiles --ignore artifacts \
		--ignore bench --ignore demo --ignore fixtures --ignore scripts --ignore '*/tests/*'
	$(MAKE) compilemessages

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
api-fuzz: install-dev
	.ci/schemathesis.sh

lint: install-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) $(LOCK_VENV) staticfiles .pytest_cache .ruff_cache

# Production configuration, locally: gunicorn, DEBUG off, whitenoise, a generated local
# SECRET_KEY (kept in .secret_key) unless SECRET_KEY is set; no HTTPS redirect on loopback.
SECRET_FILE := .secret_key
PROD_ENV = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_SSL_REDIRECT=0

$(SECRET_FILE):
	umask 077 && $(PYTHON_BIN) -c 'import secrets; print(secrets.token_urlsafe(50))' > $(SECRET_FILE)

serve: install compilemessages $(SECRET_FILE)
	$(PROD_ENV) $(PYTHON) manage.py migrate --noinput
	$(PROD_ENV) $(PYTHON) manage.py collectstatic --noinput -v 0
	$(PROD_ENV) $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

# Backups of whatever DATABASE_URL points at (SQLite file by default), into backups/.
backup: install
	$(DEV_ENV) $(PYTHON) manage.py backup_db

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/heritage-….dump"; exit 2; }
	$(DEV_ENV) $(PYTHON) manage.py restore_db "$(FILE)"

# Benchmarks against PostgreSQL (BENCH_DATABASE_URL), at two scales or more in one run, with the ratios
# between them; `make bench BENCH_SCALES=10000,400000` for EAMENA's size. See bench/README.md.
BENCH_SCALES ?= 10000,100000
bench: install bench-deps
	$(PYTHON) -m bench --scales $(BENCH_SCALES) $(BENCH_ARGS)

# wrk for the bench's throughput and load tests, from Debian's packages; without it they are skipped, saying so.
bench-deps:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	else echo "wrk is missing and cannot be installed without root: the bench will skip its load tests."; fi

security: install-dev
	$(VENV)/bin/bandit -q -r config apikit sites heritage demo -x '*/tests/*'
	timeout 120 $(VENV)/bin/pip-audit -r requirements.txt --vulnerability-service pypi --progress-spinner off
