import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AGENTS_NAMESPACE } from '@voiceroom/protocol';
import { decodeJwt } from 'jose';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/src/config.ts';
import { errorCode, type SecurityApp, startSecurityApp } from '../helpers/securityApp.ts';

/** Item 8 of the security review: tokens follow the account's current state; service tokens can be revoked. */
let app: SecurityApp;
const run = promisify(execFile);

beforeAll(async () => {
  app = await startSecurityApp({ env: { REFRESH_FAMILY_MAX_AGE_DAYS: '1' } });
});
afterAll(async () => {
  await app?.close();
});

/** The auth CLI as an operator runs it, against this app's database and secret. */
function authCli(...args: string[]) {
  return run(process.execPath, [path.join(REPO_ROOT, 'server', 'src', 'auth', 'cli.ts'), ...args], {
    env: {
      ...process.env,
      DB_NAME: app.dbName,
      JWT_SECRET: app.server.config.jwt.secret,
      LOG_LEVEL: 'error',
    },
  });
}

/** Connects to /agents as a worker would; resolves 'connected' or the refusal's code and message. */
function connectWorker(token: string): Promise<string> {
  const socket = io(`${app.url}${AGENTS_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (error: Error & { data?: { code: string; message: string } }) => {
      socket.disconnect();
      resolve(`${error.data?.code}: ${error.data?.message}`);
    });
  });
}

describe('tokens', () => {
  it('attack: a supervisor demoted to customer keeps using the access token issued before | expected: room-token issuance refused (403 forbidden), the next refresh carries the new role', async () => {
    const email = await app.addUser('supervisor');
    const before = await app.login(email);
    await app.sql("update users set role = 'customer' where email = ?", [email]);
    const call = await app.request('POST', '/api/calls', { body: {} });
    const { roomId } = (await call.json()) as { roomId: string };
    const res = await app.request('POST', `/api/rooms/${roomId}/token`, {
      token: before.accessToken,
      body: {},
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('forbidden');
    const refreshed = await app.request('POST', '/api/auth/refresh', {
      body: { refreshToken: before.refreshToken },
    });
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    expect(decodeJwt(accessToken).role).toBe('customer');
  });

  it('attack: a disabled account keeps its tokens | expected: its access token expires within 15 minutes, refresh refused (401 account_disabled)', async () => {
    const email = await app.addUser('human_agent');
    const session = await app.login(email);
    await app.sql('update users set disabled_at = now(3) where email = ?', [email]);
    const claims = decodeJwt(session.accessToken);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    const res = await app.request('POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('account_disabled');
  });

  it('attack: keeps a stolen login alive forever by refreshing before each refresh token expires | expected: refused once the login is older than REFRESH_FAMILY_MAX_AGE_DAYS (401 refresh_expired)', async () => {
    const email = await app.addUser('human_agent');
    let session = await app.login(email);
    for (let i = 0; i < 3; i++) {
      const res = await app.request('POST', '/api/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      });
      session = (await res.json()) as typeof session;
    }
    // The login happened two days ago (the family's first token); the current token alone is fresh.
    await app.sql(
      'update refresh_tokens set created_at = date_sub(created_at, interval 2 day), ' +
        'expires_at = date_add(now(3), interval 1 day) ' +
        'where user_id = (select id from users where email = ?)',
      [email],
    );
    const res = await app.request('POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('refresh_expired');
  });

  it('attack: an agent worker connects with a service token the operator revoked (revoke-service-token --jti) | expected: refused (unauthorized: token revoked); an unrevoked token still connects', async () => {
    const issued = await authCli('service-token', '--name', 'leaked-worker');
    const token = issued.stdout.trim();
    const jti = /jti (\S+),/.exec(issued.stderr)?.[1];
    expect(jti).toBe(decodeJwt(token).jti);
    expect(decodeJwt(token).exp ?? 0).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 24 * 3600);
    expect(await connectWorker(token)).toBe('connected');

    const revoked = await authCli('revoke-service-token', '--jti', jti ?? '', '--reason', 'leaked');
    expect(revoked.stdout).toContain(`revoked service token ${jti}`);
    expect(await connectWorker(token)).toMatch(/^unauthorized: .*revoked/);

    const other = (await authCli('service-token', '--name', 'good-worker')).stdout.trim();
    expect(await connectWorker(other)).toBe('connected');
  });
});
