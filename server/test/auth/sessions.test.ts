import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/auth/errors.ts';
import { SessionService } from '../../src/auth/SessionService.ts';
import { TokenService } from '../../src/auth/TokenService.ts';
import { seedDemoUsers } from '../../src/db/seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const PASSWORD = 'sessions-test-password';
const tokens = new TokenService({
  secret: 'sessions-test-secret-0123456789-0123456789',
  issuer: 'voiceroom',
  accessTtlS: 900,
  roomTtlS: 60,
});
let db: TestDatabase;
let clock = new Date('2026-11-21T12:00:00Z');
let sessions: SessionService;

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoUsers(db.orm, PASSWORD);
  sessions = new SessionService({ orm: db.orm, tokens, refreshTtlS: 3600, now: () => clock });
});
afterAll(async () => {
  await db?.drop();
});

describe('SessionService', () => {
  it('stores only the sha256 of refresh tokens', async () => {
    const session = await sessions.login('agent@voiceroom.local', PASSWORD);
    const rows = await db.orm.em
      .getConnection()
      .execute<{ token_hash: string }[]>('select token_hash from refresh_tokens');
    expect(rows.map((r) => r.token_hash)).not.toContain(session.refreshToken);
    const [row] = await db.orm.em
      .getConnection()
      .execute<{ n: number }[]>('select count(*) as n from refresh_tokens where token_hash = sha2(?, 256)', [
        session.refreshToken,
      ]);
    expect(Number(row?.n)).toBe(1);
  });

  it('refuses a refresh token past its lifetime', async () => {
    const session = await sessions.login('agent@voiceroom.local', PASSWORD);
    clock = new Date(clock.getTime() + 3601_000);
    expect(await code(sessions.refresh(session.refreshToken))).toBe('refresh_invalid');
  });

  it('accepts a refresh token just inside its lifetime', async () => {
    const session = await sessions.login('agent@voiceroom.local', PASSWORD);
    clock = new Date(clock.getTime() + 3599_000);
    const next = await sessions.refresh(session.refreshToken);
    expect(next.user.email).toBe('agent@voiceroom.local');
  });

  it('stops refreshing once the account is disabled, and getUser hides it', async () => {
    const session = await sessions.login('supervisor@voiceroom.local', PASSWORD);
    await db.orm.em
      .getConnection()
      .execute("update users set disabled_at = now(3) where email = 'supervisor@voiceroom.local'");
    expect(await code(sessions.refresh(session.refreshToken))).toBe('account_disabled');
    expect(await sessions.getUser(session.user.id)).toBeNull();
  });

  it('refuses a refresh once the login is older than the family lifetime, however often it was rotated', async () => {
    const capped = new SessionService({
      orm: db.orm,
      tokens,
      refreshTtlS: 3600,
      familyMaxAgeS: 3 * 3600,
      now: () => clock,
    });
    let session = await capped.login('admin@voiceroom.local', PASSWORD);
    for (let i = 0; i < 5; i++) {
      // Every 50 minutes: each token alone is well inside its one-hour lifetime.
      clock = new Date(clock.getTime() + 50 * 60_000);
      if (i < 3) session = await capped.refresh(session.refreshToken);
    }
    // 4 h 10 min after the login (the last token is 100 min old): past the 3 h family lifetime.
    expect(await code(capped.refresh(session.refreshToken))).toBe('refresh_invalid');
  });

  it('says refresh_expired when the family lifetime, not the token, ran out, and revokes the family', async () => {
    const capped = new SessionService({
      orm: db.orm,
      tokens,
      refreshTtlS: 3600,
      familyMaxAgeS: 2 * 3600,
      now: () => clock,
    });
    let session = await capped.login('admin@voiceroom.local', PASSWORD);
    clock = new Date(clock.getTime() + 55 * 60_000);
    session = await capped.refresh(session.refreshToken);
    clock = new Date(clock.getTime() + 55 * 60_000);
    session = await capped.refresh(session.refreshToken);
    // The newest token was issued at 1 h 50 min with an expiry capped at the family's end (2 h).
    const [row] = await db.orm.em
      .getConnection()
      .execute<{ expires_at: Date; created_at: Date }[]>(
        'select expires_at, created_at from refresh_tokens where token_hash = sha2(?, 256)',
        [session.refreshToken],
      );
    expect(new Date(row?.expires_at as Date).getTime() - new Date(row?.created_at as Date).getTime()).toBe(
      10 * 60_000,
    );
    await db.orm.em
      .getConnection()
      .execute(
        'update refresh_tokens set expires_at = date_add(expires_at, interval 1 day) where token_hash = sha2(?, 256)',
        [session.refreshToken],
      );
    clock = new Date(clock.getTime() + 11 * 60_000);
    expect(await code(capped.refresh(session.refreshToken))).toBe('refresh_expired');
  });

  it("gives a refreshed access token the account's current role", async () => {
    const session = await sessions.login('agent@voiceroom.local', PASSWORD);
    await db.orm.em
      .getConnection()
      .execute("update users set role = 'customer' where email = 'agent@voiceroom.local'");
    try {
      const next = await sessions.refresh(session.refreshToken);
      expect(next.user.role).toBe('customer');
      expect((await tokens.verifyAccessToken(next.accessToken)).role).toBe('customer');
    } finally {
      await db.orm.em
        .getConnection()
        .execute("update users set role = 'human_agent' where email = 'agent@voiceroom.local'");
    }
  });
});
