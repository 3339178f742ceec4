#!/usr/bin/env bash
# npm run docker:smoke: builds the docker deployment and places one real browser call against it.
# 1. base image (debootstrap + docker import) when missing; local stand-ins for the node, MariaDB and Redis images
#    when they cannot be pulled (no registry); 2. the server/agent-worker image from docker/Dockerfile, with the
#    tracked sources as build context (plus the mediasoup worker scripts/setup.sh cached, when offline);
# 3. compose.yaml + compose.smoke.yaml up (host networking); 4. scripts/docker/smokeCall.ts: Chromium calls, the agent
# answers, the extraction is stored; 5. everything torn down, also on failure. Progress: one JSON line per step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
CACHE="${VOICEROOM_CACHE_DIR:-$HOME/.cache/voiceroom}"
BASE_IMAGE="${SMOKE_BASE_IMAGE:-voiceroom-base:bookworm}"
APP_IMAGE=voiceroom:smoke
PROJECT=voiceroom-smoke
COMPOSE=(docker-compose -p "$PROJECT" -f docker/compose.yaml -f docker/compose.smoke.yaml)
NICE=(nice -n "${SMOKE_NICE:-10}")
t0=$(date +%s)
step() { printf '{"ts":"%s","step":"docker-smoke","elapsed_s":%d,"msg":"%s"}\n' "$(date -u +%FT%TZ)" "$(( $(date +%s) - t0 ))" "$*"; }
fail() { step "FAILED: $*"; exit 1; }
WORK="$(mktemp -d)"

teardown() {
  local rc=$?
  if [ -n "${STACK_UP:-}" ]; then
    if [ "$rc" != 0 ]; then
      step "stack logs (last 40 lines per service) follow"
      "${COMPOSE[@]}" logs --no-color --tail=40 2>&1 || true
    fi
    step "tearing the stack down"
    "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || step "teardown failed: run ${COMPOSE[*]} down -v"
  fi
  rm -rf "$WORK"
  if [ "$rc" = 0 ]; then step "PASSED in $(( $(date +%s) - t0 )) s"; else step "FAILED after $(( $(date +%s) - t0 )) s (exit $rc)"; fi
}
trap teardown EXIT
trap 'exit 130' INT TERM

command -v docker >/dev/null || fail "docker is not installed (Debian: apt-get install docker.io docker-compose debootstrap)"
command -v docker-compose >/dev/null || fail "docker-compose is not installed (Debian: apt-get install docker-compose)"
docker info >/dev/null 2>&1 || fail "the Docker daemon is not reachable: start it (e.g. dockerd --iptables=false --bridge=none --storage-driver=vfs &)"

