import { defaultAgent } from '@voiceroom/agent-core/agents';
import { describe, expect, it } from 'vitest';
import {
  bargeInStopMs,
  type CallRecord,
  fieldAccuracy,
  itemsF1,
  parseAcknowledged,
  parseChecked,
  parseReadBack,
  summarize,
  taskSucceeded,
  utteranceTiming,
} from '../../../bench/robustness/score.ts';

const { menu } = defaultAgent();
const pepperoni = { name: 'pepperoni pizza', size: 'large', quantity: 2 };
const coke = { name: 'coke', size: null, quantity: 1 };
const wings = { name: 'chicken wings', size: null, quantity: 1 };

function record(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    index: 0,
    voice: 'flite:slt',
    noise: 'clean',
    wpm: 160,
    outcome: 'placed',
    intended: {
      items: [pepperoni, coke],
      name: 'Sarah Miller',
      address: '17 Oak Street',
      phone: '4155550142',
    },
    phoneSaid: true,
    confirmed: [pepperoni, coke],
    extracted: {
      items: [pepperoni, coke],
      name: 'Sarah Miller',
      address: '17 Oak St.',
      phone: '(415) 555-0142',
    },
    cutOffs: 0,
    utterances: 5,
    voiceToVoiceMs: [300, 400],
    transcript: [],
    ...overrides,
  };
}

describe('robustness scoring', () => {
  it('reads the order back from the agent read-back, and nothing from other replies', () => {
    const text =
      'Let me read that back: two large pepperoni pizzas, an order of chicken wings and a coke for Sarah Miller, delivered to 17 Oak Street. Your total is forty dollars. Shall I place the order?';
    expect(parseReadBack(text, menu)).toEqual([pepperoni, wings, coke]);
    expect(parseReadBack('Let me read that back: a coke. Your total is two dollars fifty.', menu)).toEqual([
      coke,
    ]);
    expect(parseReadBack('Two cokes, got it. Anything else?', menu)).toBeUndefined();
  });

  it('reads the lines an agent acknowledged taking, and none from other replies', () => {
    const reply = 'Sorry, I missed that. Two cokes and a large pepperoni pizza, got it. Anything else?';
    expect(parseAcknowledged(reply, menu)).toEqual([
      { name: 'coke', size: null, quantity: 2 },
      { name: 'pepperoni pizza', size: 'large', quantity: 1 },
    ]);
    expect(parseAcknowledged("Thanks, Maria. What's the delivery address?", menu)).toEqual([]);
  });

  it("reads the lines an agent's check asks about, and none from a check of other things", () => {
    expect(parseChecked('Did you say two cokes and a large pepperoni pizza?', menu)).toEqual([
      { name: 'coke', size: null, quantity: 2 },
      { name: 'pepperoni pizza', size: 'large', quantity: 1 },
    ]);
    expect(parseChecked('Did you say Sarah Miller?', menu)).toBeUndefined();
    expect(parseChecked('Anything else?', menu)).toBeUndefined();
  });

  it('counts items F1 in units: a wrong quantity or size is part miss, part extra', () => {
    expect(itemsF1([pepperoni, coke], [coke, pepperoni])).toBe(1);
    expect(itemsF1([pepperoni, coke], [])).toBe(0);
    // intended 3 units, got 1 pepperoni + coke: matched 2 of 2 got, 2 of 3 wanted
    expect(itemsF1([pepperoni, coke], [{ ...pepperoni, quantity: 1 }, coke])).toBeCloseTo(0.8);
    expect(itemsF1([pepperoni], [{ ...pepperoni, size: 'small' }])).toBe(0);
  });

  it('calls a task a success only when placed with the read-back equal to the intended order', () => {
    expect(taskSucceeded(record())).toBe(true);
    expect(taskSucceeded(record({ outcome: 'loop' }))).toBe(false);
    expect(taskSucceeded(record({ confirmed: [{ ...pepperoni, quantity: 1 }, coke] }))).toBe(false);
    expect(taskSucceeded(record({ confirmed: null }))).toBe(false);
  });

  it('scores name, address and phone after normalising case, punctuation and street abbreviations', () => {
    expect(fieldAccuracy(record())).toBe(1);
    const misheard = record({
      extracted: { items: [], name: 'emily live', address: '17 Oak Street', phone: null },
    });
    expect(fieldAccuracy(misheard)).toBeCloseTo(1 / 3);
    expect(fieldAccuracy({ ...misheard, phoneSaid: false })).toBe(0.5);
    expect(fieldAccuracy(record({ extracted: null }))).toBe(0);
  });

  it('sees a cut-off when agent packets arrive while the caller is still speaking', () => {
    const span = { startT: 1000, endT: 3000 };
    expect(utteranceTiming(span, [900, 1100, 3350, 3370])).toEqual({ cutOff: false, voiceToVoiceMs: 350 });
    expect(utteranceTiming(span, [2000, 2020, 3400])).toEqual({ cutOff: true });
  });

  it('measures barge-in stop time up to the first gap in the agent packets', () => {
    const packets = [900, 920, 1000, 1020, 1040, 1060, 1500, 1520];
    expect(bargeInStopMs(990, packets)).toBe(70);
    expect(bargeInStopMs(2000, packets)).toBe(0);
  });

  it('summarizes totals and per voice and noise condition', () => {
    const calls = [
      record(),
      record({
        index: 1,
        voice: 'espeak-ng:en-gb',
        noise: 'pink_15db',
        outcome: 'loop',
        cutOffs: 1,
        backchannel: { stopped: true },
      }),
      record({ index: 2, bargeInStopMs: 150, backchannel: { stopped: false } }),
    ];
    const s = summarize(calls);
    expect(s.calls).toBe(3);
    expect(s.task_success).toBeCloseTo(2 / 3, 3);
    expect(s.false_cutoff_rate).toBeCloseTo(1 / 15, 3);
    expect(s.backchannel_false_stop_rate).toBe(0.5);
    expect(s.barge_in_stop_ms.p50).toBe(150);
    expect(s.v2v_ms).toMatchObject({ p50: 300, p95: 400 });
    expect(Object.keys(s.by_voice).sort()).toEqual(['espeak-ng:en-gb', 'flite:slt']);
    expect(s.by_snr.pink_15db?.task_success).toBe(0);
    expect(s.per_call).toHaveLength(3);
  });
});
