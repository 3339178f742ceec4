import { readFile } from 'node:fs/promises';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { Nlu } from '@voiceroom/agent-core/nlu';
import type { SttEvent, SttExpectation, SttStream } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecoderPool } from '../../src/stages/stt/pocketsphinx/DecoderPool.ts';
import { loadPocketSphinx } from '../../src/stages/stt/pocketsphinx/native.ts';
import { PocketSphinxStream } from '../../src/stages/stt/pocketsphinx/PocketSphinxStream.ts';
import {
  DEFAULT_POCKETSPHINX_MODEL,
  PocketSphinxStt,
} from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { concat, silence, synthesizeSpeech, type TestVoice } from './fixtures/speech.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);
const nlu = new Nlu({ menu: pizzeria.menu.items, knowledge: pizzeria.knowledge });

type Final = Extract<SttEvent, { type: 'final' }>;

/** Decodes each answer as one call would (one stream, the first utterance adapting normalisation), expecting `slot`. */
async function recogniseAll(
  stream: SttStream,
  slot: SttExpectation,
  answers: Int16Array[],
): Promise<Final[]> {
  const events = stream[Symbol.asyncIterator]();
  const nextFinal = async (): Promise<Final> => {
    for (let r = await events.next(); !r.done; r = await events.next())
      if (r.value.type === 'final') return r.value;
    throw new Error('no final');
  };
  stream.expect?.('order');
  stream.pushAudio(await synthesizeSpeech('a large pepperoni pizza', 'flite'));
  stream.endUtterance();
  await nextFinal();
  const finals: Final[] = [];
  for (const pcm of answers) {
    stream.expect?.(slot);
    for (let i = 0; i < pcm.length; i += 320) stream.pushAudio(pcm.subarray(i, i + 320));
    stream.endUtterance();
    finals.push(await nextFinal());
  }
  stream.close();
  return finals;
}

const digitsOf = (text: string) => (nlu.understand(text, 'phone').phone ?? '').replace(/\D/g, '');

