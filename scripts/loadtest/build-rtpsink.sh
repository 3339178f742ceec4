#!/usr/bin/env bash
# Builds the SFU load test's listener bots (loadtest/media/rtpsink, Go stdlib only, no module downloads) into a
# cache keyed by the source and Go version: ${VOICEROOM_CACHE_DIR:-~/.cache/voiceroom}/rtpsink-<hash>. Skips when
# that binary exists. Prints the binary's path on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SRC="$ROOT/loadtest/media/rtpsink"
CACHE="${VOICEROOM_CACHE_DIR:-$HOME/.cache/voiceroom}"
GO="$(command -v go || true)"
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go
if [ -z "$GO" ]; then
  echo "rtpsink: Go is not installed; the SFU load test (--mode sfu) needs it for its listener bots." \
    "Install Go >= 1.22 (https://go.dev/dl/, e.g. into /usr/local/go) and run scripts/loadtest/build-rtpsink.sh again." >&2
  exit 1
fi
HASH="$( (cat "$SRC/go.mod" "$SRC/main.go"; "$GO" version) | sha256sum | cut -c1-12)"
BIN="$CACHE/rtpsink-$HASH"
if [ ! -x "$BIN" ]; then
  mkdir -p "$CACHE"
  (cd "$SRC" && GOFLAGS=-mod=mod nice -n 10 "$GO" build -trimpath -o "$BIN.tmp" .)
  mv "$BIN.tmp" "$BIN"
  echo "rtpsink: built $BIN" >&2
fi
echo "$BIN"
