import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/auth/errors.ts';
import { SessionService } from '../../src/auth/sessions.ts';
import { TokenService } from '../../src/auth/tokens.ts';
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
});
