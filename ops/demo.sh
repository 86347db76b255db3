#!/usr/bin/env bash
# The laptop demo (`make run`): SQLite, mails as files in var/mail, and a local Zoom stub so the
# Zoom dialogue shows a real (stubbed) meeting with personal join links. No services needed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DEBUG=true
export ZOOM_ACCOUNT_ID=demo-account ZOOM_CLIENT_ID=demo-client ZOOM_CLIENT_SECRET=demo-client-secret
export ZOOM_WEBHOOK_SECRET=demo-webhook-secret
export ZOOM_OAUTH_URL=http://127.0.0.1:8001/oauth/token ZOOM_API_URL=http://127.0.0.1:8001/v2

mkdir -p var
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop EXIT INT TERM

$PY manage.py zoom_stub 127.0.0.1:8001 --state var/zoom-stub.json &
pids+=($!)
$PY manage.py migrate --noinput
$PY manage.py load_demo
$PY manage.py sync_zoom --loop --interval 5 &
pids+=($!)
echo "Zoom stub on http://127.0.0.1:8001 — mails are written to var/mail/"
$PY manage.py runserver 127.0.0.1:8000
