/**
 * The pipeline with the real speech stages (Silero VAD, PocketSphinx with the agent's domain model, flite TTS and
 * the sentence stream), driven in real time with synthesized caller speech, 20 ms in and 20 ms out per tick as
 * the media path does. The dialog is the scripted test double until the real dialog stage is wired in.
 */
import { readFileSync } from 'node:fs';
import { type AgentConfig, AgentConfigSchema } from '@voiceroom/sdk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { speakWith } from '../../src/pipeline/sentenceSpeech.ts';
import { type PipelineEvent, VoicePipeline } from '../../src/pipeline/voicePipeline.ts';
import { PocketSphinxStt } from '../../src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { FliteTts } from '../../src/stages/tts/flite/FliteTts.ts';
import { createVad } from '../../src/stages/vad/createVad.ts';
import { concat, silence, synthesizeSpeech } from '../stages/fixtures/speech.ts';
import { ScriptedDialogDouble } from './doubles.ts';

const config: AgentConfig = AgentConfigSchema.parse(
  parse(readFileSync(new URL('../../agents/pizzeria.yaml', import.meta.url), 'utf8')),
);

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
    vad: createVad(config.vad),
    stt,
    tts,
    dialog,
    speak: speakWith(tts, config.tts.parallelism),
    emit: (e) => events.push(e),
  });
  const agentAudioAt: number[] = [];
  const resample = 16_000 / tts.sampleRate;
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
      expect(resample).toBeGreaterThan(0);
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

  it('greets, recognises an order, answers it, and a barge-in stops the reply within the VAD onset', async () => {
    const call = await openCall();
    call.pipeline.start();
    await call.until(() => agentFinals(call).length === 1, 15_000, 'the greeting');
    expect(agentFinals(call)[0]).toMatchObject({ text: config.greeting, interrupted: false });
    expect(call.agentAudioAt.length).toBeGreaterThan(100);

    const order = await synthesizeSpeech("I'd like two large pepperoni pizzas", 'flite');
    call.dialog.reply = (text) => [{ type: 'text', text: `Sure, ${text}. Anything else?` }];
    const orderAt = await call.play(concat(order, silence(300)));
    const orderEnd = orderAt + order.length / 16;
    await call.until(() => agentFinals(call).length === 2, 15_000, 'the answer');
    const heard = customerFinals(call).at(-1);
    expect(heard?.type === 'transcript' && heard.text).toMatch(/two large pepperoni pizzas/);
    const answerStart = call.agentAudioAt.find((t) => t > orderEnd) ?? Number.NaN;
    expect(answerStart - orderEnd).toBeLessThan(1200);
    const metrics = call.events.find((e) => e.type === 'turn.metrics');
    expect(metrics).toMatchObject({ type: 'turn.metrics', turn: 0, interrupted: false });

    call.dialog.reply = () => [
      {
        type: 'text',
        text: 'Our large pepperoni pizza comes with extra cheese and a crispy crust. It takes about thirty minutes to bake. We deliver within five miles of the shop.',
      },
    ];
    const question = await synthesizeSpeech('do you deliver', 'flite');
    await call.play(concat(question, silence(300)));
    await call.until(() => call.pipeline.state === 'speaking', 10_000, 'the long reply');
    await call.play(silence(1500));
    const stop = await synthesizeSpeech('wait, make that three pizzas', 'flite');
    const bargeAt = await call.play(concat(stop, silence(400)));
    const lastAudio = call.agentAudioAt.filter((t) => t < bargeAt + stop.length / 16).at(-1) ?? 0;
    expect(lastAudio - bargeAt).toBeLessThan(400);
    const cut = agentFinals(call).find((e) => e.type === 'transcript' && e.interrupted);
    expect(cut?.type === 'transcript' && cut.text.length).toBeGreaterThan(0);
    expect(cut?.type === 'transcript' && cut.text.length).toBeLessThan(80);
    await call.until(
      () => call.dialog.requests.length === 3,
      10_000,
      'the barge-in utterance to be answered',
    );
    expect(call.dialog.requests[2]?.input.userText).toMatch(/three/);
    call.pipeline.close();
  }, 90_000);
});
