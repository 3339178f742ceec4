import { describe, expect, it } from 'vitest';
import { namedDetail } from '../../src/nlu/namedDetail.ts';

const words = (text: string) => text.split(' ');

describe('namedDetail', () => {
  it('is the detail the caller says they give, the last one named', () => {
    expect(namedDetail(words('no the number is six one seven'))).toBe('phone');
    expect(namedDetail(words('my name is sarah and the address is twelve oak street'))).toBe('address');
    expect(namedDetail(words('no make that two cokes'))).toBeUndefined();
  });

  it('is no phone number in "the number of" something, a count', () => {
    expect(namedDetail(words('no the number of cokes is three'))).toBeUndefined();
    expect(namedDetail(words('no the number of cokes is three and my number is six one seven'))).toBe(
      'phone',
    );
  });
});
