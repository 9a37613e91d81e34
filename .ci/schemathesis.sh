#!/usr/bin/env bash
# Fuzz the JSON API against its own live OpenAPI schema (issue 4): every endpoint and method, all checks.
# Fails on any server error or any response that does not conform to the schema.
# Uses a throwaway SQLite database with the curated data (when present) and an editor's token, so writes
# are exercised too. FUZZ_EXAMPLES bounds the examples per operation (the run stays within a few minutes).
# Check settings (and why positive_data_acceptance is off) are in .ci/schemathesis.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
SCHEMATHESIS=${SCHEMATHESIS:-.venv/bin/schemathesis}
work=$(mktemp -d)
# IMMEDIATE transactions and a lock timeout let the server's threads write to SQLite concurrently.
export DEBUG=1 DATABASE_URL="sqlite:///$work/fuzz.sqlite3?timeout=20&transaction_mode=IMMEDIATE"
# Throttling would turn the fuzzer's burst of requests into 429s; it has its own tests.
export API_THROTTLE_ANON=1000000/minute API_THROTTLE_USER=1000000/minute

"$PYTHON" manage.py migrate --noinput -v 0
if ls fixtures/*.json >/dev/null 2>&1; then
  "$PYTHON" manage.py load_curated
fi
token=$("$PYTHON" manage.py shell -v 0 -c '
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username="schemathesis", defaults={"is_staff": True})
user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["sites", "heritage"]))
print(Token.objects.get_or_create(user=user)[0].key)
')

port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PYTHON" manage.py runserver "127.0.0.1:$port" --noreload >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$SCHEMATHESIS" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/api/v1/schema/" \
  --wait-for-schema 30 \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --header "Authorization: Token $token" \
  --max-examples "${FUZZ_EXAMPLES:-30}" \
  --seed "${FUZZ_SEED:-4}" \
  --workers "${FUZZ_WORKERS:-4}" \
  --request-timeout 20 \
  --no-color "$@" || { echo "== server log"; tail -n 60 "$work/server.log"; exit 1; }
