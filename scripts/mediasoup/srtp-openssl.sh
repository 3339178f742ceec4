#!/usr/bin/env bash
# Points an offline-built mediasoup worker at a libsrtp2 that encrypts with OpenSSL. The offline build
# (build-worker-offline.sh) links Debian's libsrtp2.so.1, which Debian builds on NSS: there every SRTP packet goes
# through NSS softoken contexts, and they were about half the worker's CPU when forwarding audio (perf, SFU load
# test: halved worker CPU per consumer with this). Upstream's prebuilt worker links libsrtp with OpenSSL statically
# and needs none of this; the script then does nothing.
#
# Builds the same libsrtp2 version (upstream source from Debian's source package: apt-get source, no other download) with
# --enable-openssl into ${VOICEROOM_CACHE_DIR:-~/.cache/voiceroom}/libsrtp2-<version>-openssl/, and writes a copy of
# the worker with that directory as its RUNPATH (patchelf) next to the cached worker. Usage:
#   srtp-openssl.sh path/to/mediasoup-worker    -> prints the patched worker's path (cached; built once)
# LIBSRTP_SRC=dir uses an unpacked libsrtp2 source tree instead of apt-get source.
set -euo pipefail
WORKER="$(readlink -f "$1")"
CACHE="${VOICEROOM_CACHE_DIR:-$HOME/.cache/voiceroom}"
step() { printf '{"ts":"%s","step":"srtp-openssl","msg":"%s"}\n' "$(date -u +%FT%TZ)" "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! readelf -d "$WORKER" | grep -q 'NEEDED.*libsrtp2\.so'; then
  step "the worker does not link libsrtp2.so dynamically (upstream prebuilt): nothing to do"
  echo "$WORKER"
  exit 0
fi
if readelf -d "$WORKER" | grep -q 'RUNPATH.*-openssl'; then
  echo "$WORKER"
  exit 0
fi
VERSION="$(dpkg-query -W -f='${Version}' libsrtp2-1 2>/dev/null || true)"
[ -n "$VERSION" ] || { echo "srtp-openssl: libsrtp2-1 is not installed (the worker links it); run npm run setup" >&2; exit 1; }
LIBDIR="$CACHE/libsrtp2-$VERSION-openssl"
OUT="$CACHE/$(basename "$WORKER")-srtp-openssl-$(sha256sum "$WORKER" | cut -c1-12)"
if [ -x "$OUT" ] && [ -f "$LIBDIR/libsrtp2.so.1" ]; then
  echo "$OUT"
  exit 0
fi
command -v patchelf >/dev/null || { step "apt: patchelf"; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends patchelf >/dev/null; }

T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
if [ -z "${LIBSRTP_SRC:-}" ]; then
  step "apt: libsrtp2 $VERSION source package"
  chmod 755 "$T" && mkdir -p "$T/lists/partial" "$T/src"
  CODENAME="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$CODENAME" > "$T/src.sources"
  APT_SRC=(-o "Dir::Etc::SourceList=$T/src.sources" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$T/lists")
  apt-get "${APT_SRC[@]}" update -qq
  (cd "$T/src" && apt-get "${APT_SRC[@]}" source --download-only "libsrtp2=$VERSION" >/dev/null 2>&1)
  (cd "$T/src" && dpkg-source -x --skip-debianization ./*.dsc tree >/dev/null 2>&1)
  LIBSRTP_SRC="$T/src/tree"
fi
step "building libsrtp2 $VERSION with OpenSSL (about 30 s)"
cp -r "$LIBSRTP_SRC" "$T/build"
(cd "$T/build" && ./configure --enable-openssl >/dev/null && nice make -j"$(nproc)" shared_library >/dev/null)
ldd "$T/build/libsrtp2.so.1" | grep -q libcrypto || { echo "srtp-openssl: the build did not link OpenSSL" >&2; exit 1; }
mkdir -p "$LIBDIR"
install -m 0644 "$T/build/libsrtp2.so.1" "$LIBDIR/libsrtp2.so.1.tmp" && mv "$LIBDIR/libsrtp2.so.1.tmp" "$LIBDIR/libsrtp2.so.1"
cp "$WORKER" "$OUT.tmp"
patchelf --set-rpath "$LIBDIR" "$OUT.tmp"
chmod 0755 "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
step "worker with OpenSSL SRTP at $OUT"
echo "$OUT"
