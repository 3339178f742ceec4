/**
 * The AI agent, end to end: a real Chromium caller (fake microphone playing a conversation synthesized at test
 * time) calls the built call page; the real server dispatches the real agent worker process (Silero VAD,
 * PocketSphinx, scripted dialog, flite) over mediasoup. One scripted call, checked step by step: greeting first,
 * the order recognised and answered aloud, a noise burst that does not end a reply, and a barge-in that silences
 * the agent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TranscriptEvent, TurnMetricsEvent } from '@voiceroom/sdk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTranscript } from '../../agent-worker/src/stages/stt/lm/normalize.ts';
import {
  type AudioSample,
  agentPacketTimes,
  alignFileToPage,
  buildConversationWav,
  type PlacedUtterance,
  readAudioProbe,
  startAudioProbe,
} from '../../bench/voiceScenario.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type CallBrowser, launchCallBrowser, pollUntil } from '../helpers/browser.ts';

const GREETING = "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?";
// The first call also loads the agent's models: 12 s of silence leave room for that and the greeting.
const PLAN = [
  { text: "I'd like two large pepperoni pizzas", atMs: 12_000 },
  { text: "what's on the menu", atMs: 19_300 },
  { text: '', noiseMs: 150, atMs: 22_300 },
  { text: 'wait, I want a coke too', atMs: 25_300 },
];
const CALL_MS = 31_000;

let workDir: string;
let app: TestApp;
let caller: CallBrowser;
let placed: PlacedUtterance[];
let samples: AudioSample[];
let fileStart: number;
let packets: number[];
const transcripts: TranscriptEvent[] = [];
const metrics: TurnMetricsEvent[] = [];

const finals = (speaker: 'agent' | 'customer') => transcripts.filter((t) => t.speaker === speaker && t.final);
/** Page time of a planned utterance's start and end. */
const at = (index: number) => {
  const u = placed[index] as PlacedUtterance;
  return { start: fileStart + u.startMs, end: fileStart + u.endMs };
};
const packetsBetween = (from: number, to: number) => packets.filter((t) => t > from && t <= to);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-agent-e2e-'));
  const conversation = await buildConversationWav(PLAN, CALL_MS + 20_000, workDir);
  placed = conversation.placed;
  // the server serves the built call page (client/dist; scripts/test.sh builds it)
  app = await startTestApp({ agent: { pipeline: 'voice' } });
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  app.server.bus.on('turn.metrics', (m) => {
    metrics.push(m);
  });
  caller = await launchCallBrowser({ fakeAudioWav: conversation.wav });
  await caller.page.goto(`${app.url}/`);
  await startAudioProbe(caller.page);
  await caller.page.click('#call');
  await caller.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
  // the conversation plays out in real time
  await new Promise((resolve) => setTimeout(resolve, CALL_MS));
  samples = await readAudioProbe(caller.page);
  fileStart = alignFileToPage(samples, placed);
  packets = agentPacketTimes(samples);
}, 150_000);

afterAll(async () => {
  await caller?.close();
  await app?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a caller talking to the AI agent', () => {
  it('hears the greeting before saying anything', () => {
    expect(finals('agent')[0]?.text).toBe(GREETING);
    const greetingPackets = packets.filter((t) => t < at(0).start);
    // one packet per 20 ms: most of the ~4.7 s greeting arrived before the caller spoke
    expect(greetingPackets.length).toBeGreaterThan(150);
  });

  it('recognises the order and answers it aloud, naming the item', () => {
    const order = finals('customer')[0];
    expect(normalizeTranscript(order?.text ?? '').join(' ')).toContain('two large pepperoni pizzas');
    // at least a second of agent speech between the order and the next question
    expect(packetsBetween(at(0).end, at(1).start).length).toBeGreaterThan(50);
    const energyBefore = samples.find((s) => s.t >= at(0).end)?.inEnergy ?? 0;
    const energyAfter = samples.find((s) => s.t >= at(1).start)?.inEnergy ?? 0;
    expect(energyAfter).toBeGreaterThan(energyBefore);
    const reply = finals('agent').find((t) => t.startMs > (order?.endMs ?? 0));
    expect(reply?.text.toLowerCase()).toContain('pepperoni');
  });

  it('keeps talking through a short burst of noise', () => {
    const noise = at(2);
    // the long menu reply is still playing after the false-interruption timeout (1.5 s) has passed
    expect(packetsBetween(noise.end + 1600, at(3).start).length).toBeGreaterThan(30);
    expect(finals('agent').filter((t) => t.interrupted)).toHaveLength(1);
  });

  it('stops talking when the caller barges in, and keeps only what was heard', () => {
    const barge = at(3);
    // the agent was talking when the caller started, and was silent before the caller had said half of it
    expect(packetsBetween(barge.start - 200, barge.start).length).toBeGreaterThan(5);
    expect(packetsBetween((barge.start + barge.end) / 2, barge.end)).toEqual([]);
    const cut = finals('agent').find((t) => t.interrupted);
    expect(cut?.text).toMatch(/^For pizzas we have/);
    expect(cut?.text).not.toMatch(/come in small, medium and large\.$/);
    const request = finals('customer').at(-1);
    expect(request?.text).toMatch(/coke/);
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

  it('answers the barge-in request afterwards', async () => {
    const answered = await pollUntil(
      async () => finals('agent').filter((t) => t.startMs > (finals('customer').at(-1)?.endMs ?? Infinity)),
      (replies) => replies.length > 0,
      { timeoutMs: 10_000, what: 'the reply to the barge-in' },
    );
    expect(answered[0]?.text.toLowerCase()).toContain('coke');
  });
});
