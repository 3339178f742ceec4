import { describe, expect, it } from 'vitest';
import { TranscriptRedactor } from '../../src/privacy/TranscriptRedactor.ts';

function caller(redactor: TranscriptRedactor, segmentId: string, text: string) {
  return redactor.push({ segmentId, speaker: 'customer', text });
}

describe('TranscriptRedactor', () => {
  it('redacts a card number dictated across four caller segments, rewriting the earlier ones', () => {
    const redactor = new TranscriptRedactor();
    expect(caller(redactor, 's1', 'my card is four one one one').segment.text).toBe(
      'my card is four one one one',
    );
    caller(redactor, 's2', 'one one one one');
    caller(redactor, 's3', 'one one one one');
    const last = caller(redactor, 's4', 'one one one one');
    expect(last.segment).toMatchObject({ text: '[card]', redacted: true });
    expect(last.earlier.map((s) => [s.segmentId, s.text])).toEqual([
      ['s1', 'my card is [card]'],
      ['s2', '[card]'],
      ['s3', '[card]'],
    ]);
    expect(last.earlier[0]?.original).toBe('my card is four one one one');
  });

  it('redacts a phone number split over caller segments with the agent speaking in between', () => {
    const redactor = new TranscriptRedactor();
    caller(redactor, 'c1', 'my number is 415 555');
    redactor.push({ segmentId: 'a1', speaker: 'agent', text: 'Go on.' });
    const rest = caller(redactor, 'c2', '1234 thanks');
    expect(rest.segment.text).toBe('[phone] thanks');
    expect(rest.earlier.map((s) => s.text)).toEqual(['my number is [phone]']);
  });

  it('redacts the expiry and CVV given in the segments after a card', () => {
    const redactor = new TranscriptRedactor();
    caller(redactor, 'c1', '4111 1111 1111 1111');
    expect(caller(redactor, 'c2', 'twelve twenty six').segment.text).toBe('[expiry]');
    expect(caller(redactor, 'c3', 'and one two three').segment.text).toBe('and [cvv]');
  });

  it('never un-redacts a segment once the window has moved past the segments that explained it', () => {
    const redactor = new TranscriptRedactor();
    caller(redactor, 'c1', 'four one one one');
    caller(redactor, 'c2', 'one one one one one one one one one one one one');
    for (let i = 0; i < 8; i++) {
      const { earlier } = caller(redactor, `x${i}`, 'a large pepperoni');
      expect(earlier).toEqual([]);
    }
  });

  it('leaves quantities in consecutive caller segments alone', () => {
    const redactor = new TranscriptRedactor();
    caller(redactor, 'c1', 'two large pizzas');
    const next = caller(redactor, 'c2', 'and three cokes');
    expect(next.segment).toMatchObject({ text: 'and three cokes', redacted: false });
    expect(next.earlier).toEqual([]);
  });
});
