/**
 * Voice benchmark: `npm run bench:voice`. A real Chromium caller (fake microphone playing a scripted conversation of
 * in-domain utterances synthesized at run time) calls the real agent through the real server and SFU. Measured in
 * the page from WebRTC stats sampled every 10 ms: voice-to-voice (end of the caller's speech -> first agent packet)
 * and barge-in stop (caller starts over the agent -> last agent packet); from the agent's events: WER of its
 * transcripts and its per-stage latencies; from /proc: the agent worker's RSS per concurrent session and after 20
 * calls. Prints one JSON line and writes bench/results/voice.json; progress goes to stderr.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptEvent, TurnMetricsEvent } from '@voiceroom/sdk/protocol';
import type { Page } from 'playwright-core';
import { wordErrorRate } from '../agent-worker/src/stages/stt/wordErrorRate.ts';
import { launchCallBrowser, pollUntil, readInboundAudio } from '../test/helpers/browser.ts';
import {
  agentPacketTimes,
  alignFileToPage,
  analyseTurns,
  buildConversationWav,
  type PlacedUtterance,
  type PlannedUtterance,
  percentile,
  readAudioProbe,
  startAudioProbe,
  utteranceLengths,
} from './voiceScenario.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'voice.json');
const BLOCKS = Number(process.env.VOICE_BLOCKS ?? 5);
const SHORT_CALLS = Number(process.env.VOICE_SHORT_CALLS ?? 20);
const CONCURRENT = Number(process.env.VOICE_CONCURRENT ?? 3);
const GREETING_MS = 12_000;
/** Room for voice-to-voice plus a short reply before the caller speaks again. */
const REPLY_GAP_MS = 7_000;
/** The pizzeria agent's vad.prefixPaddingMs: its speech start includes that much audio before the speech. */
const PREFIX_PADDING_MS = 200;
/** A barge-in starts this long after the end of the question whose (long) answer it talks over. */
const BARGE_AFTER_MS = 2_600;

