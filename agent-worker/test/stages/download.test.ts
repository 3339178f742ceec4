import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadVerified } from '../../src/models/download.ts';
import { installModel, isInstalled } from '../../src/models/installModel.ts';
import type { ModelEntry } from '../../src/models/manifest.ts';

const payload = randomBytes(300_000);
const sha256 = createHash('sha256').update(payload).digest('hex');
let server: Server;
let base: string;
const rangeRequests: string[] = [];
let ignoreRanges = false;
let archive: Buffer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'voiceroom-download-'));
  // A real model-shaped archive: tar.bz2 with a top directory, as sherpa-onnx publishes them.
  const { execFileSync } = await import('node:child_process');
  const src = join(dir, 'src', 'fake-zipformer');
  for (const f of ['encoder.onnx', 'decoder.onnx', 'joiner.onnx', 'tokens.txt']) {
    execFileSync('mkdir', ['-p', src]);
    writeFileSync(join(src, f), f);
  }
  execFileSync('tar', ['-cjf', join(dir, 'fake.tar.bz2'), '-C', join(dir, 'src'), 'fake-zipformer']);
  archive = readFileSync(join(dir, 'fake.tar.bz2'));

  server = createServer((req, res) => {
    const body = req.url === '/fake.tar.bz2' ? archive : payload;
    if (req.url === '/missing') {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !ignoreRanges) {
      rangeRequests.push(req.headers.range as string);
      const start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416).end();
        return;
      }
      res.writeHead(206, {
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('downloadVerified', () => {
  it('downloads a file whose hash matches, reporting progress up to the total', async () => {
    const dest = join(dir, 'good.bin');
    const progress: [number, number | undefined][] = [];
    await downloadVerified({
      url: `${base}/file`,
      dest,
      sha256,
      sizeBytes: payload.length,
      onProgress: (r, t) => progress.push([r, t]),
    });
    expect(readFileSync(dest).equals(payload)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(progress.at(-1)).toEqual([payload.length, payload.length]);
    expect(progress.every(([r], i) => i === 0 || r >= (progress[i - 1]?.[0] ?? 0))).toBe(true);
  });

  it('refuses a file whose hash differs and deletes it', async () => {
    const dest = join(dir, 'bad.bin');
    const error = await downloadVerified({ url: `${base}/file`, dest, sha256: 'f'.repeat(64) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).code).toBe('download_hash_mismatch');
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('resumes a partial download with a Range request and verifies the whole file', async () => {
    const dest = join(dir, 'resumed.bin');
    writeFileSync(`${dest}.part`, payload.subarray(0, 120_000));
    rangeRequests.length = 0;
    const result = await downloadVerified({ url: `${base}/file`, dest, sha256, sizeBytes: payload.length });
    expect(result.resumedFrom).toBe(120_000);
    expect(rangeRequests).toEqual(['bytes=120000-']);
    expect(readFileSync(dest).equals(payload)).toBe(true);
  });

  it('starts over when the server ignores the range', async () => {
    const dest = join(dir, 'restarted.bin');
    writeFileSync(`${dest}.part`, payload.subarray(0, 50_000));
    ignoreRanges = true;
    try {
      const result = await downloadVerified({ url: `${base}/file`, dest, sha256 });
      expect(result.resumedFrom).toBe(0);
      expect(statSync(dest).size).toBe(payload.length);
    } finally {
      ignoreRanges = false;
    }
  });

  it('deletes a corrupted partial file once the completed transfer fails verification', async () => {
    const dest = join(dir, 'corrupt.bin');
    writeFileSync(`${dest}.part`, Buffer.alloc(100_000, 7));
    await expect(
      downloadVerified({ url: `${base}/file`, dest, sha256, sizeBytes: payload.length }),
    ).rejects.toMatchObject({
      code: 'download_hash_mismatch',
    });
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('fails clearly on HTTP errors and unreachable hosts', async () => {
    await expect(downloadVerified({ url: `${base}/missing`, dest: join(dir, 'x'), sha256 })).rejects.toThrow(
      /answered 404/,
    );
    await expect(
      downloadVerified({ url: 'http://127.0.0.1:9/none', dest: join(dir, 'y'), sha256 }),
    ).rejects.toMatchObject({
      code: 'download_failed',
    });
  });
});

describe('installModel', () => {
  it('unpacks a verified archive into models/<name> and checks its layout', async () => {
    const entry: ModelEntry = {
      name: 'fake-zipformer',
      purpose: 'asr',
      kind: 'zipformer-streaming',
      description: 'test',
      licence: 'MIT',
      url: `${base}/fake.tar.bz2`,
      sha256: createHash('sha256').update(archive).digest('hex'),
      sizeBytes: archive.length,
      approxMegabytes: 0,
      archiveRoot: 'fake-zipformer',
    };
    const models = join(dir, 'models');
    expect(isInstalled(entry, models)).toBe(false);
    await installModel(entry, models);
    expect(isInstalled(entry, models)).toBe(true);
    expect(readFileSync(join(models, 'fake-zipformer', 'tokens.txt'), 'utf8')).toBe('tokens.txt');
    expect(existsSync(join(models, '.downloads', 'fake.tar.bz2'))).toBe(false);
  });
});
