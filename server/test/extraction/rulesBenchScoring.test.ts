import { describe, expect, it } from 'vitest';
import { normaliseAddress, normaliseName, normalisePhone, scoreCall } from '../../../bench/extraction.ts';
import type { ExtractionResult } from '../../src/extraction/schema.ts';

/** The extraction benchmark's metric (bench/extraction.ts): what counts as a correct field and a matched item. */
describe('extraction benchmark scoring', () => {
  it('compares fields after normalising case, punctuation, abbreviations and phone formatting', () => {
    expect(normaliseName("Kevin O'Brien")).toBe(normaliseName('kevin obrien'));
    expect(normaliseAddress('7 Elm St., Apartment 12')).toBe(normaliseAddress('7 elm street apt 12'));
    expect(normaliseAddress('7 Elm Street')).not.toBe(normaliseAddress('17 Elm Street'));
    expect(normalisePhone('1-555-640-2200')).toBe(normalisePhone('(555) 640 2200'));
    expect(normalisePhone(null)).toBeNull();
  });

  it('counts fields and (name, size, quantity) matches, and lists the misses', () => {
    const result: ExtractionResult = {
      customer: { name: 'John Smith', address: '42 Baker St', phone: null, email: null },
      items: [
        { name: 'pepperoni pizza', size: 'large', quantity: 2, unit_price: 15.5 },
        { name: 'coke', size: null, quantity: 2, unit_price: 2.5 },
      ],
      currency: 'USD',
      confidence: 0.9,
      notes: null,
    };
    const score = scoreCall(result, {
      customer: { name: 'John Smith', address: '42 Baker Street', phone: '555-201-3344' },
      items: [
        { name: 'pepperoni pizza', size: 'large', quantity: 2 },
        { name: 'coke', size: null, quantity: 1 },
      ],
    });
    expect(score).toMatchObject({
      fieldsCorrect: 2,
      fields: 3,
      itemsMatched: 1,
      itemsPredicted: 2,
      itemsExpected: 2,
    });
    expect(score.misses).toEqual([
      'phone: got null, want "555-201-3344"',
      'extra item coke||2',
      'missing item coke||1',
    ]);
  });

  it('scores the fields the caller gave apart from those left empty, so returning nothing is not right', () => {
    const empty: ExtractionResult = {
      customer: { name: null, address: null, phone: null, email: null },
      items: [],
      currency: 'USD',
      confidence: 0,
      notes: null,
    };
    const score = scoreCall(empty, {
      customer: { name: 'Marta Nowak', address: null, phone: '555-670-1212' },
      items: [],
    });
    expect(score).toMatchObject({
      fieldsCorrect: 1,
      present: 2,
      presentCorrect: 0,
      nulls: 1,
      nullsCorrect: 1,
    });
  });
});