/** Each block: two ordinary turns, a question with a long answer, and a barge-in over that answer. */
const BLOCK_TEXTS = [
  ["I'd like two large pepperoni pizzas", 'do you deliver', "what's on the menu", 'wait, I want a coke too'],
  [
    'can I get a medium hawaiian pizza',
    'what are your opening hours',
    "what's on the menu",
    'stop, add a garlic bread',
  ],
  ['one small veggie pizza please', 'how long will it take', "what's on the menu", 'hold on, two lemonades'],
  [
    'I want a large margherita pizza',
    'do you have gluten free options',
    "what's on the menu",
    'wait, one caesar salad',
  ],
  [
    'add some chicken wings',
    'how much is a large pepperoni pizza',
    "what's on the menu",
    'actually, make it three cokes',
  ],
];

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: 'voice', msg, ...extra })}\n`);
const round = (n: number) => Math.round(n * 10) / 10;
const median = (values: number[]) => round(percentile(values, 50));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return round(kb / 1024);
}

/** The agent worker process startTestApp spawned (our child running agent-worker/src/main.ts). */
function agentWorkerPid(): number {
  const out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes('agent-worker/src/main.ts'));
  if (!line) throw new Error('agent worker process not found among this process children');
  return Number(line.trim().split(/\s+/)[0]);
}

async function plan(dir: string): Promise<PlannedUtterance[]> {
  const texts = BLOCK_TEXTS.slice(0, BLOCKS).flat();
  const lengths = await utteranceLengths(texts, dir);
  const planned: PlannedUtterance[] = [];
  let t = GREETING_MS;
  texts.forEach((text, i) => {
    planned.push({ text, atMs: t });
    const length = lengths[i] as number;
    const bargeNext = i % 4 === 2;
    t += length + (bargeNext ? BARGE_AFTER_MS : REPLY_GAP_MS);
  });
  return planned;
}

async function call(page: Page, pageUrl: string): Promise<void> {
  await page.goto(pageUrl);
  await startAudioProbe(page);
  await page.click('#call');
  await page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}

async function hangUp(page: Page): Promise<void> {
  await page.click('#leave').catch(() => undefined);
}

/** Transcript finals matched to the utterance they overlap (call time shifted onto the file's timeline). */
function transcriptsPerUtterance(finals: TranscriptEvent[], placed: PlacedUtterance[]): string[] {
  const first = finals[0];
  const texts = placed.map(() => '');
  if (!first) return texts;
  const shift = (placed[0] as PlacedUtterance).startMs - first.startMs;
  for (const t of finals) {
    const mid = (t.startMs + t.endMs) / 2 + shift;
    const index = placed.findIndex((u) => mid >= u.startMs - 700 && mid <= u.endMs + 700);
    if (index >= 0) texts[index] = `${texts[index]} ${t.text}`.trim();
  }
  return texts;
}

/**
 * Cross-check of the page timeline against the agent's own: the greeting's first packet in the page is the agent's
 * first pulled frame (the end time of its first caption), which maps call time onto page time; the agent's caller
 * transcripts then say when its VAD heard each utterance start (prefix padding removed) and end.
 */
function agentHearingLag(
  events: TranscriptEvent[],
  samples: Parameters<typeof analyseTurns>[0],
  placed: PlacedUtterance[],
  fileStart: number,
): { start: number[]; end: number[] } {
  const firstCaption = events.find((t) => t.speaker === 'agent');
  const firstPacket = agentPacketTimes(samples)[0];
  if (!firstCaption || firstPacket === undefined) return { start: [], end: [] };
  const shift = firstPacket - firstCaption.endMs;
  const finals = events.filter((t) => t.speaker === 'customer' && t.final);
  const start: number[] = [];
  const end: number[] = [];
  for (const u of placed) {
    const fileStartPage = fileStart + u.startMs;
    const match = finals.find((t) => Math.abs(t.startMs + PREFIX_PADDING_MS + shift - fileStartPage) < 1500);
    start.push(match ? round(match.startMs + PREFIX_PADDING_MS + shift - fileStartPage) : Number.NaN);
    end.push(match ? round(match.endMs + shift - (fileStart + u.endMs)) : Number.NaN);
  }
  return { start, end };
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const { startTestApp } = await import('../test/helpers/app.ts');
  const { buildClientPage } = await import('../test/helpers/clientPage.ts');
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-voice-'));
  const planned = await plan(workDir);
  const callMs = (planned.at(-1)?.atMs ?? 0) + REPLY_GAP_MS + 3_000;
  const { wav, placed } = await buildConversationWav(planned, callMs + 30_000, workDir);
  log('conversation ready', { utterances: placed.length, callMs });

  // a fresh build of the call page; the last one in client/dist when the client does not build right now
  const clientDir = await buildClientPage(path.join(workDir, 'client')).catch((error: unknown) => {
    log('client build failed, serving client/dist', { error: String(error) });
    return undefined;
  });
  const app = await startTestApp({
    clientDir,
    agent: { pipeline: 'voice', capacity: Math.max(4, CONCURRENT + 1) },
  });
  const pageUrl = `${app.url}/`;
  const pid = agentWorkerPid();
  const rssAtStart = rssMb(pid);
  const transcripts: TranscriptEvent[] = [];
  const metrics: TurnMetricsEvent[] = [];
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  app.server.bus.on('turn.metrics', (m) => {
    metrics.push(m);
  });
  const browser = await launchCallBrowser({ fakeAudioWav: wav });
  try {
    // 1. the scripted conversation
    await call(browser.page, pageUrl);
    const roomId = await pollUntil(
      async () => transcripts.find((t) => t.speaker === 'agent')?.roomId,
      (id) => id !== undefined,
      { timeoutMs: 20_000, what: 'the agent greeting' },
    );
    for (let elapsed = 0; elapsed < callMs; elapsed += 10_000) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, callMs - elapsed)));
      log('conversation', {
        elapsedS: Math.round(Math.min(callMs, elapsed + 10_000) / 1000),
        totalS: callMs / 1000,
      });
    }
    const samples = await readAudioProbe(browser.page);
    await hangUp(browser.page);
    const fileStart = alignFileToPage(samples, placed);
    const turns = analyseTurns(samples, placed, fileStart);
    const v2v = turns.flatMap((t) => (t.voiceToVoiceMs === undefined ? [] : [t.voiceToVoiceMs]));
    const stops = turns.flatMap((t) => (t.bargeInStopMs === undefined ? [] : [t.bargeInStopMs]));
    const customerFinals = transcripts.filter(
      (t) => t.roomId === roomId && t.speaker === 'customer' && t.final,
    );
    const heard = transcriptsPerUtterance(customerFinals, placed);
    const vadLag = agentHearingLag(
      transcripts.filter((t) => t.roomId === roomId),
      samples,
      placed,
      fileStart,
    );
    const wer = wordErrorRate(placed.map((u, i) => ({ reference: u.text, hypothesis: heard[i] ?? '' })));
    const callMetrics = metrics.filter((m) => m.roomId === roomId);
    log('conversation measured', { turns: turns.length, answered: v2v.length, bargeIns: stops.length, wer });

    // 2. memory: after a warm call, K concurrent calls, then 20 short calls
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssWarm = rssMb(pid);
    const extra = await Promise.all(Array.from({ length: CONCURRENT - 1 }, () => browser.context.newPage()));
    const pages = [browser.page, ...extra];
    await Promise.all(pages.map((p) => call(p, pageUrl)));
    await Promise.all(
      pages.map((p) =>
        pollUntil(
          () => readInboundAudio(p),
          (s) => s.packetsReceived > 100,
          {
            timeoutMs: 20_000,
            what: 'the greeting in every concurrent call',
          },
        ),
      ),
    );
    const rssConcurrent = rssMb(pid);
    await Promise.all(pages.map(hangUp));
    await Promise.all(extra.map((p) => p.close()));
    log('concurrent calls measured', { calls: CONCURRENT, rssWarm, rssConcurrent });

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssBeforeShort = rssMb(pid);
    for (let i = 0; i < SHORT_CALLS; i++) {
      await call(browser.page, pageUrl);
      await pollUntil(
        () => readInboundAudio(browser.page),
        (s) => s.packetsReceived > 25,
        {
          timeoutMs: 20_000,
          what: `short call ${i + 1}: the greeting`,
        },
      );
      await hangUp(browser.page);
      if ((i + 1) % 5 === 0) log('short calls', { done: i + 1, of: SHORT_CALLS, rssMb: rssMb(pid) });
    }
    await pollUntil(
      async () => app.server.gateway.workers.reduce((n, w) => n + w.active, 0),
      (active) => active === 0,
      { timeoutMs: 20_000, what: 'every agent session to end' },
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const rssAfterShort = rssMb(pid);

    const result = {
      turns: turns.length,
      answered_turns: v2v.length,
      voice_to_voice_ms: { p50: round(percentile(v2v, 50)), p95: round(percentile(v2v, 95)), n: v2v.length },
      barge_in_stop_ms: {
        p50: round(percentile(stops, 50)),
        p95: round(percentile(stops, 95)),
        n: stops.length,
      },
      wer: Math.round(wer * 1000) / 1000,
      rss_per_session_mb: round((rssConcurrent - rssWarm) / CONCURRENT),
      stages_ms: {
        eou: median(callMetrics.map((m) => m.eouMs)),
        asr_final: median(callMetrics.map((m) => m.asrFinalMs)),
        dialog_first_token: median(callMetrics.map((m) => m.dialogFirstTokenMs)),
        tts_first_audio: median(callMetrics.map((m) => m.ttsFirstAudioMs)),
        agent_side_voice_to_voice: median(callMetrics.map((m) => m.voiceToVoiceMs)),
      },
      rss_mb: {
        worker_start: rssAtStart,
        after_first_call: rssWarm,
        with_concurrent_calls: rssConcurrent,
        before_short_calls: rssBeforeShort,
        after_short_calls: rssAfterShort,
        short_calls: SHORT_CALLS,
        delta_after_short_calls: round(rssAfterShort - rssBeforeShort),
      },
      // Where the agent's VAD put each utterance's start and end, minus where the WAV has them (page clock, via the
      // greeting's first packet): about the uplink latency when the page's timeline is aligned right.
      agent_vad_lag_ms: {
        start: median(vadLag.start.filter(Number.isFinite)),
        end: median(vadLag.end.filter(Number.isFinite)),
      },
      per_turn: turns.map((t, i) => ({
        ...t,
        heard: heard[i],
        vadStartLagMs: vadLag.start[i],
        vadEndLagMs: vadLag.end[i],
      })),
    };
    await mkdir(path.dirname(RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    const { per_turn: _perTurn, ...summary } = result;
    process.stdout.write(`${JSON.stringify(summary)}\n`);
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
