/**
 * Builds the customer call page (client/) with Vite's build API into a temp folder and serves it on an ephemeral
 * loopback port, so browser tests and benchmarks load exactly what production serves from client/dist.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'client');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export interface ClientPage {
  /** Origin the page is served from. */
  readonly origin: string;
  /** The call page URL with query parameters (server, token, room, agent). */
  url(params: Record<string, string>): string;
  close(): Promise<void>;
}

/** Builds the call page into `outDir` (a fresh temp folder by default) and returns that folder. */
export async function buildClientPage(outDir?: string): Promise<string> {
  const dir = outDir ?? (await mkdtemp(path.join(tmpdir(), 'voiceroom-client-')));
  await build({
    root: CLIENT_DIR,
    configFile: path.join(CLIENT_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true, sourcemap: false },
  });
  return dir;
}

export async function serveClientPage(): Promise<ClientPage> {
  const outDir = await buildClientPage();
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(outDir, pathname === '/' ? 'index.html' : pathname);
    const info = file.startsWith(outDir) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (params) => `${origin}/?${new URLSearchParams(params).toString()}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
