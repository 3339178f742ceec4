# Stand-in for the official mariadb:10.11 image (scripts/docker/smoke.sh, no registry): Debian's MariaDB 10.11 with
# an entrypoint honouring the official image's variables and its healthcheck.sh, so compose.yaml works unchanged.
ARG BASE_IMAGE=voiceroom-base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-server \
    && rm -rf /var/lib/apt/lists/* /var/lib/mysql/* \
    && mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
COPY mariadb-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY mariadb-healthcheck.sh /usr/local/bin/healthcheck.sh
VOLUME /var/lib/mysql
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mariadbd"]
