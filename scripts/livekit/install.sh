#!/usr/bin/env bash
# Installs the pinned livekit-server (the scale-out SFU behind SFU_BACKEND=livekit) with `go install`, into a cache
# directory keyed by version: ${VOICEROOM_CACHE_DIR:-~/.cache/voiceroom}/go/livekit-server-<version>/bin/server.
# Skips when that binary exists. First build: about 9 min on a busy 2-core machine (module downloads + compile), niced and
# limited to GOMAXPROCS so other work keeps running. Prints the binary's path on its last line.
#
# Why v1.13.5: later 1.13.x releases carry `replace` directives in go.mod, which `go install pkg@version` refuses.
set -euo pipefail
LIVEKIT_SERVER_VERSION="${LIVEKIT_SERVER_VERSION:-v1.13.5}"
CACHE="${VOICEROOM_CACHE_DIR:-$HOME/.cache/voiceroom}"
DEST="$CACHE/go/livekit-server-$LIVEKIT_SERVER_VERSION"
BIN="$DEST/bin/server"
t0=$(date +%s)
step() { printf '{"ts":"%s","step":"livekit","elapsed_s":%d,"msg":"%s"}\n' "$(date -u +%FT%TZ)" "$(( $(date +%s) - t0 ))" "$*" >&2; }

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi
GO="$(command -v go || true)"
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go
if [ -z "$GO" ]; then
  echo "livekit-server: Go is not installed. Install Go >= 1.24 (https://go.dev/dl/, e.g. into /usr/local/go) and run" \
    "scripts/livekit/install.sh again, or set SFU_BACKEND=mediasoup (the default) to run without LiveKit." >&2
  exit 1
fi

mkdir -p "$DEST/bin"
LOG="$DEST/build.log"
step "building livekit-server $LIVEKIT_SERVER_VERSION with $($GO version | cut -d' ' -f3) (first time about 5-10 min; log: $LOG)"
(
  while sleep 30; do step "livekit-server: still building ($(wc -l < "$LOG" 2>/dev/null || echo 0) lines logged)"; done
) & ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT
export GOBIN="$DEST/bin.tmp"
export GOMAXPROCS="${GOMAXPROCS:-2}"
export GOFLAGS="${GOFLAGS:--modcacherw}"
if ! nice -n 10 "$GO" install -v "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_SERVER_VERSION" > "$LOG" 2>&1; then
  tail -30 "$LOG" >&2
  echo "livekit-server: go install failed (see $LOG). The Go module proxy must be reachable (GOPROXY=$($GO env GOPROXY))." >&2
  exit 1
fi
mv "$GOBIN/server" "$BIN"
rm -rf "$GOBIN"
step "livekit-server $LIVEKIT_SERVER_VERSION installed at $BIN"
echo "$BIN"
