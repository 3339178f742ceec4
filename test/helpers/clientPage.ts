/**
 * Builds a browser page with Vite's build API into a temp folder and serves it on an ephemeral loopback port: the
 * customer call page (client/, exactly what production serves from client/dist) or a test harness page.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface ClientPage {
  /** Origin the page is served from. */
  readonly origin: string;
  /** The call page URL with query parameters (server, token, room, agent). */
  url(params: Record<string, string>): string;
  close(): Promise<void>;
}

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

/** Builds and serves the page in `root` (default: the customer call page). */
export async function serveClientPage(root: string = CLIENT_DIR): Promise<ClientPage> {
  const outDir = await buildPage(root);
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
