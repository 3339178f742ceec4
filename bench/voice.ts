/**
 * Voice benchmark: `npm run bench:voice`. A real Chromium caller on the call page talks to the real agent through
 * the real server and SFU: 20 in-domain utterances synthesized at run time, each said when the conversation calls
 * for it (after the agent's answer, or over a long answer for a barge-in). Measured in the page, from WebRTC stats
 * sampled every 10 ms: voice-to-voice (end of the caller's speech -> first agent packet) and barge-in stop (caller
 * starts over the agent -> last agent packet); from the agent's events: WER of its transcripts and its per-stage
 * latencies; from /proc: the agent worker's RSS per concurrent session and after 20 calls. Prints one JSON line
 * and writes bench/results/voice.json; progress goes to stderr. VOICE_BLOCKS (5 blocks of 4 turns),
 * VOICE_CONCURRENT (3) and VOICE_SHORT_CALLS (20) scale it down for a quick look.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentState, TranscriptEvent, TurnMetricsEvent } from '@voiceroom/sdk/protocol';
import type { Page } from 'playwright-core';
import { wordErrorRate } from '../agent-worker/src/stages/stt/wordErrorRate.ts';
import { launchCallBrowser, makeSpeechWav, pollUntil, readInboundAudio } from '../test/helpers/browser.ts';
import { installScriptedMicrophone, say } from './voiceMicrophone.ts';
import {
  agentPacketTimes,
  percentile,
  readAudioProbe,
  startAudioProbe,
  synthesizeCallerSpeech,
} from './voiceScenario.ts';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'voice.json');
const BLOCKS = Number(process.env.VOICE_BLOCKS ?? 5);
const SHORT_CALLS = Number(process.env.VOICE_SHORT_CALLS ?? 20);
const CONCURRENT = Number(process.env.VOICE_CONCURRENT ?? 3);
/** A barge-in starts this long after the agent began its (long) answer. */
const BARGE_AFTER_MS = 1_500;
/** The pizzeria agent's vad.prefixPaddingMs: its speech start includes that much audio before the speech. */
const PREFIX_PADDING_MS = 200;

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

