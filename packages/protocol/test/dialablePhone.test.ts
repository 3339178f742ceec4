import { describe, expect, it } from 'vitest';
import { fitsNumberingPlan, isDialablePhoneNumber, isWholePhoneNumber } from '../src/index.ts';

describe('a dialable North American phone number', () => {
  it('is a whole number whose area code and exchange start 2-9, with or without the country code', () => {
    for (const digits of ['2125550932', '5552345678', '12125550454', '9999999999'])
      expect(isDialablePhoneNumber(digits), digits).toBe(true);
  });

  it('is not one whose area code or exchange starts with 0 or 1, though it is whole', () => {
    for (const digits of [
      '0218055509',
      '1255500454',
      '1812555203',
      '10815590250',
      '5551234567',
      '2120555932',
    ]) {
      expect(isWholePhoneNumber(digits), digits).toBe(true);
      expect(isDialablePhoneNumber(digits), digits).toBe(false);
    }
  });

  it('is not one heard in part or too long', () => {
    for (const digits of ['555234567', '25552345678', '212555093211', ''])
      expect(isDialablePhoneNumber(digits), digits).toBe(false);
  });

  it('judges a group of a number by where it sits: area code at 0, exchange at 3, the last four free', () => {
    expect(fitsNumberingPlan('212', 0)).toBe(true);
    expect(fitsNumberingPlan('021', 0)).toBe(false);
    expect(fitsNumberingPlan('555', 3)).toBe(true);
    expect(fitsNumberingPlan('155', 3)).toBe(false);
    expect(fitsNumberingPlan('212155', 0)).toBe(false);
    expect(fitsNumberingPlan('0932', 6)).toBe(true);
  });
});
