/**
 * Builds a browser page with Vite's build API (the customer call page in client/, exactly what production serves from
 * client/dist, or a test harness page) and serves the built files, so tests load pages from the server's own origin.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'client');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Builds the page whose index.html is in `root` into `outDir` (a fresh temp folder by default). */
export async function buildPage(root: string, outDir?: string): Promise<string> {
  const dir = outDir ?? (await mkdtemp(path.join(tmpdir(), 'voiceroom-page-')));
  const configFile = path.join(root, 'vite.config.ts');
  await build({
    root,
    base: './',
    configFile: existsSync(configFile) ? configFile : false,
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true, sourcemap: false },
  });
  return dir;
}

/** Builds the customer call page (client/). */
export function buildClientPage(outDir?: string): Promise<string> {
  return buildPage(CLIENT_DIR, outDir);
}

/** An HTTP handler serving the built files in `dir` (e.g. startMediaServer's `onRequest`). */
export function pageFiles(dir: string): RequestListener {
  const root = path.resolve(dir);
  return async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, pathname === '/' ? 'index.html' : pathname);
    const info = file.startsWith(root + path.sep) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };
}
