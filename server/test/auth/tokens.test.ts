import { createHmac } from 'node:crypto';
import { RoomClaimsSchema } from '@voiceroom/protocol';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/auth/errors.ts';
import { AUDIENCE, TokenService } from '../../src/auth/TokenService.ts';

const SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
const tokens = new TokenService({ secret: SECRET, issuer: 'voiceroom', accessTtlS: 900, roomTtlS: 3600 });
const key = new TextEncoder().encode(SECRET);
const user = { id: '42', email: 'agent@voiceroom.local', role: 'human_agent' as const };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected the token to be refused');
}

function signed(claims: Record<string, unknown>, overrides: { key?: Uint8Array; alg?: string } = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg: overrides.alg ?? 'HS256' }).sign(overrides.key ?? key);
}

describe('TokenService', () => {
  it('round-trips an access token with the user id, email and role', async () => {
    const { token, expiresIn } = await tokens.issueAccessToken(user);
    expect(expiresIn).toBe(900);
    await expect(tokens.verifyAccessToken(token)).resolves.toEqual(user);
  });

  it('refuses an expired token with token_expired', async () => {
    const token = await signed({
      sub: '42',
      email: 'a@b.c',
      role: 'admin',
      iss: 'voiceroom',
      aud: AUDIENCE.api,
      exp: now() - 10,
    });
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_expired');
  });

  it('refuses a token signed with another secret with token_invalid', async () => {
    const other = new TokenService({
      secret: `${SECRET}-other`,
      issuer: 'voiceroom',
      accessTtlS: 900,
      roomTtlS: 60,
    });
    const { token } = await other.issueAccessToken(user);
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_invalid');
  });

  it('refuses an unsigned alg=none token with token_alg_not_allowed', async () => {
    const payload = {
      sub: '1',
      email: 'admin@voiceroom.local',
      role: 'admin',
      iss: 'voiceroom',
      aud: AUDIENCE.api,
      exp: now() + 600,
    };
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_alg_not_allowed');
  });

  it('refuses an HS512 token even when signed with the right secret', async () => {
    const token = await signed(
      { sub: '42', email: 'a@b.c', role: 'admin', iss: 'voiceroom', aud: AUDIENCE.api, exp: now() + 600 },
      { alg: 'HS512' },
    );
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_alg_not_allowed');
  });

  it('refuses a room token presented as an access token with token_wrong_audience', async () => {
    const { token } = await tokens.issueRoomToken({
      identity: 'guest:1',
      name: 'Ann',
      room: 'r1',
      role: 'customer',
    });
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_wrong_audience');
    expect(await refusal(tokens.verifyServiceToken(token))).toBe('token_wrong_audience');
  });

  it('refuses a token from another issuer with token_wrong_issuer', async () => {
    const foreign = new TokenService({
      secret: SECRET,
      issuer: 'someone-else',
      accessTtlS: 900,
      roomTtlS: 60,
    });
    const { token } = await foreign.issueAccessToken(user);
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_wrong_issuer');
  });

  it('refuses a token without exp', async () => {
    const token = await signed({
      sub: '42',
      email: 'a@b.c',
      role: 'admin',
      iss: 'voiceroom',
      aud: AUDIENCE.api,
    });
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_claims_invalid');
  });

  it('refuses a tampered payload (role raised) with token_invalid', async () => {
    const { token } = await tokens.issueAccessToken(user);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = `${header}.${b64({ ...claims, role: 'admin' })}.${signature}`;
    expect(await refusal(tokens.verifyAccessToken(forged))).toBe('token_invalid');
  });

  it('refuses an empty or garbage token', async () => {
    expect(await refusal(tokens.verifyAccessToken(''))).toBe('token_missing');
    expect(await refusal(tokens.verifyAccessToken('not.a.jwt'))).toBe('token_invalid');
  });

  it('refuses a validly signed access token whose role is unknown with token_claims_invalid', async () => {
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const body = b64({
      sub: '1',
      email: 'x@y.z',
      role: 'root',
      iss: 'voiceroom',
      aud: AUDIENCE.api,
      exp: now() + 60,
    });
    const mac = createHmac('sha256', SECRET).update(`${header}.${body}`).digest('base64url');
    expect(await refusal(tokens.verifyAccessToken(`${header}.${body}.${mac}`))).toBe('token_claims_invalid');
  });

  it('issues room tokens whose grants follow the role', async () => {
    const { token, expiresIn } = await tokens.issueRoomToken({
      identity: '7',
      name: 'Sam',
      room: 'room-1',
      role: 'human_agent',
      agentId: 'pizzeria',
    });
    expect(expiresIn).toBe(3600);
    const claims = await tokens.verifyRoomToken(token);
    expect(RoomClaimsSchema.parse(claims)).toEqual(claims);
    expect(claims).toMatchObject({
      sub: '7',
      name: 'Sam',
      room: 'room-1',
      role: 'human_agent',
      agentId: 'pizzeria',
    });
    expect(claims.grants).toEqual({
      canPublish: true,
      canSubscribe: true,
      canWhisper: true,
      canTakeOver: true,
      hidden: false,
    });
  });

  it('strips canPublish from a listen-only room token', async () => {
    const { token } = await tokens.issueRoomToken({
      identity: '7',
      name: 'Sam',
      room: 'r',
      role: 'human_agent',
      listenOnly: true,
    });
    const { grants } = await tokens.verifyRoomToken(token);
    expect(grants.canPublish).toBe(false);
    expect(grants.canSubscribe).toBe(true);
  });

  it('gives supervisors hidden listen-only grants and customers no whisper or takeover', async () => {
    const supervisor = await tokens.verifyRoomToken(
      (await tokens.issueRoomToken({ identity: '9', name: 'Boss', room: 'r', role: 'supervisor' })).token,
    );
    expect(supervisor.grants).toMatchObject({
      canPublish: false,
      canSubscribe: true,
      hidden: true,
      canWhisper: true,
    });
    const customer = await tokens.verifyRoomToken(
      (await tokens.issueRoomToken({ identity: 'guest:1', name: 'Ann', room: 'r', role: 'customer' })).token,
    );
    expect(customer.grants).toMatchObject({
      canPublish: true,
      canWhisper: false,
      canTakeOver: false,
      hidden: false,
    });
  });

  it('honours a per-token room ttl', async () => {
    const { token } = await tokens.issueRoomToken({
      identity: 'a',
      name: 'A',
      room: 'r',
      role: 'agent_ai',
      ttlS: 5,
    });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(5);
  });

  it('round-trips a service token and refuses it as an access token', async () => {
    const { token } = await tokens.issueServiceToken('agent-worker-1');
    await expect(tokens.verifyServiceToken(token)).resolves.toEqual({
      name: 'agent-worker-1',
      role: 'service',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await refusal(tokens.verifyAccessToken(token))).toBe('token_wrong_audience');
  });

  it('issues service tokens for 24 hours unless told otherwise', async () => {
    const { token, expiresIn } = await tokens.issueServiceToken('agent-worker-1');
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(expiresIn).toBe(24 * 3600);
    expect(payload.exp - payload.iat).toBe(24 * 3600);
  });

  it('rejects a secret shorter than 32 characters', () => {
    expect(() => new TokenService({ secret: 'short', issuer: 'i', accessTtlS: 1, roomTtlS: 1 })).toThrow(
      /32/,
    );
  });
});
