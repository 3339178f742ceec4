#!/usr/bin/env bash
# Idempotent project setup for a fresh Debian 12 machine that reaches only the
# npm registry and Debian's archive: apt packages, npm workspaces (with Node 24
# from the npm registry), a mediasoup worker (prebuilt download first, offline
# build from Debian packages when that fails, cached per version + recipe),
# local MariaDB and Redis, and the web client build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="${VOICEROOM_CACHE_DIR:-$HOME/.cache/voiceroom}"
t0=$(date +%s)
step() { printf '{"ts":"%s","step":"setup","elapsed_s":%d,"msg":"%s"}\n' "$(date -u +%FT%TZ)" "$(( $(date +%s) - t0 ))" "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_PACKAGES=(
  # browser for the end-to-end tests and benchmarks
  chromium
  # mediasoup worker offline build
  build-essential pkg-config ninja-build python3 python3-setuptools libuv1-dev libssl-dev libsrtp2-dev
  libabsl-dev libflatbuffers-dev flatbuffers-compiler libusrsctp-dev
  # offline speech stack: ASR, TTS, audio tools
  pocketsphinx pocketsphinx-en-us libpocketsphinx3 flite libflite1 espeak-ng libespeak-ng1 sox
  # local services
  mariadb-server redis-server
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# meson >= 1.1 is needed by mediasoup; bookworm has 1.0, bookworm-backports has newer.
need_meson() { ! meson --version 2>/dev/null | awk -F. '{ exit !($1 > 1 || ($1 == 1 && $2 >= 1)) }'; }

step "services: MariaDB and Redis"
bash "$ROOT/scripts/services.sh"

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm: installing workspaces"
  # `npm install` (which keeps the locked versions) rather than `npm ci`: npm 11 leaves other platforms' optional
  # binaries (biome, esbuild, ...) out of the lock file and `npm ci` then refuses it as out of sync.
  # The mediasoup worker is handled below; onnxruntime and node-llama-cpp ship their CPU binaries in npm packages.
  MEDIASOUP_WORKER_BIN=handled-by-setup ONNXRUNTIME_NODE_INSTALL=skip NODE_LLAMA_CPP_SKIP_DOWNLOAD=true \
    npm install --no-audit --no-fund
fi
export PATH="$ROOT/node_modules/.bin:$PATH"
step "node $(node --version)"

MS_DIR="$ROOT/node_modules/mediasoup"
MS_VERSION="$(node -p "require('$MS_DIR/package.json').version")"
BIN="$MS_DIR/worker/out/Release/mediasoup-worker"
RECIPE="$(cat "$ROOT/scripts/mediasoup/build-worker-offline.sh" | sha256sum | cut -c1-12)"
CACHED="$CACHE/mediasoup-worker-$MS_VERSION-$RECIPE"
if [ -x "$BIN" ] && [ -f "$BIN.recipe" ] && [ "$(cat "$BIN.recipe")" = "$MS_VERSION-$RECIPE" ]; then
  :
elif [ -x "$CACHED" ]; then
  step "mediasoup: reusing cached worker $MS_VERSION-$RECIPE"
  mkdir -p "$(dirname "$BIN")" && install -m 0755 "$CACHED" "$BIN" && echo "$MS_VERSION-$RECIPE" > "$BIN.recipe"
else
  mkdir -p "$CACHE"
  step "mediasoup: trying the prebuilt worker download"
  if (cd "$MS_DIR" && timeout 300 node npm-scripts.mjs postinstall > "$CACHE/mediasoup-postinstall.log" 2>&1) && [ -x "$BIN" ]; then
    step "mediasoup: prebuilt or upstream-built worker installed"
  else
    step "mediasoup: no prebuilt worker reachable; building offline from Debian packages (about 4 min on 2 cores, log: $CACHE/mediasoup-build.log)"
    if need_meson; then
      step "apt: meson from bookworm-backports"
      T="$(mktemp -d)"; chmod 755 "$T"; mkdir -p "$T/lists/partial"
      printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > "$T/bpo.sources"
      APT_BPO=(-o "Dir::Etc::SourceList=$T/bpo.sources" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$T/lists")
      as_root apt-get "${APT_BPO[@]}" update -qq
      (cd "$T" && apt-get "${APT_BPO[@]}" download meson >/dev/null)
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$T"/meson_*.deb >/dev/null
      rm -rf "$T"
    fi
    (
      while sleep 30; do step "mediasoup: still building ($(grep -c '^\[' "$CACHE/mediasoup-build.log" 2>/dev/null || echo 0) build steps logged)"; done
    ) & ticker=$!
    if ! bash "$ROOT/scripts/mediasoup/build-worker-offline.sh" "$MS_DIR" > "$CACHE/mediasoup-build.log" 2>&1; then
      kill "$ticker" 2>/dev/null || true
      tail -40 "$CACHE/mediasoup-build.log"
      echo "mediasoup worker build failed: see $CACHE/mediasoup-build.log" >&2
      exit 1
    fi
    kill "$ticker" 2>/dev/null || true
    rm -rf "$MS_DIR/worker/out/Release/build"
  fi
  install -m 0755 "$BIN" "$CACHED.tmp" && mv "$CACHED.tmp" "$CACHED"
  echo "$MS_VERSION-$RECIPE" > "$BIN.recipe"
  step "mediasoup: worker cached at $CACHED"
fi
# an offline-built worker gets libsrtp2 on OpenSSL instead of Debian's NSS build (half its CPU when forwarding)
if ! SRTP_WORKER="$(bash "$ROOT/scripts/mediasoup/srtp-openssl.sh" "$([ -x "$CACHED" ] && echo "$CACHED" || echo "$BIN")")"; then
  step "mediasoup: keeping Debian's libsrtp2 (NSS, about twice the worker CPU per forwarded packet); rerun setup to retry"
  SRTP_WORKER="$BIN"
fi
if ! cmp -s "$SRTP_WORKER" "$BIN"; then
  step "mediasoup: worker with SRTP on OpenSSL ($SRTP_WORKER)"
  # a new file, not written in place: node_modules may be hard-linked into other checkouts
  cp "$SRTP_WORKER" "$BIN.tmp" && mv "$BIN.tmp" "$BIN"
fi

if command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ]; then
  step "livekit: livekit-server for SFU_BACKEND=livekit (cached after the first build)"
  bash "$ROOT/scripts/livekit/install.sh" >/dev/null
  step "loadtest: rtpsink, the SFU load test's listener bots (Go stdlib only, cached)"
  bash "$ROOT/scripts/loadtest/build-rtpsink.sh" >/dev/null
else
  step "Go not found: skipping livekit-server (SFU_BACKEND=livekit and its tests need it) and rtpsink (the SFU load test and its test need it): install Go, rerun"
fi

step "done"
