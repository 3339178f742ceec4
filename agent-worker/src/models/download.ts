import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CodedError } from '@voiceroom/protocol';

export interface DownloadOptions {
  url: string;
  /** Final path; the transfer goes to `<dest>.part` and is renamed only once verified. */
  dest: string;
  sha256: string;
  sizeBytes?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export class DownloadError extends CodedError<
  'download_failed' | 'download_size_mismatch' | 'download_hash_mismatch'
> {
  constructor(code: DownloadError['code'], message: string) {
    super(code, message);
    this.name = 'DownloadError';
  }
}

/**
 * Downloads `url` to `dest`, resuming a previous `.part` file with an HTTP Range request, and verifies size and
 * sha256 before the file takes its final name. A file that fails verification is deleted.
 */
export async function downloadVerified(options: DownloadOptions): Promise<{ resumedFrom: number }> {
  const part = `${options.dest}.part`;
  let have = await stat(part).then(
    (s) => s.size,
    () => 0,
  );
  if (options.sizeBytes !== undefined && have > options.sizeBytes) {
    await rm(part, { force: true });
    have = 0;
  }
  let response: Response;
  try {
    response = await fetch(options.url, {
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      redirect: 'follow',
      signal: options.signal,
    });
  } catch (error) {
    throw new DownloadError(
      'download_failed',
      `cannot reach ${options.url} (${(error as Error).message}); check the network`,
    );
  }
  if (response.status === 416 && have > 0) {
    // Nothing left to fetch: the partial file is complete (or wrong), verification decides.
    return verifyAndFinish(part, options, await hashFile(part), have);
  }
  if (!response.ok || !response.body) {
    throw new DownloadError('download_failed', `GET ${options.url} answered ${response.status}`);
  }
  // A server that ignores the range sends everything again: start over.
  const resumeFrom = have > 0 && response.status === 206 ? have : 0;
  const hash = resumeFrom > 0 ? await hashFile(part) : createHash('sha256');
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = options.sizeBytes ?? (Number.isFinite(length) ? resumeFrom + length : undefined);
  let received = resumeFrom;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    received += chunk.length;
    options.onProgress?.(received, total);
  });
  await pipeline(body, createWriteStream(part, { flags: resumeFrom > 0 ? 'a' : 'w' }), {
    signal: options.signal,
  });
  return verifyAndFinish(part, options, hash, resumeFrom);
}

async function hashFile(path: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}

async function verifyAndFinish(
  part: string,
  options: DownloadOptions,
  hash: Hash,
  resumedFrom: number,
): Promise<{ resumedFrom: number }> {
  const size = (await stat(part)).size;
  if (options.sizeBytes !== undefined && size !== options.sizeBytes) {
    if (size > options.sizeBytes) await rm(part, { force: true });
    throw new DownloadError(
      'download_size_mismatch',
      `${options.url} gave ${size} bytes, expected ${options.sizeBytes}` +
        (size < options.sizeBytes ? '; run the command again to resume' : '; the partial file was deleted'),
    );
  }
  const digest = hash.digest('hex');
  if (digest !== options.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new DownloadError(
      'download_hash_mismatch',
      `${options.url} has sha256 ${digest}, expected ${options.sha256}; the file was deleted. ` +
        'The published asset changed or the transfer was tampered with: do not use it without checking.',
    );
  }
  await rename(part, options.dest);
  return { resumedFrom };
}
