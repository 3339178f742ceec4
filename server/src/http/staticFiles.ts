import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Middleware } from 'koa';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.map': 'application/json',
};

/**
 * Serves the built web client (client/dist) for GET/HEAD requests outside /api, /socket.io and the health endpoints.
 * Unknown paths without a file extension fall back to index.html so that client-side routes load the app.
 */
export function staticFiles(root: string, excludedPrefixes: readonly string[]): Middleware {
  const absoluteRoot = path.resolve(root);
  return async (ctx, next) => {
    if (
      (ctx.method !== 'GET' && ctx.method !== 'HEAD') ||
      excludedPrefixes.some((p) => ctx.path.startsWith(p))
    ) {
      return next();
    }
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    let file = path.join(absoluteRoot, path.normalize(relative));
    if (!file.startsWith(absoluteRoot)) return next();
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info && path.extname(relative) === '') {
      file = path.join(absoluteRoot, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return next();
    ctx.type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    ctx.length = info.size;
    ctx.set(
      'cache-control',
      file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    ctx.body = ctx.method === 'HEAD' ? null : createReadStream(file);
  };
}
