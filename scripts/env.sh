# Shared environment for the project's scripts: local defaults that the environment can override.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=3
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
export REDIS_PORT="${REDIS_PORT:-6379}"
export REDIS_TRACKER_DB="${REDIS_TRACKER_DB:-0}"
export REDIS_LOCK_DB="${REDIS_LOCK_DB:-1}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:5055/webhook}"
# Local development token; set RASA_AUTH_TOKEN to your own secret anywhere but your own machine.
export RASA_AUTH_TOKEN="${RASA_AUTH_TOKEN:-local-dev-token}"
