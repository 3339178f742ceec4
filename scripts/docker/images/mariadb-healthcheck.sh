#!/bin/sh
# The official image's `healthcheck.sh --connect --innodb_initialized`, reduced to what compose.yaml asks: the
# server answers a query that needs InnoDB (over its socket, so whatever --port it was given).
exec mariadb -uroot ${MARIADB_ROOT_PASSWORD:+-p"$MARIADB_ROOT_PASSWORD"} \
  -e 'SELECT 1 FROM information_schema.ENGINES WHERE ENGINE="InnoDB"' >/dev/null
