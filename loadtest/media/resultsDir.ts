import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the load tools write their JSON: bench/results/ at the repository root. */
export const RESULTS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bench',
  'results',
);
