import { describe, expect, it } from 'vitest';
import { RulesExtractor } from '../../src/extraction/rules/index.ts';
import type { TranscriptLine } from '../../src/extraction/schema.ts';

const agent = (text: string): TranscriptLine => ({ speaker: 'agent', text });
const customer = (text: string): TranscriptLine => ({ speaker: 'customer', text });

const CHECK = 'Did you say six caesar salads?';

/**
 * A call in which the agent checks the caller's second order turn, and the caller's `answers` to the check: a second
 * one to the same check asked again ("Sorry, was that a yes? Did you say ...?").
 */
async function itemsAfterCheck(answer: string | [string, string], check = CHECK) {
  const [first, second] = typeof answer === 'string' ? [answer] : answer;
  const again = second === undefined ? [] : [agent(`Sorry, was that a yes? ${check}`), customer(second)];
  const result = await new RulesExtractor().extract(
    [
      agent('Hi, what can I get you?'),
      customer('a large pepperoni pizza'),
      agent('Anything else?'),
      customer('six caesar salads'),
      agent(check),
      customer(first),
      ...again,
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

  it('keeps a checked change asked again after an agreement and then said yes to', async () => {
    expect(await itemsAfterCheck(['sure', 'yes'])).toEqual(['1 pepperoni pizza', '6 caesar salad']);
  });

  it('drops a checked change asked again and then said no to, even after an unsure yes', async () => {
    expect(await itemsAfterCheck(['yeah', 'no'])).toEqual(['1 pepperoni pizza']);
  });

  it('drops a checked change only agreed to twice', async () => {
    expect(await itemsAfterCheck(['go ahead', 'go ahead'])).toEqual(['1 pepperoni pizza']);
  });

  it('leaves the order alone when the check names no item (a name check)', async () => {
    expect(await itemsAfterCheck('no', 'Did you say Sarah Miller?')).toEqual([
      '1 pepperoni pizza',
      '6 caesar salad',
    ]);
  });
});
