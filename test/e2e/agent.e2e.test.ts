/**
 * The AI agent, end to end: a real Chromium caller on the built call page talks to the real agent worker process
 * (Silero VAD, PocketSphinx, scripted dialog, flite) through the real server and mediasoup. The caller's microphone
 * plays speech synthesized at test time, each utterance when the conversation calls for it (after the greeting,
 * while the agent is answering), so the script follows the agent however slow the machine is.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentState, TranscriptEvent, TurnMetricsEvent } from '@voiceroom/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTranscript } from '../../agent-worker/src/stages/stt/lm/normalize.ts';
import { installScriptedMicrophone, say } from '../../bench/voiceMicrophone.ts';
import {
  agentPacketTimes,
  readAudioProbe,
  startAudioProbe,
  synthesizeCallerSpeech,
  whiteNoise,
} from '../../bench/voiceScenario.ts';
import { scoreFalseInterruption } from '../../bench/voiceScoring.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  type CallBrowser,
  inPage,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../helpers/browser.ts';

const GREETING = "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?";
const WAIT_MS = 30_000;

let workDir: string;
let app: TestApp;
let caller: CallBrowser;
let speech: { order: Int16Array; menu: Int16Array; barge: Int16Array };
const transcripts: TranscriptEvent[] = [];
const states: { state: AgentState; at: number }[] = [];
const metrics: TurnMetricsEvent[] = [];
/** Page-clock spans of what the caller said, by step. */
const said: Record<string, { startT: number; endT: number }> = {};

const finals = (speaker: 'agent' | 'customer') => transcripts.filter((t) => t.speaker === speaker && t.final);
const agentPackets = async () => agentPacketTimes(await readAudioProbe(caller.page));
const within = (times: number[], from: number, to: number) => times.filter((t) => t > from && t <= to);
const pageNow = () => inPage('reading the page clock', () => caller.page.evaluate(() => performance.now()));
const until = <T>(read: () => T | Promise<T>, accept: (value: T) => boolean, what: string) =>
  pollUntil(async () => read(), accept, { timeoutMs: WAIT_MS, intervalMs: 50, what });
const stateCount = (state: AgentState) => states.filter((s) => s.state === state).length;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-agent-e2e-'));
  const [order, menu, barge, silentWav] = await Promise.all([
    synthesizeCallerSpeech("I'd like two large pepperoni pizzas", workDir, 0),
    synthesizeCallerSpeech("what's on the menu", workDir, 1),
    synthesizeCallerSpeech('wait, I want a coke too', workDir, 2),
    // the fake capture device is required by the launch flags but replaced by the scripted microphone
    makeSpeechWav('unused', workDir, { name: 'unused' }),
  ]);
  speech = { order, menu, barge };
  app = await startTestApp({ agent: { pipeline: 'voice' } });
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  app.server.bus.on('agent.state', ({ state }) => {
    states.push({ state, at: performance.now() });
  });
  app.server.bus.on('turn.metrics', (m) => {
    metrics.push(m);
  });
  caller = await launchCallBrowser({ fakeAudioWav: silentWav });
  await installScriptedMicrophone(caller.context);
  // the server serves the built call page (client/dist; scripts/test.sh builds it)
  await caller.page.goto(`${app.url}/`);
  await startAudioProbe(caller.page);
  await caller.page.click('#call');
  await caller.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}, 120_000);

afterAll(async () => {
  await caller?.close();
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a caller talking to the AI agent', () => {
  it('hears the whole greeting first', async () => {
    const [greeting] = await until(
      () => finals('agent'),
      (f) => f.length > 0,
      'the greeting',
    );
    expect(greeting).toMatchObject({ text: GREETING, interrupted: false });
    // one packet per 20 ms: well over 3 s of the ~4.7 s greeting arrived
    expect((await agentPackets()).length).toBeGreaterThan(150);
  });

  it('recognises the order and answers it aloud, naming the item', async () => {
    const energyBefore = (await readInboundAudio(caller.page)).totalAudioEnergy;
    said.order = await say(caller.page, speech.order);
    const [heard] = await until(
      () => finals('customer'),
      (f) => f.length > 0,
      'the order transcript',
    );
    expect(normalizeTranscript(heard?.text ?? '').join(' ')).toContain('two large pepperoni pizzas');
    const replies = await until(
      () => finals('agent'),
      (f) => f.length > 1,
      'the answer to end',
    );
    expect(replies[1]?.text.toLowerCase()).toContain('pepperoni');
    expect(replies[1]?.interrupted).toBe(false);
    // at least a second of it reached the caller, and it was audible
    expect(within(await agentPackets(), said.order.endT, await pageNow()).length).toBeGreaterThan(50);
    expect((await readInboundAudio(caller.page)).totalAudioEnergy).toBeGreaterThan(energyBefore);
  });

  it('does not take a short burst of noise for the caller: no pause, the same reply plays on', async () => {
    const speakingBefore = stateCount('speaking');
    said.menu = await say(caller.page, speech.menu);
    await until(
      () => stateCount('speaking'),
      (n) => n > speakingBefore,
      'the menu answer to start',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const pausedBefore = stateCount('paused');
    said.noise = await say(caller.page, whiteNoise(150));
    // past the false-interruption timeout (1.5 s): the reply is still going, and it never went quiet for the noise
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const now = await pageNow();
    expect(stateCount('paused')).toBe(pausedBefore);
    const heard = scoreFalseInterruption(
      await readAudioProbe(caller.page),
      said.noise.startT,
      said.noise.endT,
      now,
    );
    expect(heard.kind).toBe('talked_through');
    expect(within(await agentPackets(), said.noise.endT + 1_600, now).length).toBeGreaterThan(30);
    expect(finals('agent')).toHaveLength(2);
  });

  it('stops talking when the caller barges in, and keeps only what was heard', async () => {
    said.barge = await say(caller.page, speech.barge);
    const { startT, endT } = said.barge;
    const packets = await agentPackets();
    expect(within(packets, startT - 200, startT).length).toBeGreaterThan(5);
    // silent before the caller had said half of it
    expect(within(packets, (startT + endT) / 2, endT)).toEqual([]);
    const cut = await until(
      () => finals('agent').find((t) => t.interrupted),
      (t) => t !== undefined,
      'the cut reply',
    );
    expect(cut?.text).toMatch(/^For pizzas we have/);
    expect(cut?.text).not.toMatch(/come in small, medium and large\.$/);
    const request = await until(
      () => finals('customer'),
      (f) => f.length > 2,
      'the barge-in transcript',
    );
    expect(request.at(-1)?.text).toMatch(/coke/);
  });

  it('answers the barge-in request afterwards', async () => {
    const replies = await until(
      () => finals('agent'),
      (f) => f.length > 3,
      'the reply to the barge-in',
    );
    expect(replies[3]?.text.toLowerCase()).toContain('coke');
  });

  it('reports per-turn latency metrics to the server, the cut reply marked interrupted', () => {
    const [order, menu] = metrics;
    expect(order).toMatchObject({ turn: 0, interrupted: false });
    expect(menu).toMatchObject({ turn: 1, interrupted: true });
    for (const m of [order, menu]) {
      // voice-to-voice covers end-of-utterance detection, which covers waiting for the recogniser's final
      expect(m?.voiceToVoiceMs).toBeGreaterThanOrEqual(m?.eouMs ?? Infinity);
      expect(m?.eouMs).toBeGreaterThanOrEqual(m?.asrFinalMs ?? Infinity);
    }
  });
});
