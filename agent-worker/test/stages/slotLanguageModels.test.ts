import { readFileSync } from 'node:fs';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { editDistance } from '@voiceroom/agent-core/nlu';
import type { SttEvent, SttExpectation } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { censusNames } from '../../src/stages/stt/lm/censusNames.ts';
import { FIRST_NAMES, LAST_NAMES } from '../../src/stages/stt/lm/corpusWords.ts';
import { buildSlotCorpora } from '../../src/stages/stt/lm/slotCorpus.ts';
import { DecoderPool } from '../../src/stages/stt/pocketsphinx/DecoderPool.ts';
import { loadPocketSphinx } from '../../src/stages/stt/pocketsphinx/native.ts';
import { PocketSphinxStream } from '../../src/stages/stt/pocketsphinx/PocketSphinxStream.ts';
import {
  DEFAULT_POCKETSPHINX_MODEL,
  PocketSphinxStt,
} from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { concat, silence, synthesizeSpeech, type TestVoice } from './fixtures/speech.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);

/** Common names the base domain corpus does not have (its own short list), each said by another voice. */
const CALLERS: { name: string; voice: TestVoice; variant: string }[] = [
  { name: 'brenda fischer', voice: 'flite', variant: 'kal16' },
  { name: 'gloria palmer', voice: 'flite', variant: 'slt' },
  { name: 'wayne hoffman', voice: 'flite', variant: 'rms' },
  { name: 'doris fletcher', voice: 'espeak-ng', variant: 'en-us' },
  { name: 'harold bishop', voice: 'espeak-ng', variant: 'en-us+f3' },
  { name: 'carol jenkins', voice: 'flite', variant: 'awb' },
  { name: 'dennis howard', voice: 'espeak-ng', variant: 'en-gb' },
  { name: 'janet russell', voice: 'flite', variant: 'slt' },
];

describe('slot corpora', () => {
  it('name answers cover common census names beyond the base corpus, and spelled names', () => {
    const names = new Set(buildSlotCorpora(pizzeria).name.map((s) => s.join(' ')));
    for (const { name } of CALLERS) {
      const [first, last] = name.split(' ') as [string, string];
      expect(FIRST_NAMES).not.toContain(first);
      expect(LAST_NAMES).not.toContain(last);
      expect(names).toContain(`my name is ${first}`);
      expect(names).toContain(`my last name is ${last}`);
    }
    expect(names).toContain('s a r a h');
  });

  it('reads the census list most frequent first', () => {
    const census = censusNames();
    expect(census.first.slice(0, 2)).toEqual(['james', 'mary']);
    expect(census.last[0]).toBe('smith');
    expect(census.first.length).toBeGreaterThan(900);
    expect(census.last.length).toBe(1000);
  });
});

describe('recognition that follows the dialog (pocketsphinx)', () => {
  let stt: PocketSphinxStt;
  beforeAll(async () => {
    stt = await PocketSphinxStt.create({ domain: pizzeria });
  }, 180_000);
  afterAll(() => stt?.close());

  /** Decodes `pcm` as a stream's second utterance (the first adapts normalisation), expecting `slot`. */
  async function recognise(pcm: Int16Array, slot: SttExpectation): Promise<string> {
    const stream = stt.createStream();
    const events = stream[Symbol.asyncIterator]();
    const nextFinal = async (): Promise<string> => {
      for (let r = await events.next(); !r.done; r = await events.next()) {
        const event: SttEvent = r.value;
        if (event.type === 'final') return event.text;
      }
      return '';
    };
    stream.expect?.('order');
    stream.pushAudio(await synthesizeSpeech('a large pepperoni pizza', 'flite'));
    stream.endUtterance();
    await nextFinal();
    stream.expect?.(slot);
    stream.pushAudio(pcm);
    stream.endUtterance();
    const text = await nextFinal();
    stream.close();
    return text;
  }

  it('declares that it follows the dialog and has a model per slot', () => {
    expect(stt.followsDialog).toBe(true);
    expect(Object.keys(stt.model.slotModels).sort()).toEqual(
      ['address', 'name', 'order', 'phone', 'size', 'yesno'].sort(),
    );
  });

  it('a slot model that fails to load leaves its slot on the domain model instead of breaking recognition', async () => {
    const errors: Error[] = [];
    const decoders = new DecoderPool({
      lib: loadPocketSphinx(),
      decoderArgs: {
        '-hmm': `${DEFAULT_POCKETSPHINX_MODEL}/en-us`,
        '-lm': stt.model.languageModel,
        '-dict': stt.model.dictionary,
        '-logfn': '/dev/null',
      },
      maxIdle: 0,
    });
    const stream = new PocketSphinxStream({
      decoders,
      partialIntervalMs: 250,
      coldStartSecondPass: false,
      slotModels: { name: '/nonexistent/slot-name.arpa', order: stt.model.slotModels.order as string },
      onError: (error) => errors.push(error),
    });
    const events = stream[Symbol.asyncIterator]();
    stream.expect('name');
    stream.pushAudio(await synthesizeSpeech('a large pepperoni pizza', 'flite'));
    stream.endUtterance();
    let text = '';
    for (let r = await events.next(); !r.done; r = await events.next()) {
      if (r.value.type === 'final') {
        text = r.value.text;
        break;
      }
    }
    stream.close();
    expect(text).toContain('pepperoni');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('slot-name.arpa');
  });

  it('hears a name the order model alone misses while the agent waits for a name', async () => {
    const heard: { name: string; asName: string; asOrder: string }[] = [];
    for (const { name, voice, variant } of CALLERS) {
      const pcm = concat(
        silence(200),
        await synthesizeSpeech(`my name is ${name}`, voice, variant),
        silence(200),
      );
      heard.push({ name, asName: await recognise(pcm, 'name'), asOrder: await recognise(pcm, 'order') });
    }
    // Heard: every part of the name came out, at worst as a homophone ("carroll" for carol) or one letter off
    // ("fisher" for fischer): what the caller is then asked to spell or confirm.
    const sounds = pronunciations(readFileSync(stt.model.dictionary, 'utf8'));
    const same = (heard: string, word: string) =>
      editDistance(heard, word, 1) <= 1 ||
      (sounds.get(heard) ?? []).some((p) => (sounds.get(word) ?? []).includes(p));
    const heardWords = (pick: (h: (typeof heard)[number]) => string) =>
      heard.flatMap((h) =>
        h.name.split(' ').filter((w) =>
          pick(h)
            .split(' ')
            .some((x) => same(x, w)),
        ),
      );
    const whole = (pick: (h: (typeof heard)[number]) => string) =>
      heard.filter((h) =>
        h.name.split(' ').every((w) =>
          pick(h)
            .split(' ')
            .some((x) => same(x, w)),
        ),
      );
    const nameWords = CALLERS.length * 2;
    const report = JSON.stringify(heard);
    // Most first and last names come through with the name model; the order model has no such words at all.
    expect(heardWords((h) => h.asName).length, report).toBeGreaterThan(nameWords / 2);
    expect(heardWords((h) => h.asOrder).length, report).toBeLessThan(nameWords / 8);
    expect(whole((h) => h.asName).length, report).toBeGreaterThan(whole((h) => h.asOrder).length);
  }, 240_000);
});

function pronunciations(dictionary: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of dictionary.split('\n')) {
    const [word, ...phones] = line.split(' ');
    if (!word || phones.length === 0) continue;
    const key = word.replace(/\(\d+\)$/, '');
    map.set(key, [...(map.get(key) ?? []), phones.join(' ')]);
  }
  return map;
}
