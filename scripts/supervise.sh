#!/usr/bin/env bash
# Keeps one process running: `bash scripts/supervise.sh <name> <command> [args...]`. When the command exits on its
# own (a crash, a kill, even a clean exit) it is started again after a backoff that doubles from
# SUPERVISE_BACKOFF_MIN_MS (1000) up to SUPERVISE_BACKOFF_MAX_MS (30000), back to the minimum once a run lasted
# SUPERVISE_STABLE_MS (60000). SIGTERM or SIGINT stops it: the running command gets SIGTERM (so it can drain), is
# waited for, and nothing is restarted. Every start, exit and restart is one JSON line on stdout.
set -uo pipefail
if [ "$#" -lt 2 ]; then
  echo 'usage: supervise.sh <name> <command> [args...]' >&2
  exit 2
fi
name="$1"
shift
min_ms="${SUPERVISE_BACKOFF_MIN_MS:-1000}"
max_ms="${SUPERVISE_BACKOFF_MAX_MS:-30000}"
stable_ms="${SUPERVISE_STABLE_MS:-60000}"
for value in "$min_ms" "$max_ms" "$stable_ms"; do
  case "$value" in
    '' | *[!0-9]*)
      echo "supervise.sh: SUPERVISE_BACKOFF_MIN_MS, SUPERVISE_BACKOFF_MAX_MS and SUPERVISE_STABLE_MS must be whole milliseconds (got '$value')" >&2
      exit 2
      ;;
  esac
done

log() { printf '{"time":"%s","component":"supervisor","process":"%s",%s}\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$name" "$1"; }
now_ms() { date +%s%3N; }

child=''
stopping=0
stop() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap stop TERM INT

delay_ms="$min_ms"
restarts=0
while [ "$stopping" -eq 0 ]; do
  started_ms="$(now_ms)"
  "$@" &
  child=$!
  [ "$stopping" -eq 1 ] && kill -TERM "$child" 2>/dev/null
  log "\"event\":\"started\",\"pid\":$child,\"restarts\":$restarts,\"msg\":\"$name started\""
  # A trapped signal interrupts `wait`: wait again until the child has really exited.
  code=0
  wait "$child" || code=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child" || code=$?; done
  child=''
  ran_ms=$(($(now_ms) - started_ms))
  [ "$stopping" -eq 1 ] && break
  [ "$ran_ms" -ge "$stable_ms" ] && delay_ms="$min_ms"
  restarts=$((restarts + 1))
  signal=''
  [ "$code" -gt 128 ] && signal="$(kill -l $((code - 128)) 2>/dev/null || true)"
  log "\"level\":\"warn\",\"event\":\"exited\",\"code\":$code,\"signal\":\"$signal\",\"ran_ms\":$ran_ms,\"restart_in_ms\":$delay_ms,\"restarts\":$restarts,\"msg\":\"$name exited; restarting it\""
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))" &
  child=$!
  wait "$child" || true
  child=''
  delay_ms=$((delay_ms * 2))
  [ "$delay_ms" -gt "$max_ms" ] && delay_ms="$max_ms"
done
log "\"event\":\"stopped\",\"code\":$code,\"msg\":\"$name stopped; not restarting it\""
exit 0
