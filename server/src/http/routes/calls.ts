import { Router } from '@koa/router';
import { z } from 'zod';
import { STAFF_ROLES } from '../../auth/roles.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import type { CallQueries } from '../../calls/CallQueries.ts';
import { NotFoundError } from '../errors.ts';
import { requireAuth } from '../middleware/requireAuth.ts';
import { validateParams, validateQuery } from '../validate.ts';

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const CallListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    status: z.enum(['active', 'ended']).optional(),
    outcome: z.enum(['completed', 'abandoned', 'failed']).optional(),
    agentId: z.string().min(1).max(64).optional(),
    extractionStatus: z.enum(['pending', 'running', 'succeeded', 'failed']).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    q: z.string().trim().max(200).optional(),
  })
  .strict();

export const CallParamsSchema = z.object({ callId: z.uuid('not a call id') });

/** GET /api/calls (filters, search, pagination) and GET /api/calls/:callId (transcript, metrics, extraction). */
export function createCallsRouter(deps: { tokens: TokenService; queries: CallQueries }): Router {
  const router = new Router({ prefix: '/api' });
  const staff = requireAuth(deps.tokens, STAFF_ROLES);

  router.get('/calls', staff, async (ctx) => {
    ctx.body = await deps.queries.list(validateQuery(ctx, CallListQuerySchema));
  });

  router.get('/calls/:callId', staff, async (ctx) => {
    const { callId } = validateParams(ctx, CallParamsSchema);
    const call = await deps.queries.get(callId);
    if (!call) throw new NotFoundError(`Call ${callId}`, 'call_not_found');
    ctx.body = call;
  });

  return router;
}
