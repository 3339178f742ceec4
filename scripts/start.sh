#!/usr/bin/env bash
# Starts the whole product on one machine with the embedded default configuration: MariaDB and Redis (local),
# database migrations and demo users, the web client build, the server (HTTP API, signaling, SFU, web client) and
# one agent worker. Ctrl-C stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
export PORT="${PORT:-3000}"
export SERVER_URL="${SERVER_URL:-http://127.0.0.1:$PORT}"
echo '{"step":"start","msg":"database migrations and demo users"}'
node server/src/db/cli.ts up
node server/src/db/cli.ts seed
echo '{"step":"start","msg":"building the web client"}'
npm run build -w client --silent
AGENT_SERVICE_TOKEN="${AGENT_SERVICE_TOKEN:-$(LOG_LEVEL=error node server/src/auth/cli.ts service-token --name agent-worker-local | tail -n 1)}"
export AGENT_SERVICE_TOKEN

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
node server/src/main.ts & pids+=($!)
for _ in $(seq 1 120); do curl -fs "$SERVER_URL/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
node --max-semi-space-size=2 agent-worker/src/main.ts & pids+=($!)
echo "{\"step\":\"start\",\"msg\":\"VoiceRoom is up: open http://localhost:$PORT (demo logins: *@voiceroom.local / voiceroom-demo)\"}"
wait -n
