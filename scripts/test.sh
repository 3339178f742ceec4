#!/usr/bin/env bash
# Runs every test: setup (idempotent), static checks, the web client build the browser tests load, then vitest
# (unit, integration on real MariaDB/Redis/mediasoup, and headless-Chromium end-to-end tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
echo '{"step":"test","msg":"typecheck"}'
tsc -p tsconfig.json
echo '{"step":"test","msg":"lint"}'
biome check .
echo '{"step":"test","msg":"build web client"}'
npm run build -w client --silent
echo '{"step":"test","msg":"vitest"}'
vitest run "$@"
