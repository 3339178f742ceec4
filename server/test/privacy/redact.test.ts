import { describe, expect, it } from 'vitest';
import { redactPii } from '../../src/privacy/redact.ts';

describe('redactPii', () => {
  it('replaces written phone numbers in common formats', () => {
    for (const phone of ['415-555-1234', '(415) 555 1234', '+1 415 555 1234', '4155551234', '555.1234']) {
      const { text, found } = redactPii(`call me at ${phone} please`);
      expect(text).toBe('call me at [phone] please');
      expect(found).toEqual(['phone']);
    }
  });

  it('replaces phone numbers dictated as words, without touching words that contain digit names', () => {
    const { text } = redactPii(
      'my number is five five five one two three four, someone will answer the phone',
    );
    expect(text).toBe('my number is [phone], someone will answer the phone');
  });

  it('replaces written and spoken email addresses', () => {
    expect(redactPii('mail john.smith+pizza@example.co.uk now').text).toBe('mail [email] now');
    expect(redactPii('it is john dot smith at example dot com thanks').text).toBe('it is [email] thanks');
  });

  it('replaces card numbers, telling 13-15 digit cards from phone numbers by the Luhn checksum', () => {
    const { text, found } = redactPii('card 4111 1111 1111 1111 expires soon');
    expect(text).toBe('card [card] expires soon');
    expect(found).toEqual(['card']);
    expect(redactPii('amex 3782 822463 10005').found).toEqual(['card']);
    expect(redactPii('call +44 20 7946 0958').found).toEqual(['phone']);
    // Two numbers read in one breath are still removed.
    expect(redactPii('try 415 555 1234 415 555 9876 ok').text).toBe('try [phone] ok');
    // A misheard digit must not leak the rest of a 16-digit card.
    expect(redactPii('card 4111 1111 1111 1112').found).toEqual(['card']);
  });

  it('keeps quantities, prices, sizes and house numbers that are not PII', () => {
    const text = 'two large pepperoni, 3 cokes for $15.50 to 1234 Main Street, apartment 12';
    expect(redactPii(text)).toEqual({ text, found: [] });
  });

  it('handles empty, non-English and very long input', () => {
    expect(redactPii('')).toEqual({ text: '', found: [] });
    expect(redactPii('Ich möchte eine Pizza, meine Nummer ist 030 1234567').text).toBe(
      'Ich möchte eine Pizza, meine Nummer ist [phone]',
    );
    const long = `${'pizza '.repeat(10_000)}call 415 555 1234`;
    const result = redactPii(long);
    expect(result.found).toEqual(['phone']);
    expect(result.text.endsWith('call [phone]')).toBe(true);
  });

  it('handles adversarial dictation in one pass (a catastrophic regex would time this test out)', () => {
    expect(redactPii(`${'john dot '.repeat(4000)}at x`).found).toEqual([]);
    expect(redactPii(`a at ${'b dot '.repeat(4000)}zzz`).found).toEqual([]);
    expect(redactPii(`${'1 '.repeat(5000)}x`).text).toBe('[phone] x');
  });

  it('removes the CVV and expiry date said after a card number, written or spoken', () => {
    expect(redactPii('card 4111 1111 1111 1111 expires 12/26 code 123').text).toBe(
      'card [card] expires [expiry] code [cvv]',
    );
    expect(
      redactPii('it is 4111111111111111, twelve twenty six, and the back says seven three one').found,
    ).toEqual(['card', 'expiry', 'cvv']);
    expect(redactPii('the security code is four four two').text).toBe('the security code is [cvv]');
    expect(redactPii('expiry oh nine twenty seven').text).toBe('expiry [expiry]');
  });

  it('keeps short numbers that come with no card and no card words', () => {
    const text = 'table for 123 people on 12/26, room 4411';
    expect(redactPii(text)).toEqual({ text, found: [] });
  });
});
