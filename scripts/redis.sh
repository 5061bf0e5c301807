#!/usr/bin/env bash
# Make sure a Redis answers at REDIS_HOST:REDIS_PORT; start a throwaway one (no persistence) if not.
set -euo pipefail
host="${REDIS_HOST:-127.0.0.1}"
port="${REDIS_PORT:-6379}"
if redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1; then
  exit 0
fi
if ! command -v redis-server >/dev/null; then
  echo "Redis is not running on $host:$port and redis-server is not installed (apt-get install redis-server)." >&2
  exit 1
fi
mkdir -p .run
redis-server --daemonize yes --bind "$host" --port "$port" --save "" --appendonly no \
  --dir "$PWD/.run" --logfile "$PWD/.run/redis.log" --pidfile "$PWD/.run/redis.pid"
for _ in $(seq 50); do
  redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "Redis did not start; see .run/redis.log" >&2
exit 1
