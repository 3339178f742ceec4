import { describe, expect, it } from 'vitest';
import { SessionCallEventSchema } from '../src/index.ts';

describe("a callback's phone number at the agent link", () => {
  const callback = (phone: string | null) =>
    SessionCallEventSchema.safeParse({ type: 'callback', roomId: 'room-1', phone });

  it('takes a dialable number, however written (ten digits, or eleven with the leading 1), or none', () => {
    for (const phone of ['555-321-4567', '5553214567', '(555) 321 4567', '1-555-321-4567', null])
      expect(callback(phone).success, String(phone)).toBe(true);
  });

  it('refuses a number heard in part, misheard long or breaking the numbering plan, with the reason', () => {
    for (const phone of [
      '51234567',
      '555-1234',
      '2-555-321-4567',
      '555-321-45678',
      '',
      '555-123-4567',
      '055-321-4567',
    ])
      expect(callback(phone).success, phone).toBe(false);
    expect(callback('51234567').error?.issues[0]?.message).toMatch(/dialable phone number: 10 digits/);
  });
});
