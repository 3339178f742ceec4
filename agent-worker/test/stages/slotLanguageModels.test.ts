import { readFileSync } from 'node:fs';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { censusNames, editDistance, Nlu } from '@voiceroom/agent-core/nlu';
import type { SttEvent, SttExpectation } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_NAMES, LAST_NAMES } from '../../src/stages/stt/lm/corpusWords.ts';
import { OVER_AGENT_PHRASES } from '../../src/stages/stt/lm/overAgentPhrases.ts';
import { PHONE_CLOSINGS, PHONE_LEAD_INS } from '../../src/stages/stt/lm/phonePhrases.ts';
import { buildSlotCorpora, HESITATIONS } from '../../src/stages/stt/lm/slotCorpus.ts';
import { DecoderPool } from '../../src/stages/stt/pocketsphinx/DecoderPool.ts';
import { loadPocketSphinx } from '../../src/stages/stt/pocketsphinx/native.ts';
import { PocketSphinxStream } from '../../src/stages/stt/pocketsphinx/PocketSphinxStream.ts';
import {
  DEFAULT_POCKETSPHINX_MODEL,
  PocketSphinxStt,
} from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { concat, silence, synthesizeSpeech, type TestVoice } from './fixtures/speech.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);
const nlu = new Nlu({ menu: pizzeria.menu.items });

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

  it('name answers come whole, spelled with "double", and with the address (and phone) in the same breath', () => {
    const names = buildSlotCorpora(pizzeria).name.map((s) => s.join(' '));
    expect(names.filter((s) => /^my name is [a-z']+ [a-z']+$/.test(s)).length).toBeGreaterThan(1000);
    expect(names).toContain("it's l a double r y");
    const withAddress = names.filter((s) =>
      /^my name is \S+ \S+ and the address is .+ (street|avenue|road)/.test(s),
    );
    expect(withAddress.length).toBeGreaterThan(100);
    expect(withAddress.some((s) => s.includes('my phone number is'))).toBe(true);
  });

  it('every slot model hears hesitations, so that an "um" is not heard as a domain word', () => {
    for (const [slot, sentences] of Object.entries(buildSlotCorpora(pizzeria))) {
      const hesitant = sentences.filter((s) => HESITATIONS.includes(s[0] as (typeof HESITATIONS)[number]));
      expect(hesitant.length, slot).toBeGreaterThan(sentences.length / 8);
    }
  });

  it('every slot model hears a hesitation said alone, as a caller says "um" and pauses before answering', () => {
    for (const [slot, sentences] of Object.entries(buildSlotCorpora(pizzeria))) {
      const alone = sentences.filter(
        (s) => s.length === 1 && HESITATIONS.includes(s[0] as (typeof HESITATIONS)[number]),
      );
      expect(new Set(alone.map((s) => s[0])).size, slot).toBeGreaterThan(1);
      expect(alone.length, slot).toBeGreaterThan(sentences.length / 20);
    }
  });

  it('every slot model hears backchannels and stop requests as whole utterances, the agent speaking whatever it asked', () => {
    for (const [slot, sentences] of Object.entries(buildSlotCorpora(pizzeria))) {
      const said = sentences.map((s) => s.join(' '));
      for (const phrase of ['mm hmm', 'uh huh', 'okay', 'yeah', 'wait', 'stop', 'hold on'])
        expect(said.filter((s) => s === phrase).length, `${slot}: ${phrase}`).toBeGreaterThan(0);
      const overAgent = said.filter((s) => OVER_AGENT_PHRASES.includes(s)).length;
      expect(overAgent / said.length, slot).toBeGreaterThan(0.02);
    }
  });

  it('phone answers say every digit about as often as the others, zero as "oh" too, and "double five"', () => {
    const phone = buildSlotCorpora(pizzeria).phone.flat();
    const count = (w: string) => phone.filter((x) => x === w).length;
    const digits = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].map(count);
    const zero = count('zero') + count('oh');
    for (const n of [...digits, zero]) expect(n).toBeGreaterThan(Math.max(...digits) / 2);
    expect(count('oh')).toBeGreaterThan(0);
    expect(count('double')).toBeGreaterThan(0);
  });

  it('phone answers come after every lead-in callers say and now and then with a closing, a third bare', () => {
    const answers = buildSlotCorpora(pizzeria).phone.map((words) => words.join(' '));
    for (const leadIn of PHONE_LEAD_INS)
      expect(
        answers.some((a) => a.startsWith(`${leadIn} `)),
        leadIn,
      ).toBe(true);
    const closed = answers.filter((a) => PHONE_CLOSINGS.some((c) => a.endsWith(` ${c}`)));
    expect(closed.length).toBeGreaterThan(answers.length / 10);
    expect(
      answers.filter((a) => /^(zero|oh|one|two|three|four|five|six|seven|eight|nine|double) /.test(a)).length,
    ).toBeGreaterThan(answers.length / 5);
  });

  it('yes/no answers cover the many ways of saying yes and no', () => {
    const answers = new Set(buildSlotCorpora(pizzeria).yesno.map((s) => s.join(' ')));
    for (const a of [
      'yep',
      'correct',
      "that's it",
      "yes that's right",
      'sounds good',
      'nope',
      'not quite',
      'no',
    ])
      expect(answers).toContain(a);
  });

  it('yes/no answers outweigh the detail corrections said after a read-back, which name census names', () => {
    const said = buildSlotCorpora(pizzeria).yesno.map((s) => s.join(' '));
    const corrections = said.filter((s) =>
      /\b(name is|address is|number is|area code is|digits are)\b/.test(s),
    );
    const tokens = (list: string[]) => list.reduce((n, s) => n + s.split(' ').length, 0);
    expect(corrections.some((s) => /^no the name is \S+ \S+$/.test(s))).toBe(true);
    expect(corrections.some((s) => /the last four digits are( \S+){4}$/.test(s))).toBe(true);
    expect(corrections.some((s) => /the address is .+ (street|avenue|road|drive|lane)/.test(s))).toBe(true);
    const census = new Set(censusNames().first);
    const named = corrections.filter((s) => /name is/.test(s)).map((s) => s.split(' ').at(-2) as string);
    expect(named.filter((n) => census.has(n) && !FIRST_NAMES.includes(n)).length).toBeGreaterThan(50);
    expect(tokens(said) - tokens(corrections)).toBeGreaterThan(2 * tokens(corrections));
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

  it('hears a phone number said digit by digit that the order model garbles, while the agent waits for one', async () => {
    const numbers: { said: string; digits: string; voice: TestVoice; variant: string }[] = [
      { said: 'my number is 6 1 7, 5 5 5, 4 4 1 1', digits: '6175554411', voice: 'flite', variant: 'slt' },
      { said: 'my number is 3 0 3, 8 2 9, 7 1 6 4', digits: '3038297164', voice: 'flite', variant: 'rms' },
      {
        said: 'my number is 2 1 2, 9 4 7, 3 0 5 8',
        digits: '2129473058',
        voice: 'espeak-ng',
        variant: 'en-us',
      },
      { said: 'my number is 5 1 2, 6 6 3, 1 9 2 0', digits: '5126631920', voice: 'flite', variant: 'awb' },
      { said: '4 1 5, 2 7 7, 8 0 3 6', digits: '4152778036', voice: 'flite', variant: 'kal16' },
      { said: '8 0 8, 3 1 4, 5 9 2 7', digits: '8083145927', voice: 'espeak-ng', variant: 'en-gb' },
    ];
    const heard: { digits: string; asPhone: string; asOrder: string }[] = [];
    for (const { said, digits, voice, variant } of numbers) {
      const pcm = concat(silence(200), await synthesizeSpeech(said, voice, variant), silence(200));
      heard.push({
        digits,
        asPhone: digitsOf(await recognise(pcm, 'phone')),
        asOrder: digitsOf(await recognise(pcm, 'order')),
      });
    }
    const right = (pick: (h: (typeof heard)[number]) => string) =>
      heard.filter((h) => pick(h) === h.digits).length;
    const report = JSON.stringify(heard);
    expect(
      right((h) => h.asPhone),
      report,
    ).toBeGreaterThanOrEqual(2);
    expect(
      right((h) => h.asPhone),
      report,
    ).toBeGreaterThan(right((h) => h.asOrder));
  }, 240_000);

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

function digitsOf(text: string): string {
  return (nlu.understand(text, 'phone').phone ?? '').replace(/\D/g, '');
}

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
