import { defaultAgent } from '@voiceroom/agent-core/agents';
import { Nlu } from '@voiceroom/agent-core/nlu';
import { describe, expect, it } from 'vitest';
import { houseNumberDoubt } from '../../../bench/slots/houseNumberDoubt.ts';

const nlu = new Nlu({ menu: defaultAgent().menu.items });
const address = (expected: string, heard: string, ...alternatives: string[]) => ({
  slot: 'address',
  expected,
  heard,
  alternatives,
  confidence: 0.9,
});

describe("bench:slots' house number check", () => {
  it('counts the addresses the dialog would check apart for right ones, wrong numbers and wrong streets', () => {
    const counts = houseNumberDoubt(nlu, [
      address('4622 harbor road', "it's four thousand six hundred twenty two harbor road"),
      address(
        '4622 harbor road',
        "it's four thousand eight hundred twenty two harbor road",
        "it's four thousand six hundred twenty two harbor road",
      ),
      address('4622 harbor road', "it's four thousand six hundred twenty two parker road"),
      { slot: 'phone', expected: '6175551234', heard: 'six one seven', alternatives: [], confidence: 0 },
    ]);
    expect(counts).toEqual({
      addresses: 3,
      right: 1,
      right_checked: 0,
      number_wrong: 1,
      number_wrong_checked: 1,
      street_wrong: 1,
      street_wrong_checked: 0,
    });
  });

  it('checks a number the n-best agree on when the confidence is below the threshold', () => {
    const unsure = {
      ...address('4622 harbor road', "it's forty eight twenty two harbor road"),
      confidence: 0.05,
    };
    expect(houseNumberDoubt(nlu, [unsure], 0.1).number_wrong_checked).toBe(1);
    expect(houseNumberDoubt(nlu, [unsure], 0.05).number_wrong_checked).toBe(0);
  });
});
