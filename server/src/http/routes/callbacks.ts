import { Router } from '@koa/router';
import { z } from 'zod';
import { STAFF_ROLES } from '../../auth/roles.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import { recordAudit } from '../../calls/auditLog.ts';
import { closeCallback, listCallbacks } from '../../calls/callbackRequests.ts';
import type { MikroORM } from '../../db/orm.ts';
import { NotFoundError } from '../errors.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { validateParams, validateQuery } from '../validate.ts';

export const CallbackListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    status: z.enum(['open', 'done']).optional(),
  })
  .strict();

export const CallbackParamsSchema = z.object({ callbackId: z.uuid('not a callback id') });

/**
 * GET /api/callbacks (staff): callers who agreed to be called back, newest first; POST /api/callbacks/:id/done marks
 * one called back (audit-logged).
 */
export function createCallbacksRouter(deps: { tokens: TokenService; orm: MikroORM }): Router {
  const router = new Router({ prefix: '/api' });
  const staff = requireAuth(deps.tokens, STAFF_ROLES);

  router.get('/callbacks', staff, async (ctx) => {
    ctx.body = await listCallbacks(deps.orm.em.fork(), validateQuery(ctx, CallbackListQuerySchema));
  });

  router.post('/callbacks/:callbackId/done', staff, async (ctx) => {
    const { callbackId } = validateParams(ctx, CallbackParamsSchema);
    const user = authenticatedUser(ctx.state);
    const callback = await deps.orm.em.fork().transactional(async (em) => {
      const closed = await closeCallback(em, callbackId);
      if (closed)
        await recordAudit(em, {
          actor: { id: user.id, role: user.role },
          action: 'callback.done',
          targetType: 'call',
          targetId: closed.callId,
          details: { callbackId },
        });
      return closed;
    });
    if (!callback) throw new NotFoundError(`Callback request ${callbackId}`, 'callback_not_found');
    ctx.body = callback;
  });

  return router;
}