interface Turn {
  text: string;
  bargeIn: boolean;
  startT: number;
  endT: number;
  heard: string;
  voiceToVoiceMs?: number;
  bargeInStopMs?: number;
  vadStartLagMs?: number;
  vadEndLagMs?: number;
}

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ bench: 'voice', msg, ...extra })}\n`);
const round = (n: number) => Math.round(n * 10) / 10;
const median = (values: number[]) => round(percentile(values, 50));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024);
}

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
  const { startTestApp } = await import('../test/helpers/app.ts');
  const { buildClientPage } = await import('../test/helpers/clientPage.ts');
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-voice-'));
  const texts = BLOCK_TEXTS.slice(0, BLOCKS).flat();
  const pcm = await Promise.all(texts.map((t, i) => synthesizeCallerSpeech(t, workDir, i)));
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
  const states: AgentState[] = [];
  app.server.bus.on('transcript', (t) => {
    transcripts.push(t);
  });
  app.server.bus.on('turn.metrics', (m) => {
    metrics.push(m);
  });
  app.server.bus.on('agent.state', ({ state }) => {
    states.push(state);
  });
  const waitFor = <T>(read: () => T, accept: (v: T) => boolean, what: string) =>
    pollUntil(async () => read(), accept, { timeoutMs: 30_000, intervalMs: 20, what });
  const browser = await launchCallBrowser({ fakeAudioWav: unusedWav });
  await installScriptedMicrophone(browser.context);
  try {
    // 1. the conversation
    await call(browser.page, pageUrl);
    const roomId = (
      await waitFor(
        () => transcripts.find((t) => t.speaker === 'agent' && t.final),
        (t) => t !== undefined,
        'the greeting',
      )
    )?.roomId;
    const customerFinals = () =>
      transcripts.filter((t) => t.roomId === roomId && t.speaker === 'customer' && t.final);
    const turns: Turn[] = [];
    for (const [i, text] of texts.entries()) {
      const bargeIn = i % 4 === 3;
      const finalsBefore = customerFinals().length;
      const speakingBefore = states.filter((s) => s === 'speaking').length;
      if (bargeIn) await sleep(BARGE_AFTER_MS);
      const span = await say(browser.page, pcm[i] as Int16Array);
      // the agent answers (speaks) and is done before the next utterance, unless that one barges in
      await waitFor(
        () => states.filter((s) => s === 'speaking').length,
        (n) => n > speakingBefore,
        `an answer to "${text}"`,
      );
      if (i % 4 !== 2)
        await waitFor(
          () => states.at(-1),
          (s) => s === 'listening',
          `the end of the answer to "${text}"`,
        );
      const heard = customerFinals()
        .slice(finalsBefore)
        .map((t) => t.text)
        .join(' ');
      turns.push({ text, bargeIn, ...span, heard });
      log('turn', { turn: i + 1, of: texts.length, text, heard });
    }
    await sleep(500);
    const samples = await readAudioProbe(browser.page);
    await browser.page.click('#leave');
    const packets = agentPacketTimes(samples);
    for (const turn of turns) {
      // a barge-in's answer comes after the silence it made; other turns start from a silent agent
      const answer = packets.find((t) => t > turn.endT + 30);
      if (answer !== undefined) turn.voiceToVoiceMs = round(answer - turn.endT);
      if (turn.bargeIn) {
        const during = packets.filter((t) => t > turn.startT && t <= turn.endT);
        turn.bargeInStopMs = round(during.length === 0 ? 0 : (during.at(-1) as number) - turn.startT);
      }
    }
    // cross-check of the page timeline against the agent's: the greeting's first packet is the agent's first
    // pulled frame (the end time of its first caption); its VAD then says when it heard each utterance
    const events = transcripts.filter((t) => t.roomId === roomId);
    const firstCaption = events.find((t) => t.speaker === 'agent');
    if (firstCaption && packets[0] !== undefined) {
      const shift = packets[0] - firstCaption.endMs;
      const finals = events.filter((t) => t.speaker === 'customer' && t.final);
      for (const turn of turns) {
        const match = finals.find(
          (t) => Math.abs(t.startMs + PREFIX_PADDING_MS + shift - turn.startT) < 1_500,
        );
        if (!match) continue;
        turn.vadStartLagMs = round(match.startMs + PREFIX_PADDING_MS + shift - turn.startT);
        turn.vadEndLagMs = round(match.endMs + shift - turn.endT);
      }
    }
    const v2v = turns.flatMap((t) => (t.voiceToVoiceMs === undefined ? [] : [t.voiceToVoiceMs]));
    const stops = turns.flatMap((t) => (t.bargeInStopMs === undefined ? [] : [t.bargeInStopMs]));
    const wer = wordErrorRate(turns.map((t) => ({ reference: t.text, hypothesis: t.heard })));
    const callMetrics = metrics.filter((m) => m.roomId === roomId);
    log('conversation measured', { turns: turns.length, answered: v2v.length, bargeIns: stops.length, wer });

    // 2. memory: after a warm call, K concurrent calls, then 20 short calls
    await sleep(2_000);
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
            timeoutMs: 30_000,
            what: 'the greeting in every concurrent call',
          },
        ),
      ),
    );
    const rssConcurrent = rssMb(pid);
    await Promise.all(pages.map((p) => p.click('#leave')));
    await Promise.all(extra.map((p) => p.close()));
    log('concurrent calls measured', { calls: CONCURRENT, rssWarm, rssConcurrent });

    await sleep(2_000);
    const rssBeforeShort = rssMb(pid);
    for (let i = 0; i < SHORT_CALLS; i++) {
      await call(browser.page, pageUrl);
      await pollUntil(
        () => readInboundAudio(browser.page),
        (s) => s.packetsReceived > 25,
        {
          timeoutMs: 30_000,
          what: `short call ${i + 1}: the greeting`,
        },
      );
      await browser.page.click('#leave');
      if ((i + 1) % 5 === 0) log('short calls', { done: i + 1, of: SHORT_CALLS, rssMb: rssMb(pid) });
    }
    await pollUntil(
      async () => app.server.gateway.workers.reduce((n, w) => n + w.active, 0),
      (active) => active === 0,
      { timeoutMs: 20_000, what: 'every agent session to end' },
    );
    await sleep(3_000);
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
      // where the agent's VAD put each utterance's start and end minus where the page played them: about the
      // uplink latency when the page timeline is right
      agent_vad_lag_ms: {
        start: median(turns.flatMap((t) => (t.vadStartLagMs === undefined ? [] : [t.vadStartLagMs]))),
        end: median(turns.flatMap((t) => (t.vadEndLagMs === undefined ? [] : [t.vadEndLagMs]))),
      },
      load_average: (await import('node:os')).loadavg().map((l) => round(l)),
      per_turn: turns.map(({ startT: _s, endT: _e, ...t }) => t),
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
