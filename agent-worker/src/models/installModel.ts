import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { downloadVerified } from './download.ts';
import type { ModelEntry } from './manifest.ts';
import { ModelLayoutError, resolveModelDir } from './modelLayout.ts';

const run = promisify(execFile);

/** Whether ./models/<name> holds a complete copy of the entry. */
export function isInstalled(entry: ModelEntry, modelsDir: string): boolean {
  const dir = join(modelsDir, entry.name);
  if (entry.kind === 'gguf') return existsSync(join(dir, entry.fileName ?? `${entry.name}.gguf`));
  try {
    resolveModelDir(dir, [entry.kind], entry.kind);
    return true;
  } catch (error) {
    if (error instanceof ModelLayoutError) return false;
    throw error;
  }
}

/** Downloads (resuming), verifies and unpacks one model into `<modelsDir>/<name>`. */
export async function installModel(
  entry: ModelEntry,
  modelsDir: string,
  onProgress?: (received: number, total: number | undefined) => void,
  signal?: AbortSignal,
): Promise<void> {
  const target = join(modelsDir, entry.name);
  const downloads = join(modelsDir, '.downloads');
  await mkdir(downloads, { recursive: true });
  const file = join(downloads, entry.url.split('/').pop() as string);
  if (!existsSync(file)) {
    await downloadVerified({
      url: entry.url,
      dest: file,
      sha256: entry.sha256,
      sizeBytes: entry.sizeBytes,
      onProgress,
      signal,
    });
  }
  await rm(target, { recursive: true, force: true });
  if (entry.kind === 'gguf') {
    await mkdir(target, { recursive: true });
    await rename(file, join(target, entry.fileName ?? `${entry.name}.gguf`));
    return;
  }
  const scratch = await mkdtemp(join(downloads, 'unpack-'));
  try {
    await run('tar', ['-xf', file, '-C', scratch, '--no-same-owner']);
    const root = entry.archiveRoot ? join(scratch, entry.archiveRoot) : scratch;
    await rename(root, target);
    resolveModelDir(target, [entry.kind], entry.kind);
    await rm(file, { force: true });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
