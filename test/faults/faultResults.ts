/**
 * bench/results/faults.json: how long each fault took to recover, one key per fault, written by the fault tests.
 * Several tests (and engineers) own keys in this file: a write merges its key into what is there.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/src/config.ts';

export const FAULTS_JSON = path.join(REPO_ROOT, 'bench', 'results', 'faults.json');

/** Replaces `key` in faults.json, keeping every other key; adds when it was measured and the machine's load. */
export async function recordFault(key: string, figures: Record<string, unknown>): Promise<void> {
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(await readFile(FAULTS_JSON, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  current[key] = { ...figures, measured_at: new Date().toISOString(), load_1m: loadavg()[0] };
  await mkdir(path.dirname(FAULTS_JSON), { recursive: true });
  const temporary = `${FAULTS_JSON}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(current, null, 2)}\n`);
  await rename(temporary, FAULTS_JSON);
}
