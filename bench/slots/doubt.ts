/**
 * `npm run bench:slots:doubt -- [bench/results/slots.json]`: a bench:slots run's address answers read again (no
 * decoding) for the dialog's house number check (houseNumberDoubt.ts), so a run of any code can be scored by this
 * checkout's dialog; `by_threshold`: the same counts at other confidence thresholds (0: the n-best alone). One JSON
 * line on stdout.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { Nlu } from '@voiceroom/agent-core/nlu';
import { runBench } from '../benchResult.ts';
import { type HeardAnswer, houseNumberDoubt } from './houseNumberDoubt.ts';

const THRESHOLDS = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.01];

async function main(): Promise<void> {
  const file = process.argv[2] ?? 'bench/results/slots.json';
  const run = JSON.parse(await readFile(file, 'utf8')) as { seed: number; per_case: HeardAnswer[] };
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const nlu = new Nlu({ menu: config.menu.items, knowledge: config.knowledge });
  const by_threshold = Object.fromEntries(
    THRESHOLDS.map((sure) => [sure, houseNumberDoubt(nlu, run.per_case, sure)]),
  );
  process.stdout.write(
    `${JSON.stringify({ file, seed: run.seed, ...houseNumberDoubt(nlu, run.per_case), by_threshold })}\n`,
  );
}

runBench(main);