have_image() { docker image inspect "$1" >/dev/null 2>&1; }
# The official image when it is here or can be pulled, else a local stand-in made from the debootstrapped base
# (built every run: unchanged, that is a cache hit).
image_or_standin() { # official-ref standin-ref dockerfile
  if have_image "$1" || docker pull -q "$1" >/dev/null 2>&1; then echo "$1"; return; fi
  make_base
  step "building $2 (stand-in for $1) from $BASE_IMAGE" >&2
  standin_context
  "${NICE[@]}" docker build --force-rm --network=host --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$2" \
    -f "$WORK/images/$3" "$WORK/images" >"$WORK/standin.log" 2>&1 || { tail -30 "$WORK/standin.log" >&2; fail "building $2 failed"; }
  echo "$2"
}
standin_context() {
  [ -d "$WORK/images" ] && return
  cp -r scripts/docker/images "$WORK/images"
  mkdir -p "$WORK/images/ca-certificates"
  touch "$WORK/images/ca-certificates/.keep"
  cp /usr/local/share/ca-certificates/*.crt "$WORK/images/ca-certificates/" 2>/dev/null || true
}
make_base() {
  have_image "$BASE_IMAGE" && return
  command -v debootstrap >/dev/null || fail "no $BASE_IMAGE and no debootstrap to make it (apt-get install debootstrap)"
  step "making $BASE_IMAGE with debootstrap (about a minute)" >&2
  local dir="$WORK/rootfs"
  "${NICE[@]}" debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap failed"; }
  tar -C "$dir" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$dir"
}

step "images: node, MariaDB, Redis"
NODE_IMAGE="$(image_or_standin node:24-bookworm voiceroom-local/node:24 node.Dockerfile)"
NODE_SLIM_IMAGE="$NODE_IMAGE"
have_image node:24-bookworm-slim && NODE_SLIM_IMAGE=node:24-bookworm-slim
# compose.smoke.yaml names the stand-ins; with a registry the official images are retagged under those names.
for pair in "mariadb:10.11 voiceroom-local/mariadb:10.11 mariadb.Dockerfile" "redis:7 voiceroom-local/redis:7 redis.Dockerfile"; do
  set -- $pair
  ref="$(image_or_standin "$1" "$2" "$3")"
  [ "$ref" = "$2" ] || docker tag "$ref" "$2"
done
step "node image $NODE_IMAGE, slim $NODE_SLIM_IMAGE"

# Build context: the files git tracks or would track (no node_modules, .env, .cache, models, results), as a tar;
# without the deployment files and this smoke's host side, whose edits need no new image (vfs rebuilds are slow).
git ls-files -z -co --exclude-standard -- . ':!docker/compose*.yaml' ':!scripts/docker/smoke.sh' \
  ':!scripts/docker/smokeCall.ts' ':!scripts/docker/images' ':!*.md' \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done > "$WORK/files"
tar --null -T "$WORK/files" -cf "$WORK/context.tar"
BUILD_ARGS=(--build-arg "NODE_IMAGE=$NODE_IMAGE" --build-arg "NODE_SLIM_IMAGE=$NODE_SLIM_IMAGE")
MS_VERSION="$(node -p "require('./node_modules/mediasoup/package.json').version")"
RECIPE="$(sha256sum < scripts/mediasoup/build-worker-offline.sh | cut -c1-12)"
PREBUILT="$CACHE/mediasoup-worker-$MS_VERSION-$RECIPE"
if [ "${SMOKE_MEDIASOUP_DOWNLOAD:-}" != 1 ] && [ -x "$PREBUILT" ]; then
  step "mediasoup: passing the worker scripts/setup.sh built ($MS_VERSION-$RECIPE) into the build"
  tar -rf "$WORK/context.tar" --transform 's|.*|docker/prebuilt/mediasoup-worker|' -C "$(dirname "$PREBUILT")" "$(basename "$PREBUILT")"
  BUILD_ARGS+=(--build-arg MEDIASOUP_WORKER_PREBUILT=docker/prebuilt/mediasoup-worker)
fi
if [ "${SMOKE_REUSE_APP_IMAGE:-}" = 1 ] && have_image "$APP_IMAGE"; then
  step "reusing the existing $APP_IMAGE (SMOKE_REUSE_APP_IMAGE=1: for iterating on the stack or the call, not a build check)"
else
step "building $APP_IMAGE from docker/Dockerfile ($(du -h "$WORK/context.tar" | cut -f1) context; log: $WORK/build.log)"
if ! "${NICE[@]}" docker build --force-rm --network=host "${BUILD_ARGS[@]}" -t "$APP_IMAGE" -f docker/Dockerfile - < "$WORK/context.tar" > "$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log"
  fail "building $APP_IMAGE failed"
fi
fi

# Fresh secrets for this run; the agent's service token is signed with the same JWT_SECRET, by the project's CLI.
# (The database password variables are for compose files that ask for one.)
export JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MARIADB_ROOT_PASSWORD="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MARIADB_PASSWORD="$MARIADB_ROOT_PASSWORD" DB_PASSWORD="$MARIADB_ROOT_PASSWORD"
export AGENT_SERVICE_TOKEN="$(node server/src/auth/cli.ts service-token --name docker-smoke-agent --ttl-hours 1 2>/dev/null)"
export MEDIASOUP_ANNOUNCED_ADDRESS=127.0.0.1

# Host networking has no port mappings (docker-compose 1.29 refuses both together): drop them from the resolved file.
"${COMPOSE[@]}" config > "$WORK/compose.resolved.yaml"
node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  import { parse } from "yaml";
  const file = process.argv[1];
  const config = parse(readFileSync(file, "utf8"), { version: "1.1" });
  for (const service of Object.values(config.services)) if (service.network_mode === "host") delete service.ports;
  writeFileSync(file, JSON.stringify(config, null, 2)); // JSON: YAML 1.1 and 1.2 read it alike ("no" stays a string)
' "$WORK/compose.resolved.yaml"
COMPOSE=(docker-compose -p "$PROJECT" -f "$WORK/compose.resolved.yaml")
step "starting the stack (MariaDB :3307, Redis :6380, server :3100, agent worker; host networking)"
STACK_UP=1
"${COMPOSE[@]}" up -d --no-build >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "docker-compose up failed"; }
deadline=$(( $(date +%s) + ${SMOKE_START_TIMEOUT_S:-240} ))
until curl -fs http://127.0.0.1:3100/readyz >/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the server did not become ready within ${SMOKE_START_TIMEOUT_S:-240} s"
  sleep 2
done
step "server ready; creating a smoke-test admin in the stack's database"
ADMIN="$("${COMPOSE[@]}" exec -T server node scripts/docker/smokeAdmin.ts)" || fail "creating the admin failed: $ADMIN"
step "placing a browser call"
SMOKE_ADMIN="$ADMIN" SMOKE_URL=http://127.0.0.1:3100 "${NICE[@]}" node scripts/docker/smokeCall.ts

step "stopping the stack (SIGTERM): the agent worker and the server must drain and exit 0"
"${COMPOSE[@]}" stop -t 60 >/dev/null 2>&1
for service in agent-worker server; do
  code="$(docker inspect -f '{{.State.ExitCode}}' "$("${COMPOSE[@]}" ps -q "$service")")"
  [ "$code" = 0 ] || fail "$service exited with $code on SIGTERM instead of draining and exiting 0"
done
step "agent worker and server drained and exited 0"
