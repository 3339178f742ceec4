/**
 * Join-time benchmark: `npm run bench:join`. For each of N runs a listener browser is in a fresh room, then a second
 * browser gets its token and joins; join time = from "token in hand" (the Join click) to the first remote audio
 * packet counted by the listener's inbound-rtp stats (polled every 25 ms). Real mediasoup, real Chromium, real Opus.
 * Prints {"n", "join_ms": {p50, p95, ...}} and writes bench/results/join.json. Progress goes to stderr.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CallBrowser,
  launchCallBrowser,
  makeSpeechWav,
  pollUntil,
  readInboundAudio,
} from '../test/helpers/browser.ts';
import { buildClientPage } from '../test/helpers/clientPage.ts';

const RUNS = Number(process.env.JOIN_RUNS ?? 20);
const POLL_MS = 25;
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'join.json');

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

async function inCall(browser: CallBrowser): Promise<void> {
  await browser.page.waitForSelector('body[data-call-state="connected"]', { timeout: 20_000 });
}

async function main(): Promise<void> {
  // stdout carries only the result line: keep the server's info logs out of it (set LOG_LEVEL to see them).
  process.env.LOG_LEVEL ??= 'warn';
  const { startTestApp } = await import('../test/helpers/app.ts');
  const workDir = await mkdtemp(path.join(tmpdir(), 'voiceroom-bench-join-'));
  const wav = await makeSpeechWav(
    'Hello, I would like to order two large pizzas for delivery, please.',
    workDir,
  );
  // The real server (database, signaling, mediasoup) without an agent worker: only the two browsers are in the room.
  const app = await startTestApp({ clientDir: await buildClientPage(path.join(workDir, 'client')) });
  const callPage = (token: string): string => `${app.url}/?${new URLSearchParams({ token })}`;
  const token = async (room: string, role: 'customer' | 'human_agent', name: string): Promise<string> =>
    (await app.server.tokens.issueRoomToken({ identity: `bench:${name}:${room}`, name, room, role })).token;
  const listener = await launchCallBrowser({ fakeAudioWav: wav });
  const joiner = await launchCallBrowser({ fakeAudioWav: wav });
  const samples: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const room = `bench-join-${Date.now().toString(36)}-${run}`;
      const listenerToken = await token(room, 'human_agent', 'Listener');
      const joinerToken = await token(room, 'customer', 'Caller');
      await listener.page.goto(callPage(listenerToken));
      await joiner.page.goto(callPage(joinerToken));
      await listener.page.click('#call');
      await inCall(listener);
      const start = performance.now();
      await joiner.page.click('#call');
      await pollUntil(
        () => readInboundAudio(listener.page),
        (stats) => stats.packetsReceived > 0,
        { timeoutMs: 15_000, intervalMs: POLL_MS, what: `run ${run}: first audio packet at the listener` },
      );
      const joinMs = performance.now() - start;
      samples.push(joinMs);
      process.stderr.write(`join ${run + 1}/${RUNS}: ${round(joinMs)} ms\n`);
      await Promise.all([joiner.page.click('#leave'), listener.page.click('#leave')]);
    }
  } finally {
    await Promise.all([listener.close(), joiner.close()]);
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const result = {
    n: samples.length,
    join_ms: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      min: round(sorted[0] ?? Number.NaN),
      max: round(sorted.at(-1) ?? Number.NaN),
      mean: round(samples.reduce((sum, ms) => sum + ms, 0) / samples.length),
    },
    measured:
      'Join click with token in hand -> first inbound-rtp audio packet at the other browser (25 ms polling)',
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

await main();
