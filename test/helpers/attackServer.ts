import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openOrm } from '../../server/src/db/orm.ts';
import { seedDemoUsers } from '../../server/src/db/seed.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';

export const ATTACK_PASSWORD = 'attack-test-password-0123456789';
export type DemoRole = 'admin' | 'supervisor' | 'agent' | 'customer';

export interface AttackServer {
  app: TestApp;
  url: string;
  /** An access token of the demo account with this role. */
  token(role: DemoRole): Promise<string>;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; yaml?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** The real server (startTestApp: fresh MariaDB database, ephemeral port) with the demo accounts, for attack tests. */
export async function startAttackServer(options: TestAppOptions = {}): Promise<AttackServer> {
  const app = await startTestApp(options);
  const orm = await openOrm(app.server.config.db);
  try {
    await seedDemoUsers(orm, ATTACK_PASSWORD);
  } finally {
    await orm.close(true);
  }
  const tokens = new Map<DemoRole, string>();
  const request: AttackServer['request'] = (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.yaml !== undefined) {
      headers['content-type'] = 'application/yaml';
      body = o.yaml;
    } else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    return fetch(`${app.url}${path}`, { method, headers, body });
  };
  return {
    app,
    url: app.url,
    request,
    async token(role) {
      const cached = tokens.get(role);
      if (cached) return cached;
      const res = await request('POST', '/api/auth/login', {
        body: { email: `${role}@voiceroom.local`, password: ATTACK_PASSWORD },
      });
      if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${await res.text()}`);
      const { accessToken } = (await res.json()) as { accessToken: string };
      tokens.set(role, accessToken);
      return accessToken;
    },
    close: () => app.close(),
  };
}

export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return body.error?.code ?? `(no error code; status ${res.status})`;
}

export interface CapturedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** A loopback HTTP listener standing in for an attacker's host: it records every request it gets. */
export class RecordingListener {
  readonly requests: CapturedRequest[] = [];
  readonly #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async start(): Promise<RecordingListener> {
    const server = http.createServer();
    const listener = new RecordingListener(server);
    server.on('request', (req, res) => {
      listener.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"listener"}}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return listener;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
