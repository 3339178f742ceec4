/**
 * The agent worker's memory per session while sessions are busy: `concurrent` calls each say several utterances
 * (so VAD, ASR decoding, dialog and TTS all run) while the worker's RSS is sampled every 200 ms; per session is the
 * median of those samples minus the RSS with no session just before, divided by the number of calls. Repeated,
 * and reported with n and spread.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { pollUntil, readInboundAudio } from '../test/helpers/browser.ts';
import { say } from './voiceMicrophone.ts';
import { percentile } from './voiceScenario.ts';

const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024);
}

export interface SessionMemoryOptions {
  context: BrowserContext;
  /** Opens the call page in `page` and waits until it is connected. */
  call(page: Page): Promise<void>;
  pid: number;
  concurrent: number;
  repeats: number;
  /** 48 kHz caller utterances each call says in turn. */
  utterances: readonly Int16Array[];
  /** Resolves when no agent session is active. */
  idle(): Promise<void>;
}

export async function measureSessionMemory(options: SessionMemoryOptions) {
  const perSession: number[] = [];
  const samplesPerRepeat: number[] = [];
  for (let r = 0; r < options.repeats; r++) {
    await options.idle();
    await sleep(1_000);
    const baseline = rssMb(options.pid);
    const pages = await Promise.all(
      Array.from({ length: options.concurrent }, () => options.context.newPage()),
    );
    await Promise.all(pages.map((p) => options.call(p)));
    await Promise.all(
      pages.map((p) =>
        pollUntil(
          () => readInboundAudio(p),
          (s) => s.packetsReceived > 100,
          { timeoutMs: 30_000, what: 'the greeting in every concurrent call' },
        ),
      ),
    );
    const samples: number[] = [];
    let talking = true;
    const sampler = (async () => {
      while (talking) {
        samples.push(rssMb(options.pid));
        await sleep(200);
      }
    })();
    // each call says every utterance, leaving the agent time to decode and answer before the next
    await Promise.all(
      pages.map(async (p, i) => {
        for (const [k, pcm] of options.utterances.entries()) {
          await say(p, options.utterances[(k + i) % options.utterances.length] ?? pcm);
          await sleep(2_500);
        }
      }),
    );
    talking = false;
    await sampler;
    await Promise.all(pages.map((p) => p.click('#leave').then(() => p.close())));
    perSession.push(round((percentile(samples, 50) - baseline) / options.concurrent));
    samplesPerRepeat.push(samples.length);
  }
  return {
    n: perSession.length,
    median: round(percentile(perSession, 50)),
    min: Math.min(...perSession),
    max: Math.max(...perSession),
    per_repeat: perSession,
    rss_samples_per_repeat: samplesPerRepeat,
    concurrent_calls: options.concurrent,
    utterances_per_call: options.utterances.length,
  };
}