describe('structured answers heard with a grammar beside the slot model (pocketsphinx)', () => {
  let stt: PocketSphinxStt;
  beforeAll(async () => {
    stt = await PocketSphinxStt.create({ domain: pizzeria });
  }, 180_000);
  afterAll(() => stt?.close());

  /** A stream on the same models without the grammar decoder: the slot model alone. */
  function slotModelOnly(): SttStream {
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
    return new PocketSphinxStream({
      decoders,
      partialIntervalMs: 250,
      coldStartSecondPass: false,
      slotModels: stt.model.slotModels,
      nbest: 5,
      onError: (error) => {
        throw error;
      },
    });
  }

  it('hears phone numbers digit for digit where the slot model alone drops, adds or mishears digits', async () => {
    const numbers: { said: string; digits: string; voice: TestVoice; variant: string }[] = [
      { said: 'my number is 6 1 7, 5 5 5, 4 4 1 1', digits: '6175554411', voice: 'flite', variant: 'slt' },
      { said: '3 0 3, 8 2 9, 7 1 6 4', digits: '3038297164', voice: 'flite', variant: 'rms' },
      { said: "it's 2 0 6, 9 3 1, 0 8 5 2", digits: '2069310852', voice: 'espeak-ng', variant: 'en-us' },
      { said: 'sure, 4 1 5, 7 7 3, 2 9 0 1', digits: '4157732901', voice: 'flite', variant: 'awb' },
      { said: '8 5 8, 2 4 6, 3 3 9 7', digits: '8582463397', voice: 'espeak-ng', variant: 'en-gb' },
      {
        said: 'my phone number is 9 1 2, 6 0 4, 5 8 8 3',
        digits: '9126045883',
        voice: 'flite',
        variant: 'kal16',
      },
    ];
    let exactWithGrammar = 0;
    let exactAlone = 0;
    for (const n of numbers) {
      const pcm = concat(silence(200), await synthesizeSpeech(n.said, n.voice, n.variant), silence(300));
      const [withGrammar] = await recogniseAll(stt.createStream(), 'phone', [pcm]);
      const [alone] = await recogniseAll(slotModelOnly(), 'phone', [pcm]);
      if (digitsOf(withGrammar?.text ?? '') === n.digits) exactWithGrammar++;
      if (digitsOf(alone?.text ?? '') === n.digits) exactAlone++;
      // what the slot model heard stays available to the NLU
      if (alone?.text && withGrammar?.text !== alone.text)
        expect(withGrammar?.alternatives?.length).toBeGreaterThan(0);
    }
    expect(exactWithGrammar).toBeGreaterThanOrEqual(4);
    expect(exactWithGrammar).toBeGreaterThan(exactAlone);
  }, 180_000);

  it('hears a number said in groups with pauses, one utterance per group, as the number', async () => {
    const numbers: { groups: string[]; digits: string; voice: TestVoice; variant: string }[] = [
      {
        groups: ['my number is 6 1 7', '5 5 5', '4 4 1 1'],
        digits: '6175554411',
        voice: 'flite',
        variant: 'slt',
      },
      { groups: ['3 0 3', '8 2 9', '7 1 6 4'], digits: '3038297164', voice: 'flite', variant: 'rms' },
      {
        groups: ["it's 2 0 6", '9 3 1', '0 8 5 2'],
        digits: '2069310852',
        voice: 'espeak-ng',
        variant: 'en-us',
      },
      { groups: ['4 1 5', '7 7 3', '2 9 0 1'], digits: '4157732901', voice: 'flite', variant: 'awb' },
    ];
    let exact = 0;
    for (const n of numbers) {
      const audio = await Promise.all(
        n.groups.map(async (group) =>
          concat(silence(200), await synthesizeSpeech(group, n.voice, n.variant), silence(300)),
        ),
      );
      const finals = await recogniseAll(stt.createStream(), 'phone', audio);
      // the turn's finals joined, as the pipeline hands them to the dialog
      if (digitsOf(finals.map((f) => f.text).join(', ')) === n.digits) exact++;
    }
    expect(exact).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it('hears a house number whole where the address model alone lets a number word slip', async () => {
    const addresses: { said: string; voice: TestVoice; variant: string }[] = [
      { said: "it's 4618 Walnut Avenue", voice: 'flite', variant: 'slt' },
      { said: '2175 Maple Street', voice: 'flite', variant: 'rms' },
      { said: "it's 3906 Sycamore Lane", voice: 'espeak-ng', variant: 'en-us' },
      { said: '1517 Highland Road', voice: 'flite', variant: 'awb' },
      { said: "it's 1342 Jefferson Court", voice: 'espeak-ng', variant: 'en-gb' },
      { said: '2890 Hillside Drive', voice: 'flite', variant: 'kal16' },
    ];
    // the same recogniser without the address grammar: the address model's reading alone
    const withoutAddressGrammar = await PocketSphinxStt.create({ domain: pizzeria, grammarSlots: ['phone'] });
    const addressOf = (text: string) => nlu.understand(text, 'address').address;
    let rightWithGrammar = 0;
    let rightAlone = 0;
    for (const a of addresses) {
      const meant = a.said.replace("it's ", '');
      const pcm = concat(silence(200), await synthesizeSpeech(a.said, a.voice, a.variant), silence(300));
      const [withGrammar] = await recogniseAll(stt.createStream(), 'address', [pcm]);
      const [alone] = await recogniseAll(withoutAddressGrammar.createStream(), 'address', [pcm]);
      if (addressOf(withGrammar?.text ?? '') === meant) rightWithGrammar++;
      if (addressOf(alone?.text ?? '') === meant) rightAlone++;
    }
    withoutAddressGrammar.close();
    expect(rightWithGrammar).toBeGreaterThan(rightAlone);
  }, 180_000);

  it('hears a house number said alone, digit by digit, as that number and no street made up after it', async () => {
    const said = [
      { text: 'two seven one seven', voice: 'flite', variant: 'slt' },
      { text: "it's four six two two", voice: 'espeak-ng', variant: 'en-us' },
    ] as const;
    const audio = await Promise.all(
      said.map(async (a) =>
        concat(silence(200), await synthesizeSpeech(a.text, a.voice, a.variant), silence(300)),
      ),
    );
    const finals = await recogniseAll(stt.createStream(), 'address', audio);
    const heard = finals.map((f) => nlu.understand(f.text, 'address'));
    expect(heard.map((u) => u.address)).toEqual([undefined, undefined]);
    expect(heard.map((u) => u.houseNumber)).toEqual(['2717', '4622']);
  }, 180_000);

  it('an answer off the script at the phone question comes through, without a forced phone number beside it', async () => {
    const said = ['no, remove the coke', 'actually, can I add a garlic bread', 'what time do you close'];
    const audio = await Promise.all(
      said.map(async (text) =>
        concat(silence(200), await synthesizeSpeech(text, 'flite', 'slt'), silence(300)),
      ),
    );
    const finals = await recogniseAll(stt.createStream(), 'phone', audio);
    const [remove, add, question] = finals.map((f) => nlu.understand(f.text, 'phone'));
    expect(remove?.ops.some((op) => op.kind === 'remove')).toBe(true);
    expect(add?.ops.some((op) => op.kind === 'add')).toBe(true);
    expect(question?.phone).toBeUndefined();
    for (const f of finals)
      for (const text of [f.text, ...(f.alternatives ?? [])]) expect(digitsOf(text).length).toBeLessThan(7);
  }, 180_000);

  it('an answer off the script at the address question comes through as itself, not as a street', async () => {
    const said = ['no, remove the coke', 'what time do you close'];
    const audio = await Promise.all(
      said.map(async (text) =>
        concat(silence(200), await synthesizeSpeech(text, 'flite', 'rms'), silence(300)),
      ),
    );
    const [remove, question] = await recogniseAll(stt.createStream(), 'address', audio);
    const heardRemove = nlu.understand(remove?.text ?? '', 'address');
    expect(heardRemove.ops.some((op) => op.kind === 'remove')).toBe(true);
    expect(heardRemove.address).toBeUndefined();
    expect(nlu.understand(question?.text ?? '', 'address').address).toBeUndefined();
  }, 180_000);

  it('with the letter and yes/no grammars turned on, reads a spelled name as letters and hears a yes', async () => {
    const defaultDictionary = await readFile(stt.model.grammars?.dictionary ?? '', 'utf8');
    const withAll = await PocketSphinxStt.create({
      domain: pizzeria,
      grammarSlots: ['phone', 'name', 'yesno'],
    });
    // built on the same language models, it writes its grammars apart: the default recogniser's files stay its own
    expect(withAll.model.grammars?.dictionary).not.toBe(stt.model.grammars?.dictionary);
    expect(await readFile(stt.model.grammars?.dictionary ?? '', 'utf8')).toBe(defaultDictionary);
    const [spelled] = await recogniseAll(withAll.createStream(), 'name', [
      concat(silence(200), await synthesizeSpeech('J O H N', 'flite', 'slt'), silence(300)),
    ]);
    // the grammar's letters, the name model's reading kept beside them
    expect(spelled?.text).toMatch(/^[a-z]( [a-z])+$/);
    expect(spelled?.alternatives?.length).toBeGreaterThan(0);
    const [yes] = await recogniseAll(withAll.createStream(), 'yesno', [
      concat(silence(200), await synthesizeSpeech("yes, that's right", 'flite', 'rms'), silence(300)),
    ]);
    expect(nlu.understand(yes?.text ?? '', 'confirm').yes).toBe(true);
    withAll.close();
  }, 180_000);

  it('by default hears a spelled name with the spelling grammar, and runs no grammar for a yes or no', async () => {
    expect(Object.keys(stt.model.grammars?.files ?? {})).toEqual([
      'phone',
      'address',
      'name',
      'open',
      'over_agent',
    ]);
    const john = concat(silence(200), await synthesizeSpeech('J O H N', 'flite', 'slt'), silence(300));
    const [spelled] = await recogniseAll(stt.createStream(), 'name', [john]);
    expect(nlu.understand(spelled?.text ?? '', 'name').name).toBe('John');
    const yes = concat(
      silence(200),
      await synthesizeSpeech("yes, that's right", 'flite', 'rms'),
      silence(300),
    );
    const [withDefault] = await recogniseAll(stt.createStream(), 'yesno', [yes]);
    const [alone] = await recogniseAll(slotModelOnly(), 'yesno', [yes]);
    expect(withDefault?.text).toBe(alone?.text);
  }, 180_000);
});
