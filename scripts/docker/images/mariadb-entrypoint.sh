#!/bin/sh
# First start: initialise the data directory and apply the official image's variables (MARIADB_ROOT_PASSWORD or
# MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, MARIADB_DATABASE, MARIADB_USER/MARIADB_PASSWORD); then run the server.
set -eu
if [ "${1:-}" = mariadbd ]; then
  shift
  if [ ! -d /var/lib/mysql/mysql ]; then
    if [ -z "${MARIADB_ROOT_PASSWORD:-}" ] && [ -z "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ]; then
      echo "set MARIADB_ROOT_PASSWORD (or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1)" >&2
      exit 1
    fi
    chown -R mysql:mysql /var/lib/mysql
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal >/dev/null
    # --init-file runs one statement per line.
    {
      echo "DELETE FROM mysql.user WHERE user='';"
      echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD:-}';"
      echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
      echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD:-}';"
      [ -z "${MARIADB_DATABASE:-}" ] || echo "CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
      if [ -n "${MARIADB_USER:-}" ]; then
        echo "CREATE USER IF NOT EXISTS '$MARIADB_USER'@'%' IDENTIFIED BY '${MARIADB_PASSWORD:-}';"
        [ -z "${MARIADB_DATABASE:-}" ] || echo "GRANT ALL ON \`$MARIADB_DATABASE\`.* TO '$MARIADB_USER'@'%';"
      fi
      echo "FLUSH PRIVILEGES;"
    } > /run/mysqld/init.sql
    chown mysql:mysql /run/mysqld/init.sql
    set -- --init-file=/run/mysqld/init.sql "$@"
  fi
  exec mariadbd --user=mysql --bind-address=0.0.0.0 "$@"
fi
exec "$@"
