import { describe, expect, it } from 'vitest';
import { RulesExtractor } from '../../src/extraction/rules/index.ts';
import type { TranscriptLine } from '../../src/extraction/schema.ts';

const agent = (text: string): TranscriptLine => ({ speaker: 'agent', text });
const customer = (text: string): TranscriptLine => ({ speaker: 'customer', text });

/** A call in which the agent checks the caller's second order turn, and the caller's `answer` to the check. */
async function itemsAfterCheck(answer: string, check = 'Did you say six caesar salads?') {
  const result = await new RulesExtractor().extract(
    [
      agent('Hi, what can I get you?'),
      customer('a large pepperoni pizza'),
      agent('Anything else?'),
      customer('six caesar salads'),
      agent(check),
      customer(answer),
      agent('Anything else?'),
    ],
    new AbortController().signal,
  );
  return result.items.map((i) => `${i.quantity} ${i.name}`);
}

describe('CheckedChanges (through RulesExtractor)', () => {
  it('drops a change the agent checked and the caller said no to', async () => {
    expect(await itemsAfterCheck('no')).toEqual(['1 pepperoni pizza']);
  });

  it('drops a checked change on an answer that is no clear yes, as the dialog does', async () => {
    expect(await itemsAfterCheck('um what')).toEqual(['1 pepperoni pizza']);
  });

  it('drops a checked change the caller only agreed to ("go ahead" is no yes to "Did you say ...?")', async () => {
    expect(await itemsAfterCheck('go ahead')).toEqual(['1 pepperoni pizza']);
  });

  it('keeps a checked change the caller said yes to', async () => {
    expect(await itemsAfterCheck('yes')).toEqual(['1 pepperoni pizza', '6 caesar salad']);
  });

  it("applies the caller's own change after turning the check down", async () => {
    expect(await itemsAfterCheck('no, two cokes')).toEqual(['1 pepperoni pizza', '2 coke']);
  });

  it('leaves the order alone when the check names no item (a name check)', async () => {
    expect(await itemsAfterCheck('no', 'Did you say Sarah Miller?')).toEqual([
      '1 pepperoni pizza',
      '6 caesar salad',
    ]);
  });
});
