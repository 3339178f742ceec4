/**
 * Memory of the PocketSphinx recogniser per call, offline: `npm run bench:grammar-memory -- [--calls N]` (default
 * 4). For each grammar slot set (the default, and the default without the spelling grammar of the name slot), a
 * process of its own builds the pizzeria agent's recogniser as the agent worker does and opens N calls at once; each
 * call decodes an utterance while the agent waits for an open answer, then one at the name question, then one at the
 * phone question. RSS per call is (RSS with the N calls - RSS with the recogniser built and no call) / N, at each
 * question. switch_ms: expect(slot) -> the stream's chain done with what the new slot needs (loading its grammar),
 * per call; at the first question it includes the call's setup (its decoders taken or built).
 * Writes bench/results/grammar-memory.json; one summary line on stdout.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { SttExpectation, SttStream } from '@voiceroom/agent-core/stages';
import type { GrammarSlot } from '../agent-worker/src/stages/stt/grammar/slotGrammars.ts';
import {
  DEFAULT_GRAMMAR_SLOTS,
  PocketSphinxStt,
} from '../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { runBench, writeBenchResult } from './benchResult.ts';
import { spread } from './spread.ts';

const FILE = fileURLToPath(import.meta.url);
const RESULTS = path.join(path.dirname(FILE), 'results', 'grammar-memory.json');
const round = (n: number) => Math.round(n * 10) / 10;

function rssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** Ends an utterance (of `pcm`, or none) and waits for its final: the stream's chain has run everything before. */
async function final(stream: SttStream, pcm?: Int16Array): Promise<void> {
  const events = stream[Symbol.asyncIterator]();
  if (pcm) stream.pushAudio(pcm);
  stream.endUtterance();
  for (let r = await events.next(); !r.done; r = await events.next()) if (r.value.type === 'final') return;
}

/** One process: N calls on one recogniser with `slots`; prints its figures as JSON. */
async function measure(slots: readonly GrammarSlot[], calls: number): Promise<void> {
  const stt = await PocketSphinxStt.create({
    domain: loadAgentFile(DEFAULT_AGENT_FILE),
    grammarSlots: slots,
  });
  const baseline = rssMb();
  const streams = Array.from({ length: calls }, () => stt.createStream());
  // a second of low noise: the decoders decode it without finding words
  const speech = Int16Array.from({ length: 16_000 }, (_, i) => ((i * 7919) % 61) - 30);
  const perCall = () => round((rssMb() - baseline) / calls);
  const at = async (slot: SttExpectation) => {
    const switchMs = await Promise.all(
      streams.map(async (stream) => {
        const started = performance.now();
        stream.expect?.(slot);
        await final(stream);
        return performance.now() - started;
      }),
    );
    await Promise.all(streams.map((stream) => final(stream, speech)));
    return { rss_per_call_mb: perCall(), switch_ms: spread(switchMs) };
  };
  const result = { open: await at('open'), name: await at('name'), phone: await at('phone') };
  for (const stream of streams) stream.close();
  stt.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const calls = Number(option('--calls') ?? 4);
  const child = option('--child');
  if (child !== undefined) return measure(child.split(',') as GrammarSlot[], calls);
  const settings = {
    default: DEFAULT_GRAMMAR_SLOTS,
    without_name: DEFAULT_GRAMMAR_SLOTS.filter((slot) => slot !== 'name'),
  };
  const results = Object.fromEntries(
    Object.entries(settings).map(([label, slots]) => {
      const out = execFileSync(
        process.execPath,
        [FILE, '--child', slots.join(','), '--calls', String(calls)],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      return [label, { grammars: slots, ...JSON.parse(out.trim().split('\n').at(-1) as string) }];
    }),
  );
  await writeBenchResult(RESULTS, { calls, ...results }, []);
}

runBench(main);
