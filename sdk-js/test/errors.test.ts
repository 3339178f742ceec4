import {
  CodedError,
  ERROR_STATUS,
  formatZodError,
  httpStatusOf,
  SignalingErrorCodeSchema,
  toWireError,
} from '@voiceroom/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

describe('CodedError', () => {
  it('takes its status from the table unless given one', () => {
    expect(new CodedError('room_full', 'full').status).toBe(409);
    expect(new CodedError('room_full', 'full', { status: 503 }).status).toBe(503);
    expect(new CodedError('never_heard_of_it', 'x').status).toBe(500);
    expect(httpStatusOf('toString')).toBe(500);
  });

  it('is declared (meant for the client) when its code is in the table or it has a status', () => {
    expect(new CodedError('room_full', 'x').declared).toBe(true);
    expect(new CodedError('login_throttled', 'x', { status: 429 }).declared).toBe(true);
    expect(new CodedError('tts_failed', 'x').declared).toBe(false);
  });

  it('keeps retryable, details and cause', () => {
    const cause = new Error('socket hang up');
    const error = new CodedError('at_capacity', 'busy', { retryable: true, details: { free: 0 }, cause });
    expect(error).toMatchObject({ code: 'at_capacity', retryable: true, details: { free: 0 }, cause });
    expect(new CodedError('x', 'y').retryable).toBe(false);
  });
});

describe('the code table', () => {
  it('spells every code lower_snake and maps it to an HTTP error status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('has an entry for every signaling code', () => {
    for (const code of SignalingErrorCodeSchema.options) expect(Object.keys(ERROR_STATUS)).toContain(code);
  });
});

describe('toWireError', () => {
  const codes = SignalingErrorCodeSchema.options;

  it('sends a CodedError of the channel as its code and message', () => {
    expect(toWireError(new CodedError('room_full', 'The room is full.'), codes)).toEqual({
      code: 'room_full',
      message: 'The room is full.',
    });
  });

  it('hides anything else behind internal_error', () => {
    for (const error of [
      new Error('ECONNREFUSED 10.0.0.5:3306'),
      new CodedError('email_taken', 'x'),
      'boom',
    ]) {
      const wire = toWireError(error, codes);
      expect(wire.code).toBe('internal_error');
      expect(wire.message).not.toMatch(/10\.0\.0\.5|boom|x$/);
    }
    expect(toWireError(new Error('secret'), codes, 'incident 42').message).toBe('incident 42');
  });
});

describe('formatZodError', () => {
  const schema = z.object({ name: z.string(), tts: z.object({ rate: z.number() }) });

  it('names each bad field with its path, prefixed when asked', () => {
    const result = schema.safeParse({ name: 1, tts: { rate: 'fast' } });
    if (result.success) throw new Error('expected a failure');
    const { message, issues } = formatZodError(result.error, { what: 'Invalid body', prefix: ['body'] });
    expect(issues.map((i) => i.path)).toEqual(['body.name', 'body.tts.rate']);
    expect(message).toMatch(/^Invalid body: body\.name: .+; body\.tts\.rate: /);
  });

  it('calls the value itself (root) and counts what it leaves out', () => {
    const root = z.string().safeParse(5);
    if (root.success) throw new Error('expected a failure');
    expect(formatZodError(root.error).issues[0]?.path).toBe('(root)');
    const many = z.array(z.string()).safeParse([1, 2, 3]);
    if (many.success) throw new Error('expected a failure');
    expect(formatZodError(many.error, { limit: 1 }).message).toMatch(/0: .+\(and 2 more\)$/);
  });
});
