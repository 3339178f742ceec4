import type { ExtractionResult, TranscriptLine } from '../../server/src/extraction/schema.ts';

/** One pizza order as a transcript and the extraction it should give: shared by tests and bench:calls. */
export const PIZZA_CALL: TranscriptLine[] = [
  { speaker: 'agent', text: "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?" },
  { speaker: 'customer', text: 'Two large pepperoni pizzas and a coke please.' },
  { speaker: 'agent', text: 'Sure. Can I have your name and address?' },
  { speaker: 'customer', text: 'Anna Rossi, 12 Oak Street.' },
];

export const PIZZA_RESULT: ExtractionResult = {
  customer: { name: 'Anna Rossi', address: '12 Oak Street', phone: null, email: null },
  items: [
    { name: 'pepperoni pizza', size: 'large', quantity: 2, unit_price: 15.5 },
    { name: 'coke', size: null, quantity: 1, unit_price: 2.5 },
  ],
  currency: 'USD',
  confidence: 0.92,
  notes: null,
};
