/**
 * The pipeline with the real speech stages (Silero VAD, PocketSphinx with the agent's domain model, flite TTS and
 * the sentence stream), driven in real time with synthesized caller speech, 20 ms in and 20 ms out per tick as
 * the media path does. The dialog is the scripted test double until the real dialog stage is wired in.
 */
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { AgentConfig } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakWith } from '../../src/pipeline/sentenceSpeech.ts';
import { type PipelineEvent, VoicePipeline } from '../../src/pipeline/VoicePipeline.ts';
import { PocketSphinxStt } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { FliteTts } from '../../src/stages/tts/flite/FliteTts.ts';
import { createVad } from '../../src/stages/vad/createVad.ts';
import { concat, silence, synthesizeSpeech } from '../stages/fixtures/speech.ts';
import { ScriptedDialogDouble } from './doubles.ts';

const config: AgentConfig = loadAgentFile(DEFAULT_AGENT_FILE);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface Call {
  pipeline: VoicePipeline;
  dialog: ScriptedDialogDouble;
  events: PipelineEvent[];
  /** performance.now() of every tick that sent agent audio. */
  agentAudioAt: number[];
  /** Plays `pcm` as the caller in real time (silence after it runs out), pulling agent audio every 20 ms. */
  play(pcm: Int16Array, totalMs?: number): Promise<number>;
  until(accept: () => boolean, limitMs: number, what: string): Promise<void>;
}

let stt: PocketSphinxStt;
let tts: FliteTts;

async function openCall(): Promise<Call> {
  const dialog = new ScriptedDialogDouble({ now: () => performance.now(), setTimer: () => () => undefined });
  const events: PipelineEvent[] = [];
  const pipeline = new VoicePipeline({
    roomId: 'room-real',
    config,
    vad: await createVad(config.vad),
    stt,
    tts,
    dialog,
    speak: speakWith(tts, config.tts.parallelism),
    emit: (e) => events.push(e),
  });
  const agentAudioAt: number[] = [];
  const call: Call = {
    pipeline,
    dialog,
    events,
    agentAudioAt,
    async play(pcm, totalMs = pcm.length / 16) {
      const t0 = performance.now();
      for (let step = 0; step * 20 < totalMs; step++) {
        await sleep(t0 + step * 20 - performance.now());
        const frame = pcm.subarray(step * 320, step * 320 + 320);
        pipeline.pushCallerAudio(
          frame.length === 320 ? frame : concat(frame, silence(20 - frame.length / 16)),
        );
        if (pipeline.pullAudio() !== null) agentAudioAt.push(performance.now());
      }
      return t0;
    },
    async until(accept, limitMs, what) {
      for (let waited = 0; !accept(); waited += 200) {
        if (waited > limitMs) throw new Error(`timed out waiting for ${what}`);
        await call.play(silence(200));
      }
    },
  };
  return call;
}

const agentFinals = (c: Call) =>
  c.events.filter((e) => e.type === 'transcript' && e.speaker === 'agent' && e.final);
const customerFinals = (c: Call) =>
  c.events.filter((e) => e.type === 'transcript' && e.speaker === 'customer' && e.final);

describe('VoicePipeline with the real speech stages', () => {
  beforeAll(async () => {
    // sequentially, as the pipeline's StageCache does (see there)
    stt = await PocketSphinxStt.create({ domain: config });
    tts = await FliteTts.create({ voice: 'kal16' });
  }, 60_000);
  afterAll(() => tts?.close());

  it('a caller talking over the greeting silences it, is recognised and answered; history keeps what was heard', async () => {
    const call = await openCall();
    call.pipeline.start();
    await call.until(() => call.agentAudioAt.length >= 75, 10_000, '1.5 s of greeting');

    const order = await synthesizeSpeech("I'd like two large pepperoni pizzas", 'flite');
    call.dialog.reply = (text) => [{ type: 'text', text: `Sure, ${text}. Anything else?` }];
    const orderAt = await call.play(concat(order, silence(300)));
    const orderEnd = orderAt + order.length / 16;
    // silent well before the caller finished (the pause comes at the VAD's speech start)
    expect(call.agentAudioAt.filter((t) => t > orderAt + order.length / 32 && t < orderEnd)).toEqual([]);
    const cut = agentFinals(call)[0];
    expect(cut).toMatchObject({ interrupted: true });
    const heardGreeting = cut?.type === 'transcript' ? cut.text : '';
    expect(heardGreeting.length).toBeGreaterThan(0);
    expect(config.greeting.startsWith(heardGreeting)).toBe(true);
    expect(heardGreeting.length).toBeLessThan(config.greeting.length);

    await call.until(() => call.dialog.requests.length === 1, 5_000, 'the order to reach the dialog');
    expect(call.dialog.requests[0]?.input.userText).toMatch(/two large pepperoni pizzas/);
    const [heard] = customerFinals(call);
    expect(heard?.type === 'transcript' && heard.text).toMatch(/two large pepperoni pizzas/);
    expect(call.dialog.requests[0]?.input.history[0]).toEqual({ role: 'assistant', content: heardGreeting });
    await call.until(() => call.agentAudioAt.some((t) => t > orderEnd), 5_000, 'the answer to be heard');
    await call.until(() => agentFinals(call).length === 2, 10_000, 'the end of the answer');
    const metrics = call.events.find((e) => e.type === 'turn.metrics');
    expect(metrics).toMatchObject({ type: 'turn.metrics', turn: 0, interrupted: false });
    call.pipeline.close();
  }, 30_000);
});
