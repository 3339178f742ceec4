import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../server/src/config.ts';

/**
 * Item 6 of the security review: the docker deployment's defaults. No docker engine runs in the test environment, so
 * these cases read the files docker itself reads (build context's .dockerignore, the Dockerfile, the compose file).
 */
const read = (file: string) => readFile(path.join(REPO_ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
}
const compose = async () =>
  parse(await read('docker/compose.yaml')) as { services: Record<string, ComposeService> };

describe('docker deployment defaults', () => {
  it('attack: read secrets or history out of a built image (.env, .cache/jwt-secret, .git, models, node_modules, bench/results copied by COPY . .) | expected: the build context root’s .dockerignore excludes each of them', async () => {
    const ignored = (await read('.dockerignore'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const pattern of [
      '.git',
      '.env',
      '**/.env',
      '.cache',
      'models',
      '**/node_modules',
      'bench/results',
    ]) {
      expect(ignored).toContain(pattern);
    }
    const { services } = await compose();
    // The ignore file only applies where the build context is.
    expect((services.server as { build?: { context?: string } }).build?.context).toBe('..');
  });

  it('attack: use a compromised server or worker process to rewrite the application or the system | expected: the runtime image runs as an unprivileged user and the code stays root-owned', async () => {
    const dockerfile = await read('docker/Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime).not.toMatch(/--chown/);
  });

  it('attack: log in to a fresh compose deployment with the public demo password, or reach MariaDB with an empty or well-known password | expected: compose seeds no demo accounts and every password comes from docker/.env with no default', async () => {
    const { services } = await compose();
    const server = services.server as ComposeService;
    expect(server.command?.join(' ')).not.toMatch(/\bseed\b/);
    const mysql = services.mysql?.environment ?? {};
    expect(mysql.MARIADB_ALLOW_EMPTY_ROOT_PASSWORD).toBeUndefined();
    for (const value of [
      mysql.MARIADB_ROOT_PASSWORD,
      mysql.MARIADB_PASSWORD,
      server.environment?.DB_PASSWORD,
    ]) {
      expect(value).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    }
    expect(server.environment?.DB_USER).toBe(mysql.MARIADB_USER);
  });

  it('attack: crash a service (or make it hang) to keep the deployment down | expected: every service has a restart policy, and each one with a port to probe has a healthcheck', async () => {
    const { services } = await compose();
    for (const [name, service] of Object.entries(services)) {
      expect(service.restart, name).toBe('unless-stopped');
    }
    for (const name of ['mysql', 'redis', 'server']) {
      expect(services[name]?.healthcheck?.test.length, name).toBeGreaterThan(0);
    }
  });
});
