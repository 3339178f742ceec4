/**
 * Agent mode: N virtual callers (real WebRTC in headless Chromium) each in its own call with the AI agent, joining
 * over the ramp, talking turn by turn for the duration. Prints a progress line every few seconds and returns the
 * run's summary with a row per caller.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { synthesizeCallerSpeech } from '../../bench/voiceScenario.ts';
import { CallerBrowser } from './CallerBrowser.ts';
import { agentTurnProfile, lastTurnMetricId } from './db.ts';
import type { CallerRow } from './page/VirtualCaller.ts';
import { groupRss, openCpuWindow, processGroups } from './processCpu.ts';
import type { Stack } from './stack.ts';
import { pooledLoss, summarize } from './summary.ts';

/** In-domain utterances for the pizzeria agent, said in turn (each caller starts at a different one). */
const UTTERANCES = [
  "I'd like two large pepperoni pizzas",
  'do you deliver',
  'can I get a medium hawaiian pizza',
  'what are your opening hours',
  'add some chicken wings',
  'how long will it take',
];
const PROGRESS_EVERY_MS = 5_000;

export interface AgentLoadOptions {
  callers: number;
  durationS: number;
  rampS: number;
  perPage: number;
}

const log = (line: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ loadtest: 'media', ...line })}\n`);
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let speechCache: Promise<Int16Array[]> | undefined;
/** The utterances, synthesized once per process. */
export function callerSpeech(): Promise<Int16Array[]> {
  speechCache ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'voiceroom-load-speech-'));
    try {
      return await Promise.all(UTTERANCES.map((t, i) => synthesizeCallerSpeech(t, dir, i)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return speechCache;
}

/** What one progress line and the final summary say about a set of caller rows. */
export function summarizeCallers(rows: CallerRow[]) {
  const v2v = rows.flatMap((r) => r.v2vMs);
  const turns = rows.reduce((n, r) => n + r.turns, 0);
  const answered = rows.reduce((n, r) => n + r.answered, 0);
  const count = (state: CallerRow['state']) => rows.filter((r) => r.state === state).length;
  return {
    callers: rows.length,
    joined: rows.filter((r) => r.joinMs !== null).length,
    in_call: count('greeting') + count('talking'),
    done: count('done'),
    failed: count('failed'),
    turns,
    answered,
    answered_ratio: turns === 0 ? 0 : round3(answered / turns),
    v2v_ms: summarize(v2v),
    errors: rows.reduce((n, r) => n + r.errors.length, 0),
  };
}

export async function runAgentLoad(stack: Stack, options: AgentLoadOptions) {
  const speech = await callerSpeech();
  const browser = await CallerBrowser.launch(stack.baseUrl, speech);
  const t0 = performance.now();
  const elapsed = () => Math.round((performance.now() - t0) / 100) / 10;
  let rows: CallerRow[] = [];
  const progress = setInterval(() => {
    browser
      .rows()
      .then((r) => {
        rows = r;
        const s = summarizeCallers(r);
        log({
          t_s: elapsed(),
          ...s,
          v2v_ms: s.v2v_ms && { p50: s.v2v_ms.p50, p95: s.v2v_ms.p95 },
          load: loadavg()[0],
        });
      })
      .catch(() => undefined);
  }, PROGRESS_EVERY_MS);
  try {
    const groups = processGroups(stack);
    const turnsBefore = stack.dbName ? await lastTurnMetricId(stack.dbName).catch(() => 0) : 0;
    const rssIdle = groups && groupRss(groups);
    const pages = Math.ceil(options.callers / options.perPage);
    for (let p = 0; p < pages; p++) await browser.openPage();
    const gapMs = options.callers > 1 ? (options.rampS * 1000) / (options.callers - 1) : 0;
    for (let id = 0; id < options.callers; id++) {
      await browser.startCaller(id % pages, id, options.durationS * 1000);
      if (id < options.callers - 1) await sleep(gapMs);
    }
    // the steady window: every caller has had time to join and hear the greeting, none has left yet
    const settleMs = Math.min(10_000, (options.durationS * 1000) / 3);
    await sleep(settleMs);
    const steadyGroups = processGroups(stack);
    const cpu = steadyGroups && openCpuWindow(steadyGroups);
    await sleep(Math.max(1_000, options.durationS * 1000 - settleMs - 5_000));
    const cpuPercent = cpu?.stop();
    const rssLoaded = steadyGroups && groupRss(steadyGroups);
    rows = await browser.finished();
    const agentProfile = stack.dbName
      ? await agentTurnProfile(stack.dbName, turnsBefore).catch(() => null)
      : null;
    const s = summarizeCallers(rows);
    log({
      t_s: elapsed(),
      msg: 'finished',
      ...s,
      v2v_ms: s.v2v_ms && { p50: s.v2v_ms.p50, p95: s.v2v_ms.p95 },
    });
    return {
      mode: 'agent' as const,
      ...options,
      ...s,
      // a call's first answer is slower than the rest (the agent's first end-of-utterance, see agent_stage_ms)
      v2v_ms_after_first_turn: summarize(rows.flatMap((r) => r.v2vMs.slice(1))),
      join_ms: summarize(rows.flatMap((r) => (r.joinMs === null ? [] : [r.joinMs]))),
      first_audio_ms: summarize(rows.flatMap((r) => (r.firstAudioMs === null ? [] : [r.firstAudioMs]))),
      downlink_loss: round3(
        pooledLoss(rows.map((r) => ({ received: r.packetsReceived, lost: r.packetsLost }))),
      ),
      uplink_loss: round3(
        pooledLoss(
          rows.map((r) => ({ received: r.packetsSent - r.uplinkPacketsLost, lost: r.uplinkPacketsLost })),
        ),
      ),
      jitter_ms: summarize(rows.flatMap((r) => (r.jitterMs === null ? [] : [r.jitterMs]))),
      packets: {
        sent: rows.reduce((n, r) => n + r.packetsSent, 0),
        received: rows.reduce((n, r) => n + r.packetsReceived, 0),
      },
      cpu_percent_of_core: cpuPercent ?? null,
      // the agent's own stage timings (median ms) from its turn metrics: where the voice-to-voice time goes
      agent_stage_ms: agentProfile,
      rss_mb: rssIdle && rssLoaded ? { before: rssIdle, loaded: rssLoaded } : null,
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
      first_errors: rows.flatMap((r) => r.errors.map((e) => `caller ${r.id}: ${e}`)).slice(0, 20),
      console_errors: browser.consoleErrors.slice(-10),
      per_caller: rows,
    };
  } finally {
    clearInterval(progress);
    await browser.close();
  }
}
