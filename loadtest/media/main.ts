/**
 * `npm run loadtest:media -- --callers N --duration S [--ramp S] [--mode agent|sfu] [--listeners K] [--per-page P]`:
 * real WebRTC callers against the agent (agent mode) or SFU rooms of one speaker and K listeners (sfu mode).
 * Starts its own server and agent worker unless BASE_URL is set. Progress lines go to stderr; the final JSON to
 * stdout and bench/results/media-load-<mode>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runAgentLoad } from './agentLoad.ts';
import { ArgumentError, parseMediaLoadArgs } from './args.ts';
import { RESULTS_DIR } from './resultsDir.ts';
import { runSfuLoad } from './sfuLoad.ts';
import { startStack } from './stack.ts';

async function main(): Promise<void> {
  let args: ReturnType<typeof parseMediaLoadArgs>;
  try {
    args = parseMediaLoadArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    process.stderr.write(`${JSON.stringify({ error: error.code, message: error.message })}\n`);
    process.exit(2);
  }
  let result: unknown;
  if (args.mode === 'sfu') {
    result = await runSfuLoad({
      rooms: args.callers,
      listeners: args.listeners,
      durationS: args.duration,
      rampS: args.ramp,
    });
  } else {
    const stack = await startStack({
      agentCapacity: args.callers + 1,
      existingBaseUrl: process.env.BASE_URL,
    });
    try {
      result = await runAgentLoad(stack, {
        callers: args.callers,
        durationS: args.duration,
        rampS: args.ramp,
        perPage: args.perPage,
      });
    } catch (error) {
      process.stderr.write(`${stack.output().slice(-3000)}\n`);
      throw error;
    } finally {
      await stack.close();
    }
  }
  const file = path.join(RESULTS_DIR, `media-load-${args.mode}.json`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  const { per_caller: _rows, ...summary } = result as Record<string, unknown>;
  process.stdout.write(`${JSON.stringify({ ...summary, written: path.relative(process.cwd(), file) })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
