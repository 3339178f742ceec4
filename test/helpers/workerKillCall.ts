/**
 * An agent worker process killed mid-call (SIGKILL: no drain, no goodbye), seen from the caller: a call on the call
 * page in Chromium with two or more real agent workers registered; once the caller has ordered and the agent has
 * answered, the worker serving the call is killed, and the recovery is timed from the kill. Shared by the fault test
 * (test/e2e/agentWorkerKill.e2e.test.ts) and its benchmark (bench/faultAgentWorker.ts).
 */
import type { TranscriptEvent } from '@voiceroom/protocol';
import type { Page } from 'playwright-core';
import { say } from '../../bench/voiceMicrophone.ts';
import {
  type AudioSample,
  packetArrivals,
  pageClockOffset,
  readAudioProbe,
} from '../../bench/voiceScenario.ts';
import type { RunningServer } from '../../server/src/app.ts';
import type { RunningProcess } from '../../server/test/helpers/childProcess.ts';
import { pollUntil } from './browser.ts';

export const GREETING = "Hi, thanks for calling Luigi's Pizzeria. What can I get for you today?";
const WAIT_MS = 30_000;
/** RMS of the received audio above which the agent counts as audible. */
const AUDIBLE_RMS = 0.01;

export interface WorkerKillScene {
  server: RunningServer;
  /** The caller's page, on the call page with the audio probe started (bench/voiceScenario.ts). */
  page: Page;
  /** The agent worker processes by AGENT_NAME. */
  workers: Map<string, RunningProcess>;
  /** Every transcript event on the server's bus. */
  transcripts: TranscriptEvent[];
  /** What the caller says before the kill (48 kHz PCM): an order. */
  order: Int16Array;
}

export interface WorkerKillRun {
  roomId: string;
  /** AGENT_NAME of the killed worker. */
  killed: string;
  /** Kill -> the server ended the agent session as worker_lost. */
  noticedMs: number;
  /** Kill -> the call offered to another worker, with the conversation so far. */
  redispatchedMs: number;
  /** Kill -> another agent joined the call (its worker set the session up; a live session again). */
  joinedMs: number;
  /** Kill -> the new agent's first words went out (its first caption, sent as its first audio frame is). */
  speakingMs: number;
  /** Kill -> the first packet of the new agent's voice at the caller's page. */
  firstPacketMs: number;
  /** Kill -> the new agent audible in the caller's page (analyser on the received tracks). */
  audibleMs: number;
}

/** Segment ids of an agent that resumed the call (voicePipeline.ts). */
export const RESUMED_SEGMENT = /^r\d+-agent-/;

const agentFinals = (scene: WorkerKillScene, roomId: string) =>
  scene.transcripts.filter((t) => t.roomId === roomId && t.speaker === 'agent' && t.final);

/**
 * Places a call, waits for the greeting, says the order, waits for the answer, then kills the worker serving the
 * call and times the recovery; resolves once the new agent has finished its first line. Leaves the call up.
 */
export async function killWorkerMidCall(scene: WorkerKillScene): Promise<WorkerKillRun> {
  const { server, page } = scene;
  const known = new Set(server.registry.rooms.map((r) => r.id));
  await page.click('#call');
  await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
  const liveSession = (roomId: string) => server.gateway.sessions.find((s) => s.roomId === roomId && s.live);
  const roomId = await pollUntil(
    async () => server.gateway.sessions.find((s) => s.live && !known.has(s.roomId))?.roomId,
    (id) => id !== undefined,
    { timeoutMs: WAIT_MS, intervalMs: 50, what: 'an agent in the new call' },
  );
  if (!roomId) throw new Error('no room');
  const until = <T>(read: () => T, accept: (value: T) => boolean, what: string) =>
    pollUntil(async () => read(), accept, { timeoutMs: WAIT_MS, intervalMs: 50, what });
  await until(
    () => agentFinals(scene, roomId).length,
    (n) => n >= 1,
    'the greeting',
  );
  await say(page, scene.order);
  await until(
    () => agentFinals(scene, roomId).length,
    (n) => n >= 2,
    'the answer to the order',
  );

  const session = liveSession(roomId);
  const killed = server.gateway.workers.find((w) => w.id === session?.workerId)?.name;
  const worker = killed === undefined ? undefined : scene.workers.get(killed);
  if (!session || !killed || !worker) throw new Error(`no worker process serves room ${roomId}`);
  const lost = new Promise<number>((resolve) => {
    const onEnded = (e: { sessionId: string; reason: string }) => {
      if (e.sessionId !== session.id) return;
      server.gateway.off('sessionended', onEnded);
      resolve(performance.now());
    };
    server.gateway.on('sessionended', onEnded);
  });
  const offered = new Promise<number>((resolve) => {
    const onDispatched = (e: { roomId: string; resume: boolean }) => {
      if (e.roomId !== roomId || !e.resume) return;
      server.gateway.off('dispatched', onDispatched);
      resolve(performance.now());
    };
    server.gateway.on('dispatched', onDispatched);
  });
  let speakingAt: number | undefined;
  const offSpeaking = server.bus.on('transcript', (t) => {
    if (t.roomId === roomId && speakingAt === undefined && RESUMED_SEGMENT.test(t.segmentId))
      speakingAt = performance.now();
  });
  const offset = await pageClockOffset(page);
  const killedAt = performance.now();
  worker.signal('SIGKILL');

  const noticedAt = await Promise.race([
    lost,
    new Promise<number>((_, reject) =>
      setTimeout(() => reject(new Error('the server did not notice the kill within 10 s')), 10_000),
    ),
  ]);
  const offeredAt = await Promise.race([
    offered,
    new Promise<number>((_, reject) =>
      setTimeout(() => reject(new Error('the call was not offered to another worker within 10 s')), 10_000),
    ),
  ]);
  const joined = await pollUntil(
    async () => ({ session: liveSession(roomId), at: performance.now() }),
    (s) => s.session !== undefined && s.session.id !== session.id,
    { timeoutMs: 15_000, intervalMs: 10, what: 'another agent in the call' },
  );
  const killedAtPage = killedAt + offset;
  // The old agent's last words may still be playing out at the kill: audible counts from the new agent's packets.
  const firstPacketAfterKill = (samples: AudioSample[]) =>
    packetArrivals(samples).find((t) => t > killedAtPage);
  const audibleFrom = (samples: AudioSample[], from: number) =>
    samples.find((s) => s.t >= from && s.rms >= AUDIBLE_RMS)?.t;
  const heard = await pollUntil(
    () => readAudioProbe(page),
    (samples) =>
      audibleFrom(samples, firstPacketAfterKill(samples) ?? Number.POSITIVE_INFINITY) !== undefined,
    { timeoutMs: 15_000, intervalMs: 100, what: "the new agent's voice at the caller" },
  );
  const firstPacket = firstPacketAfterKill(heard) ?? Number.NaN;
  const audible = audibleFrom(heard, firstPacket) ?? Number.NaN;
  await until(
    () => agentFinals(scene, roomId).some((t) => RESUMED_SEGMENT.test(t.segmentId)),
    (done) => done,
    "the new agent's first line",
  );
  offSpeaking();
  return {
    roomId,
    killed,
    noticedMs: noticedAt - killedAt,
    redispatchedMs: offeredAt - killedAt,
    joinedMs: joined.at - killedAt,
    speakingMs: (speakingAt ?? Number.NaN) - killedAt,
    firstPacketMs: firstPacket - killedAtPage,
    audibleMs: audible - killedAtPage,
  };
}
