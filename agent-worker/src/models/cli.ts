import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultModelsDir } from '@voiceroom/agent-core';
import { DownloadError } from './download.ts';
import { installModel, isInstalled } from './installModel.ts';
import { MODEL_MANIFEST, type ModelEntry } from './manifest.ts';

/**
 * `npm run models [-- [--dir DIR] [--list] [name...]]`: downloads, verifies (sha256) and unpacks the recommended
 * models into <dir>/<name> (default VOICEROOM_MODELS_DIR or ./models). Offline it says which models are missing and that the offline stack still runs.
 */
const OFFLINE_STACK =
  'The product runs without them on the offline stack: Silero/energy VAD, PocketSphinx ASR with the ' +
  "agent's own language model, flite/espeak-ng TTS and the scripted dialog policy.";

function formatBar(received: number, total: number | undefined, startedAt: number): string {
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  const rate = received / 1e6 / Math.max(0.001, (performance.now() - startedAt) / 1000);
  if (!total) return `${mb(received)} MB  ${rate.toFixed(1)} MB/s`;
  const width = 30;
  const filled = Math.round((received / total) * width);
  const pct = ((received / total) * 100).toFixed(0).padStart(3);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${pct}% ${mb(received)}/${mb(total)} MB  ${rate.toFixed(1)} MB/s`;
}

function progressPrinter(name: string): (received: number, total: number | undefined) => void {
  const startedAt = performance.now();
  let lastPrint = 0;
  return (received, total) => {
    const now = performance.now();
    if (now - lastPrint < 200 && received !== total) return;
    lastPrint = now;
    const line = `${name} ${formatBar(received, total, startedAt)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else process.stderr.write(`${line}\n`);
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: 'string' }, list: { type: 'boolean', default: false } },
  });
  const modelsDir = values.dir ? resolve(values.dir) : defaultModelsDir();
  const unknown = positionals.filter((n) => !MODEL_MANIFEST.some((e) => e.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown model(s): ${unknown.join(', ')}; known: ${MODEL_MANIFEST.map((e) => e.name).join(', ')}`,
    );
    return 2;
  }
  const wanted =
    positionals.length > 0 ? MODEL_MANIFEST.filter((e) => positionals.includes(e.name)) : MODEL_MANIFEST;
  const missing = wanted.filter((e) => !isInstalled(e, modelsDir));
  for (const e of wanted) {
    const state = missing.includes(e) ? 'missing' : 'installed';
    console.log(
      `${state.padEnd(9)} ${e.name.padEnd(24)} ${e.purpose}  ~${e.approxMegabytes} MB  ${e.description}`,
    );
  }
  if (values.list || missing.length === 0) return 0;

  const failed: { entry: ModelEntry; error: Error }[] = [];
  for (const [i, entry] of missing.entries()) {
    console.log(`downloading ${entry.name} from ${entry.url}`);
    try {
      await installModel(entry, modelsDir, progressPrinter(entry.name));
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`installed ${entry.name} in ${modelsDir}/${entry.name} (sha256 verified)`);
    } catch (error) {
      if (process.stderr.isTTY) process.stderr.write('\n');
      failed.push({ entry, error: error as Error });
      console.error(`${entry.name}: ${(error as Error).message}`);
      if (error instanceof DownloadError && error.code === 'download_failed') {
        // No network: the other downloads would fail the same way.
        for (const rest of missing.slice(i + 1)) failed.push({ entry: rest, error: error as Error });
        break;
      }
    }
  }
  if (failed.length > 0) {
    console.error(`\nnot installed: ${failed.map((f) => f.entry.name).join(', ')}.`);
    console.error(OFFLINE_STACK);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
