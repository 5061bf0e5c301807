#!/usr/bin/env bash
# Start the assistant: Redis (if none runs), the action server on 5055, Rasa on 5005 and the channel
# gateway (web widget, Zalo when configured) on 8000.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

scripts/redis.sh
scripts/train.sh

# Application status: with no STATUS_DB_URL, the local SQLite store gets the demo data (marked DEMO) once.
if [ -z "${STATUS_DB_URL:-}" ] && [ "${STATUS_CONNECTOR:-sql}" = sql ]; then
  .venv/rasa/bin/python -m actions.status import-csv data/demo_applications.csv --if-empty
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/rasa/bin/rasa run actions --actions actions --port 5055 &
pids+=($!)
.venv/rasa/bin/rasa run --enable-api --auth-token "$RASA_AUTH_TOKEN" -i 127.0.0.1 -p 5005 \
  --model models/current.tar.gz --endpoints bot/endpoints.yml --credentials bot/credentials.yml &
pids+=($!)
GATEWAY_RASA_TOKEN="$RASA_AUTH_TOKEN" .venv/gateway/bin/python -m channels &
pids+=($!)

echo "Widget: http://127.0.0.1:8000 (demo page; messages wait in the gateway's queue until Rasa is up)"
echo "Help desk: http://127.0.0.1:8000/helpdesk (first account: make staff-account)"
echo "Rasa: http://127.0.0.1:5005 (REST channel /webhooks/rest/webhook; API token from RASA_AUTH_TOKEN)"
echo "Actions: http://127.0.0.1:5055. Press Ctrl-C to stop."
wait -n "${pids[@]}"
