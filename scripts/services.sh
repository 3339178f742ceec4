#!/usr/bin/env bash
# Starts the local MariaDB and Redis the product and its tests use, if they are not answering.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1; then
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
  mysqladmin -uroot -h127.0.0.1 ping >/dev/null || { echo "MariaDB did not start: check /var/log/mysql" >&2; exit 1; }
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
