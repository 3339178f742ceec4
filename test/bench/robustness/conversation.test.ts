import { defaultAgent } from '@voiceroom/agent-core/agents';
import { describe, expect, it } from 'vitest';
import { FIRST_NAMES, LAST_NAMES } from '../../../agent-worker/src/stages/stt/lm/corpusWords.ts';
import {
  ALL_NOISES,
  ALL_VOICES,
  type Conversation,
  finalOrder,
  generateConversation,
} from '../../../bench/robustness/conversation.ts';

const agent = defaultAgent();
const generate = (index: number, seed = 7) =>
  generateConversation({ menu: agent.menu, knowledge: agent.knowledge, seed }, index);
const set = (n: number, seed = 7): Conversation[] => Array.from({ length: n }, (_, i) => generate(i, seed));
const spoken = (c: Conversation) => c.moves.flatMap((m) => m.text.segments).join(' ');

describe('generated robustness conversations', () => {
  it('are the same for the same seed and differ for another seed', () => {
    expect(set(5)).toEqual(set(5));
    expect(set(5, 8).map(spoken)).not.toEqual(set(5).map(spoken));
  });

  it('order only what is on the menu, with a size exactly for the items that have sizes', () => {
    for (const c of set(60)) {
      for (const line of c.intended.items) {
        const item = agent.menu.items.find((i) => i.name === line.name);
        expect(item, line.name).toBeDefined();
        if (item?.sizes) expect(Object.keys(item.sizes)).toContain(line.size);
        else expect(line.size).toBeNull();
        expect(line.quantity).toBeGreaterThan(0);
      }
      expect(c.intended.items.length).toBeGreaterThan(0);
    }
  });

  it('carry the order the moves lead to: a correction changes a quantity, a removal drops the line', () => {
    const all = set(80);
    const corrected = all.find((c) => c.moves.some((m) => m.kind === 'quantity') && c.overlap !== 'barge');
    const removed = all.find((c) => c.moves.some((m) => m.kind === 'remove') && c.overlap !== 'barge');
    for (const c of [corrected, removed]) expect(c).toBeDefined();
    const q = corrected?.moves.find((m) => m.kind === 'quantity');
    if (q?.kind === 'quantity')
      expect(corrected?.intended.items.find((l) => l.name === q.name)?.quantity).toBe(q.quantity);
    const r = removed?.moves.find((m) => m.kind === 'remove');
    if (r?.kind === 'remove') expect(removed?.intended.items.map((l) => l.name)).not.toContain(r.name);
    for (const c of all.filter((x) => x.overlap !== 'barge'))
      expect(c.intended.items).toEqual(finalOrder(c.moves));
  });

  it('set a barge-in correction as the final quantity of the line it names', () => {
    const c = set(40).find((x) => x.overlap === 'barge');
    expect(c?.intended.items.find((l) => l.name === c.bargeIn.name)?.quantity).toBe(c?.bargeIn.quantity);
  });

  it('vary the phrasing: openers, hesitations, FAQ detours, swaps and mid-sentence pauses of 300-900 ms', () => {
    const all = set(80);
    const text = all.map(spoken).join(' | ');
    expect(text).toMatch(/\b(Hello|Hi|Okay|Great|Alright),?/);
    expect(text).toMatch(/\b(um|uh|hmm),/);
    expect(all.some((c) => c.moves.some((m) => m.kind === 'faq'))).toBe(true);
    expect(all.some((c) => c.moves.some((m) => m.kind === 'swap'))).toBe(true);
    const pauses = all.flatMap((c) => c.moves.flatMap((m) => m.text.pausesMs));
    expect(pauses.length).toBeGreaterThan(10);
    for (const p of pauses) expect(p).toBeGreaterThanOrEqual(300);
    for (const p of pauses) expect(p).toBeLessThanOrEqual(900);
    expect(new Set(all.map((c) => c.yes.segments.join(' '))).size).toBeGreaterThan(4);
    expect(all.some((c) => c.nameWithAddress) && all.some((c) => !c.nameWithAddress)).toBe(true);
  });

  it('use names partly outside the vocabulary of the agent language model corpus', () => {
    const known = new Set([...FIRST_NAMES, ...LAST_NAMES]);
    const names = set(40).map((c) => c.intended.name.toLowerCase().split(' '));
    const outside = names.filter((parts) => parts.some((p) => !known.has(p)));
    expect(outside.length).toBeGreaterThan(10);
    expect(outside.length).toBeLessThan(names.length);
  });

  it('go round every voice and noise condition, speaking at 130-190 wpm, with a numbered address and a 10-digit phone', () => {
    const all = set(ALL_VOICES.length * ALL_NOISES.length);
    expect(new Set(all.map((c) => c.voice.name)).size).toBe(ALL_VOICES.length);
    expect(new Set(all.map((c) => JSON.stringify(c.noise))).size).toBe(ALL_NOISES.length);
    expect(new Set(all.map((c) => `${c.voice.name} ${JSON.stringify(c.noise)}`)).size).toBe(all.length);
    for (const c of all) {
      expect(c.wpm).toBeGreaterThanOrEqual(130);
      expect(c.wpm).toBeLessThanOrEqual(190);
      expect(c.intended.address).toMatch(/^\d+ \w+ \w+$/);
      expect(c.intended.phone).toMatch(/^\d{10}$/);
    }
  });
});
