import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { SttEvent, SttExpectation, SttStream } from '@voiceroom/agent-core/stages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyOverlap, judgeOverAgent, type Overlap } from '../../src/pipeline/overlap.ts';
import { PocketSphinxStt } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { concat, silence, synthesizeSpeech, type TestVoice } from './fixtures/speech.ts';

const pizzeria = loadAgentFile(DEFAULT_AGENT_FILE);

type Final = Extract<SttEvent, { type: 'final' }>;

const VOICES: readonly [TestVoice, string][] = [
  ['flite', 'kal16'],
  ['flite', 'slt'],
  ['espeak-ng', 'en-us'],
  ['espeak-ng', 'en-gb'],
];
/** While the agent asks for a phone number, reads the order back (yes/no) or says anything else. */
const ASKING: readonly SttExpectation[] = ['phone', 'yesno', 'open'];
// "mm hmm" is left out: flite spells it ("em em aitch em em") and espeak-ng says "em em hum"
const BACKCHANNELS = ['uh huh', 'yeah', 'okay', 'right'];
const STOPS = ['wait', 'stop', 'no'];
/** Real barge-ins over the agent, none of them the pizzeria's bench lines. */
const SENTENCES = [
  'sorry could you say that again',
  'actually make it two of them',
  'i think you misheard me',
];

/** What the caller's lines over the agent were heard as, one call per voice (the recogniser adapts to it first). */
async function hearOverAgent(stream: SttStream, voice: [TestVoice, string], lines: readonly string[]) {
  const events = stream[Symbol.asyncIterator]();
  const say = async (text: string, slot: SttExpectation, overAgent: boolean): Promise<Final> => {
    stream.expect?.(slot);
    stream.agentSpeaking?.(overAgent);
    const pcm = concat(silence(200), await synthesizeSpeech(text, ...voice), silence(200));
    for (let i = 0; i < pcm.length; i += 320) stream.pushAudio(pcm.subarray(i, i + 320));
    stream.endUtterance();
    for (let r = await events.next(); !r.done; r = await events.next())
      if (r.value.type === 'final') return r.value;
    throw new Error('no final');
  };
  await say("it's twelve oak street", 'address', false);
  const heard: { said: string; slot: SttExpectation; text: string; overlap: Overlap; judged: Overlap }[] = [];
  for (const slot of ASKING)
    for (const said of lines) {
      const { text, overAgent } = await say(said, slot, true);
      heard.push({
        said,
        slot,
        text,
        overlap: classifyOverlap(text),
        judged: judgeOverAgent(text, overAgent),
      });
    }
  stream.close();
  return heard;
}

describe('backchannels and stop words over the agent, heard with the model active while it speaks (pocketsphinx)', () => {
  let stt: PocketSphinxStt;
  let heard: Awaited<ReturnType<typeof hearOverAgent>>;
  beforeAll(async () => {
    stt = await PocketSphinxStt.create({ domain: pizzeria });
    heard = [];
    for (const voice of VOICES)
      heard.push(
        ...(await hearOverAgent(stt.createStream(), voice, [...BACKCHANNELS, ...STOPS, ...SENTENCES])),
      );
  }, 300_000);
  afterAll(() => stt?.close());

  it('backchannels are rarely heard as a request to stop (espeak-ng\'s "uh huh" sounds like "stop" to the model)', () => {
    const backchannels = heard.filter((h) => BACKCHANNELS.includes(h.said));
    const asStop = backchannels.filter((h) => h.overlap === 'stop').length;
    expect(asStop / backchannels.length).toBeLessThanOrEqual(0.1);
    const asBackchannel = backchannels.filter((h) => h.overlap === 'backchannel').length;
    expect(asBackchannel / backchannels.length).toBeGreaterThanOrEqual(0.7);
  });

  it('"wait", "stop" and "no" are mostly heard as stop requests, whatever the agent asked', () => {
    const stops = heard.filter((h) => STOPS.includes(h.said));
    const asStop = stops.filter((h) => h.overlap === 'stop').length;
    expect(
      asStop / stops.length,
      JSON.stringify(stops.filter((h) => h.overlap !== 'stop')),
    ).toBeGreaterThanOrEqual(0.85);
    for (const slot of ASKING)
      expect(stops.filter((h) => h.slot === slot && h.overlap === 'stop').length, slot).toBeGreaterThan(0);
  });

  it('judged with the over-agent grammar, more backchannels are taken for one, no more for a stop; sentences are never backchannels', () => {
    const backchannels = heard.filter((h) => BACKCHANNELS.includes(h.said));
    const count = (of: typeof heard, verdict: Overlap, by: 'overlap' | 'judged') =>
      of.filter((h) => h[by] === verdict).length;
    expect(count(backchannels, 'backchannel', 'judged')).toBeGreaterThan(
      count(backchannels, 'backchannel', 'overlap'),
    );
    expect(count(backchannels, 'stop', 'judged')).toBeLessThanOrEqual(count(backchannels, 'stop', 'overlap'));
    const stops = heard.filter((h) => STOPS.includes(h.said));
    expect(count(stops, 'stop', 'judged')).toBeGreaterThanOrEqual(count(stops, 'stop', 'overlap'));
    const sentences = heard.filter((h) => SENTENCES.includes(h.said));
    expect(count(sentences, 'backchannel', 'judged'), JSON.stringify(sentences)).toBe(0);
  });
});
