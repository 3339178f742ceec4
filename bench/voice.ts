/**
 * Voice benchmark: `npm run bench:voice`. A real Chromium caller on the call page talks to the real agent through
 * the real server and SFU (bench/voicePlan.ts: ordinary turns, long answers barged in over at least 20 times, noise
 * bursts over the agent, the real human recordings), in every local TTS voice in turn. Measured in the page as the
 * caller hears it (bench/voiceScoring.ts): voice to voice = end of the caller's speech -> the agent's new reply
 * first audible at the page's output (analyser level), with the first packet's arrival beside it; barge-in stop =
 * caller start over audible agent speech -> agent quiet, failed past 2 s; false interruptions: paused, resumed.
 * From the agent's events: WER of its transcripts and per-stage latencies; from /proc: the worker's RSS per busy
 * session (bench/voiceMemory.ts) and after 20 short calls. Prints one JSON line, writes bench/results/voice.json;
 * progress goes to stderr. VOICE_BARGE_INS (20), VOICE_CONCURRENT (3), VOICE_MEMORY_REPEATS (3) and
 * VOICE_SHORT_CALLS (20) scale it down for a quick look; SPEECH_DIR locates the real recordings.
 */

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentState, TranscriptEvent, TurnMetricsEvent } from '@voiceroom/protocol';
import type { Page } from 'playwright-core';
import { REAL_SPEECH_DIR } from '../agent-worker/test/stages/fixtures/speech.ts';
import { launchCallBrowser, makeSpeechWav, pollUntil, readInboundAudio } from '../test/helpers/browser.ts';
import { writeBenchResult } from './benchResult.ts';
import { conversationSpeech, runConversation } from './voiceConversation.ts';
import { measureSessionMemory, rssMb } from './voiceMemory.ts';
import { installScriptedMicrophone, say } from './voiceMicrophone.ts';
import { planConversation, realClips } from './voicePlan.ts';
import {
  agentAudibleSince,
  availableCallerVoices,
  pageClockOffset,
  readAudioProbe,
  startAudioProbe,
} from './voiceScenario.ts';
import { summarize } from './voiceTurns.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'voice.json');
const BARGE_INS = Number(process.env.VOICE_BARGE_INS ?? 20);
const SHORT_CALLS = Number(process.env.VOICE_SHORT_CALLS ?? 20);
const CONCURRENT = Number(process.env.VOICE_CONCURRENT ?? 3);
const MEMORY_REPEATS = Number(process.env.VOICE_MEMORY_REPEATS ?? 3);
const SPEECH_DIR = process.env.SPEECH_DIR ?? REAL_SPEECH_DIR;

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: 'voice', msg, ...extra })}\n`);
const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The agent worker process startTestApp spawned (our child running agent-worker/src/main.ts). */
function agentWorkerPid(): number {
  const out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes('agent-worker/src/main.ts'));
  if (!line) throw new Error('agent worker process not found among this process children');
  return Number(line.trim().split(/\s+/)[0]);
}

async function call(page: Page, pageUrl: string): Promise<void> {
  await page.goto(pageUrl);
  await startAudioProbe(page);
  await page.click('#call');
  await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const loadBefore = loadavg().map(round);
  const { startTestApp } = await import('../test/helpers/app.ts');
  const { buildClientPage } = await import('../test/helpers/clientPage.ts');
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-voice-'));
  const voices = await availableCallerVoices();
  const plan = planConversation(BARGE_INS, voices, realClips(SPEECH_DIR));
  const pcm = await conversationSpeech(plan, workDir, SPEECH_DIR);
  // the fake capture device is required by the launch flags but replaced by the scripted microphone
  const unusedWav = await makeSpeechWav('unused', workDir, { name: 'unused' });
  // a fresh build of the call page; the last one in client/dist when the client does not build right now
  const clientDir = await buildClientPage(path.join(workDir, 'client')).catch((error: unknown) => {
    log('client build failed, serving client/dist', { error: String(error) });
    return undefined;
  });
  const app = await startTestApp({
    ...(clientDir ? { clientDir } : {}),
    agent: { pipeline: 'voice', capacity: Math.max(4, CONCURRENT + 1) },
  });
  const pageUrl = `${app.url}/`;
  const pid = agentWorkerPid();
  const rssAtStart = rssMb(pid);
  const transcripts: TranscriptEvent[] = [];
  const metrics: TurnMetricsEvent[] = [];
  /** Agent states with this process's clock (performance.now()) when the server relayed them. */
  const states: Array<{ roomId: string; state: AgentState; t: number }> = [];
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  app.server.bus.on('turn.metrics', (m) => {
    metrics.push(m);
  });
  app.server.bus.on('agent.state', ({ roomId, state }) => {
    states.push({ roomId, state, t: performance.now() });
  });
  const waitFor = <T>(read: () => T, accept: (v: T) => boolean, what: string, timeoutMs = 30_000) =>
    pollUntil(async () => read(), accept, { timeoutMs, intervalMs: 20, what });
  const browser = await launchCallBrowser({ fakeAudioWav: unusedWav });
  await installScriptedMicrophone(browser.context);
  const { page } = browser;
  try {
    // 1. the conversation
    await call(page, pageUrl);
    const roomId = (
      await waitFor(
        () => transcripts.find((t) => t.speaker === 'agent' && t.final),
        (t) => t !== undefined,
        'the greeting',
      )
    )?.roomId;
    const offset = await pageClockOffset(page);
    const scored = await runConversation({
      plan,
      pcm,
      caller: {
        now: () => page.evaluate(() => performance.now()),
        audibleSince: (t) => agentAudibleSince(page, t),
        say: (speech) => say(page, speech),
        samples: () => readAudioProbe(page),
      },
      agent: {
        states: () =>
          states.flatMap((s) => (s.roomId === roomId ? [{ state: s.state, t: s.t + offset }] : [])),
        customerFinals: () =>
          transcripts.filter((t) => t.roomId === roomId && t.speaker === 'customer' && t.final),
      },
      log,
    });
    await page.click('#leave');
    const conversation = summarize(scored);
    log('conversation measured', { turns: scored.length });
    const callMetrics = metrics.filter((m) => m.roomId === roomId);
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return round(sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN);
    };
    const idle = () =>
      pollUntil(
        async () => app.server.gateway.workers.reduce((n, w) => n + w.active, 0),
        (active) => active === 0,
        { timeoutMs: 20_000, what: 'every agent session to end' },
      ).then(() => undefined);

    // 2. memory: busy concurrent calls, repeated; then 20 short calls
    const ordinary = plan
      .flatMap((t, i) => (t.kind === 'ordinary' ? [pcm[i] as Int16Array] : []))
      .slice(0, 3);
    const memory = await measureSessionMemory({
      context: browser.context,
      call: (p) => call(p, pageUrl),
      pid,
      concurrent: CONCURRENT,
      repeats: MEMORY_REPEATS,
      utterances: ordinary,
      idle,
    });
    log('busy sessions measured', memory);

    await idle();
    await sleep(2_000);
    const rssBeforeShort = rssMb(pid);
    for (let i = 0; i < SHORT_CALLS; i++) {
      await call(page, pageUrl);
      await pollUntil(
        () => readInboundAudio(page),
        (s) => s.packetsReceived > 25,
        { timeoutMs: 30_000, what: `short call ${i + 1}: the greeting` },
      );
      await page.click('#leave');
      if ((i + 1) % 5 === 0) log('short calls', { done: i + 1, of: SHORT_CALLS, rssMb: rssMb(pid) });
    }
    await idle();
    await sleep(3_000);
    const rssAfterShort = rssMb(pid);

    const result = {
      ...conversation.headline,
      rss_per_busy_session_mb: memory,
      stages_ms: {
        eou: median(callMetrics.map((m) => m.eouMs)),
        asr_final: median(callMetrics.map((m) => m.asrFinalMs)),
        dialog_first_token: median(callMetrics.map((m) => m.dialogFirstTokenMs)),
        tts_first_audio: median(callMetrics.map((m) => m.ttsFirstAudioMs)),
        agent_side_voice_to_voice: median(callMetrics.map((m) => m.voiceToVoiceMs)),
      },
      rss_mb: {
        worker_start: rssAtStart,
        before_short_calls: rssBeforeShort,
        after_short_calls: rssAfterShort,
        short_calls: SHORT_CALLS,
        delta_after_short_calls: round(rssAfterShort - rssBeforeShort),
      },
      load_average: { before: loadBefore, after: loadavg().map(round) },
      per_voice: conversation.perVoice,
      per_turn: scored,
    };
    await writeBenchResult(RESULTS, result, ['per_turn', 'per_voice']);
  } catch (error) {
    log('failed', { error: String(error), agentOutput: app.agentOutput().slice(-3000) });
    throw error;
  } finally {
    await browser.close();
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
