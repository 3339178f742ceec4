import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED_PASSWORD } from '../../src/db/seed.ts';
import { errorCode, type Harness, startHarness } from './harness.ts';

let h: Harness;
let admin: string;

beforeAll(async () => {
  h = await startHarness();
  admin = (await h.login('admin@voiceroom.local')).accessToken;
});
afterAll(async () => {
  await h?.close();
});

async function audit(action: string): Promise<{ target_id: string; details: string | null }[]> {
  return h.db.orm.em
    .getConnection()
    .execute('select target_id, details from audit_events where action = ? order by id', [action]);
}

describe('/api/users', () => {
  it('lets an admin create an account that can then log in, and audits it', async () => {
    const res = await h.request('POST', '/api/users', {
      token: admin,
      body: {
        email: 'New.Agent@voiceroom.local',
        password: 'a-long-password',
        role: 'human_agent',
        displayName: 'Nia',
      },
    });
    expect(res.status).toBe(201);
    const user = await res.json();
    expect(user).toMatchObject({ email: 'new.agent@voiceroom.local', role: 'human_agent', disabledAt: null });
    expect(user.passwordHash).toBeUndefined();
    const login = await h.request('POST', '/api/auth/login', {
      body: { email: 'new.agent@voiceroom.local', password: 'a-long-password' },
    });
    expect(login.status).toBe(200);
    expect((await audit('user.create')).map((a) => a.target_id)).toContain(user.id);
  });

  it('answers 409 email_taken for a duplicate email', async () => {
    const res = await h.request('POST', '/api/users', {
      token: admin,
      body: {
        email: 'agent@voiceroom.local',
        password: 'a-long-password',
        role: 'human_agent',
        displayName: 'Dup',
      },
    });
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('email_taken');
  });

  it('refuses weak passwords and unknown roles with 400', async () => {
    const res = await h.request('POST', '/api/users', {
      token: admin,
      body: { email: 'x@voiceroom.local', password: 'short', role: 'root', displayName: 'X' },
    });
    expect(res.status).toBe(400);
    const paths = (await res.json()).error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['body.password', 'body.role']);
  });

  it('never gives an account the public demo password, created or changed', async () => {
    const created = await h.request('POST', '/api/users', {
      token: admin,
      body: {
        email: 'demo@voiceroom.test',
        password: DEFAULT_SEED_PASSWORD,
        role: 'admin',
        displayName: 'D',
      },
    });
    expect(created.status).toBe(400);
    const users = (await (await h.request('GET', '/api/users', { token: admin })).json()).items as {
      id: string;
    }[];
    const changed = await h.request('PATCH', `/api/users/${users[0]?.id}`, {
      token: admin,
      body: { password: DEFAULT_SEED_PASSWORD },
    });
    expect(changed.status).toBe(400);
    expect((await changed.json()).error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.password',
    ]);
  });

  it('lists accounts by role with a total', async () => {
    const res = await h.request('GET', '/api/users?role=supervisor', { token: admin });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.total).toBe(1);
    expect(body.items.map((u: { email: string }) => u.email)).toEqual(['supervisor@voiceroom.local']);
  });

  it('disabling an account ends its sessions: refresh and login are refused', async () => {
    const session = await h.login('supervisor@voiceroom.local');
    const me = await (await h.request('GET', '/api/auth/me', { token: session.accessToken })).json();
    const res = await h.request('PATCH', `/api/users/${me.user.id}`, {
      token: admin,
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).disabledAt).not.toBeNull();
    const refresh = await h.request('POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refresh.status).toBe(401);
    expect(await errorCode(refresh)).toBe('refresh_invalid');
    const login = await h.request('POST', '/api/auth/login', {
      body: { email: 'supervisor@voiceroom.local', password: 'correct horse battery staple' },
    });
    expect(await errorCode(login)).toBe('account_disabled');
    const enabled = await h.request('PATCH', `/api/users/${me.user.id}`, {
      token: admin,
      body: { disabled: false },
    });
    expect((await enabled.json()).disabledAt).toBeNull();
  });

  it('stops an admin from disabling themselves, and answers 404 for unknown ids', async () => {
    const me = await (await h.request('GET', '/api/auth/me', { token: admin })).json();
    const self = await h.request('PATCH', `/api/users/${me.user.id}`, {
      token: admin,
      body: { disabled: true },
    });
    expect(self.status).toBe(409);
    expect(await errorCode(self)).toBe('cannot_change_self');
    const unknown = await h.request('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', {
      token: admin,
      body: { displayName: 'Ghost' },
    });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('user_not_found');
  });

  it('is for admins only', async () => {
    const agent = await h.login('agent@voiceroom.local');
    const res = await h.request('GET', '/api/users', { token: agent.accessToken });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('forbidden');
  });
});
