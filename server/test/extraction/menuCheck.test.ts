import { defaultAgent } from '@voiceroom/agent-core/agents';
import { describe, expect, it } from 'vitest';
import { checkAgainstMenu } from '../../src/extraction/menuCheck.ts';
import type { ExtractionResult } from '../../src/extraction/schema.ts';

const menu = defaultAgent().menu;
const base: ExtractionResult = {
  customer: { name: 'Anna', address: null, phone: null, email: null },
  items: [],
  currency: null,
  confidence: 0.9,
  notes: null,
};

describe('checkAgainstMenu', () => {
  it('takes prices and names from the menu, so a transcript cannot make pizzas free', () => {
    const checked = checkAgainstMenu(
      {
        ...base,
        items: [
          { name: 'Pepperoni', size: 'Large', quantity: 2, unit_price: 0 },
          { name: 'cokes', size: null, quantity: 1, unit_price: null },
        ],
      },
      menu,
    );
    expect(checked.items).toEqual([
      { name: 'pepperoni pizza', size: 'Large', quantity: 2, unit_price: 15.5 },
      { name: 'coke', size: null, quantity: 1, unit_price: 2.5 },
    ]);
    expect(checked.currency).toBe('USD');
    expect(checked.confidence).toBe(0.9);
    expect(checked.notes).toMatch(/price 0 replaced by the menu price 15.5/);
  });

  it('keeps items that are not on the menu but lowers the confidence and says why', () => {
    const checked = checkAgainstMenu(
      {
        ...base,
        items: [
          { name: 'margherita', size: 'small', quantity: 1, unit_price: 8.5 },
          { name: 'free car', size: null, quantity: 1, unit_price: 0 },
        ],
      },
      menu,
    );
    expect(checked.items[1]).toEqual({ name: 'free car', size: null, quantity: 1, unit_price: 0 });
    expect(checked.confidence).toBeCloseTo(0.675, 3);
    expect(checked.notes).toBe('"free car" is not on the menu');
  });

  it('leaves a sized item without a known size unpriced rather than guessing', () => {
    const checked = checkAgainstMenu(
      { ...base, items: [{ name: 'veggie pizza', size: null, quantity: 1, unit_price: 99 }] },
      menu,
    );
    expect(checked.items[0]?.unit_price).toBeNull();
    expect(checked.notes).toBe('veggie pizza: no size given, price dropped');
  });
});
