#!/usr/bin/env bash
# The laptop demo (`make run`): SQLite, mails as .eml files in var/mail, and a local Zoom stub so
# the Zoom dialogue shows a real (stubbed) meeting with personal join links. No services needed.
# DEMO_PORT and ZOOM_STUB_PORT move the site (default 8000) and the stub (default 8001).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${DEMO_PORT:-8000}
STUB_PORT=${ZOOM_STUB_PORT:-8001}
export DEBUG=true
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
export ZOOM_ACCOUNT_ID=demo-account ZOOM_CLIENT_ID=demo-client ZOOM_CLIENT_SECRET=demo-client-secret
export ZOOM_WEBHOOK_SECRET=demo-webhook-secret
export ZOOM_OAUTH_URL=http://127.0.0.1:$STUB_PORT/oauth/token ZOOM_API_URL=http://127.0.0.1:$STUB_PORT/v2

mkdir -p var
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop EXIT INT TERM

# The database first: the stub and the sync worker start only once it is migrated and the demo
# data is in, so that nothing races `migrate` for SQLite's write lock.
$PY manage.py migrate --noinput
$PY manage.py load_demo

# Zoom resends an unanswered webhook after 5, 20 and 60 minutes; the demo waits seconds instead.
$PY manage.py zoom_stub "127.0.0.1:$STUB_PORT" --state var/zoom-stub.json --webhook-retry-seconds 5,20,60 &
stub=$!
pids+=("$stub")
# The sync worker's first call must find the stub listening.
for _ in $(seq 1 100); do
    kill -0 "$stub" 2>/dev/null || { echo "The Zoom stub did not start (see above)." >&2; exit 1; }
    $PY -c "import socket, sys; socket.create_connection(('127.0.0.1', $STUB_PORT), timeout=1)" 2>/dev/null && break
    sleep 0.2
done
$PY -c "import socket; socket.create_connection(('127.0.0.1', $STUB_PORT), timeout=1)" 2>/dev/null \
    || { echo "The Zoom stub does not answer on port $STUB_PORT." >&2; exit 1; }

$PY manage.py sync_zoom --loop --interval 5 &
pids+=($!)
# Seats not reconfirmed in time and expired offers go on to the waiting list (docs/allocation.md).
$PY manage.py release_seats --loop --interval 30 &
pids+=($!)
echo "Zoom stub on http://127.0.0.1:$STUB_PORT — every mail is an .eml file in var/mail/"
$PY manage.py runserver "127.0.0.1:$PORT"
