import { Router } from '@koa/router';
import type { LiveKitWebhooks } from '../../media/livekit/LiveKitWebhooks.ts';
import { HttpError } from '../errors.ts';
import { readRawBody } from '../middleware/jsonBody.ts';

const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * POST /api/livekit/webhook: LiveKit's signed webhooks (Content-Type application/webhook+json, which the JSON body
 * parser leaves alone: the signature covers the raw bytes). 200 {event, applied}; 401 unsigned or badly signed;
 * 409 replayed or stale; 404 when the server is not on LiveKit (`webhooks` undefined).
 */
export function createLiveKitWebhookRouter(webhooks: LiveKitWebhooks | undefined): Router {
  const router = new Router({ prefix: '/api' });
  router.post('/livekit/webhook', async (ctx) => {
    if (!webhooks) {
      throw new HttpError(
        404,
        'livekit_disabled',
        'This server runs on mediasoup (SFU_BACKEND): no LiveKit here.',
      );
    }
    const body = await readRawBody(ctx, MAX_WEBHOOK_BYTES);
    const outcome = await webhooks.handle(body, ctx.get('authorization') || undefined);
    if (!outcome.ok) throw new HttpError(outcome.status, outcome.code, outcome.message);
    ctx.body = { event: outcome.event, applied: outcome.applied };
  });
  return router;
}
