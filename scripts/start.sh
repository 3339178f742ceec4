#!/usr/bin/env bash
# Starts the whole product on one machine with the embedded default configuration: MariaDB and Redis (local),
# database migrations and demo users, the web client build, the server (HTTP API, signaling, SFU, web client) and
# AGENT_WORKER_PROCESSES agent workers (default: one per core; each restarted when it crashes, see below). Ctrl-C
# stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# One agent worker is one event loop: a process per core lets the calls use the whole machine (the server gives each
# new call to the least loaded worker, and a call whose worker dies moves to a live, already warm one).
AGENT_WORKER_PROCESSES="${AGENT_WORKER_PROCESSES:-$(nproc)}"
if ! [[ "$AGENT_WORKER_PROCESSES" =~ ^[0-9]+$ ]] || [ "$AGENT_WORKER_PROCESSES" -lt 1 ]; then
  echo "AGENT_WORKER_PROCESSES must be a whole number of at least 1 (got '$AGENT_WORKER_PROCESSES')" >&2
  exit 2
fi
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

# Each agent worker runs under scripts/supervise.sh: a crash restarts it with backoff (its calls go to another worker
# meanwhile, or wait for it to register again) and leaves the server running. The server is not restarted: when it
# exits the whole product stops, with the server's exit code, so whatever started `npm start` sees the failure.
server_pid=''
supervisor_pids=()
cleanup() {
  for p in "${supervisor_pids[@]}" "$server_pid"; do
    if [ -n "$p" ]; then kill "$p" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
node server/src/main.ts &
server_pid=$!
for _ in $(seq 1 120); do curl -fs "$SERVER_URL/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
for i in $(seq 1 "$AGENT_WORKER_PROCESSES"); do
  AGENT_NAME="${AGENT_NAME:-agent-$(hostname)}-$i" \
    bash scripts/supervise.sh "agent-worker-$i" node --max-semi-space-size=2 agent-worker/src/main.ts &
  supervisor_pids+=("$!")
done
echo "{\"step\":\"start\",\"msg\":\"VoiceRoom is up: open http://localhost:$PORT (demo logins: *@voiceroom.local / voiceroom-demo)\"}"
code=0
wait "$server_pid" || code=$?
server_pid=''
echo "{\"step\":\"start\",\"component\":\"supervisor\",\"process\":\"server\",\"event\":\"exited\",\"code\":$code,\"msg\":\"the server stopped; stopping the agent workers\"}"
exit "$code"
