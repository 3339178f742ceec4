# Stand-in for the official redis:7 image (scripts/docker/smoke.sh, no registry): Debian's redis-server, same
# command-line interface (the compose file's `command` is passed to it as is).
ARG BASE_IMAGE=voiceroom-base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools \
    && rm -rf /var/lib/apt/lists/*
CMD ["redis-server", "--protected-mode", "no"]
