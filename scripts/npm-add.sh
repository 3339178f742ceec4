#!/usr/bin/env bash
# Adds npm dependencies while other work runs in the same tree: serialised by a lock, with the
# mediasoup/onnxruntime install hooks disabled, then setup restores the cached mediasoup worker.
# Usage: bash scripts/npm-add.sh -w server some-package@^1 [-D other]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec 9>"$ROOT/node_modules/.npm-add.lock"
flock 9
MEDIASOUP_WORKER_BIN=handled-by-setup ONNXRUNTIME_NODE_INSTALL=skip NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --no-audit --no-fund "$@"
bash "$ROOT/scripts/setup.sh" >/dev/null
