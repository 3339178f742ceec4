import { describe, expect, it } from 'vitest';
import { withDialablePhone } from '../../src/extraction/dialablePhone.ts';
import { PIZZA_RESULT } from './seed.ts';

describe("the customer's phone as an extraction result may be stored", () => {
  const withPhone = (phone: string | null, notes: string | null = null) =>
    withDialablePhone({ ...PIZZA_RESULT, customer: { ...PIZZA_RESULT.customer, phone }, notes });

  it('keeps a dialable number, and no number', () => {
    expect(withPhone('212-555-0932').customer.phone).toBe('212-555-0932');
    expect(withPhone('1-303-555-2402').customer.phone).toBe('1-303-555-2402');
    expect(withPhone(null)).toMatchObject({ customer: { phone: null }, notes: null });
  });

  it('leaves out a whole number the numbering plan has not, and the notes say why without its digits', () => {
    for (const phone of ['021-805-5509', '125-550-0454', '1-081-559-0250', '212-155-0454']) {
      const result = withPhone(phone, 'extra cheese');
      expect(result.customer.phone, phone).toBeNull();
      expect(result.notes).toBe(
        'extra cheese; phone not a North American number (area code or exchange starting 0 or 1), left out',
      );
    }
  });

  it('leaves out a number heard in part, saying how many digits were heard', () => {
    expect(withPhone('512-34567')).toMatchObject({
      customer: { phone: null },
      notes: 'phone heard in part (8 digits), left out',
    });
  });
});
