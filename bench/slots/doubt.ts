/**
 * `npm run bench:slots:doubt -- [bench/results/slots.json]`: a bench:slots run's address answers read again (no
 * decoding) for the dialog's house number check (houseNumberDoubt.ts), so a run of any code can be scored by this
 * checkout's dialog. One JSON line on stdout.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import { Nlu } from '@voiceroom/agent-core/nlu';
import { runBench } from '../benchResult.ts';
import { type HeardAnswer, houseNumberDoubt } from './houseNumberDoubt.ts';

async function main(): Promise<void> {
  const file = process.argv[2] ?? 'bench/results/slots.json';
  const run = JSON.parse(await readFile(file, 'utf8')) as { seed: number; per_case: HeardAnswer[] };
  const config = loadAgentFile(DEFAULT_AGENT_FILE);
  const nlu = new Nlu({ menu: config.menu.items, knowledge: config.knowledge });
  process.stdout.write(
    `${JSON.stringify({ file, seed: run.seed, ...houseNumberDoubt(nlu, run.per_case) })}\n`,
  );
}

runBench(main);
