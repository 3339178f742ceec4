import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a benchmark's whole result to `file` and prints one summary line without the bulky per-item keys. */
export async function writeBenchResult(
  file: string,
  result: Record<string, unknown>,
  leaveOut: readonly string[] = ['per_turn'],
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  const summary = Object.fromEntries(Object.entries(result).filter(([key]) => !leaveOut.includes(key)));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Runs a benchmark's main and exits with its outcome (live handles such as rtc-node's would keep Node up). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
