import { Router } from '@koa/router';
import { z } from 'zod';
import { AuthError } from '../../auth/errors.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import { recordAudit } from '../../calls/auditLog.ts';
import type { MikroORM } from '../../db/orm.ts';
import type { RecordingStore } from '../../recordings/RecordingStore.ts';
import { HttpError, NotFoundError } from '../errors.ts';
import { authenticatedUser, bearerToken, requireAuth } from '../middleware/requireAuth.ts';
import { validateParams } from '../validate.ts';
import { CallParamsSchema } from './calls.ts';

const RoomParamsSchema = z.object({ roomId: z.string().min(1).max(128) });

/** Who may listen to recordings: never a human_agent on their own. */
export const RECORDING_ROLES = ['supervisor', 'admin'] as const;

export interface RecordingsRouterDeps {
  tokens: TokenService;
  /** Verifies agent workers' service tokens (revocations applied). */
  serviceTokens: Pick<TokenService, 'verifyServiceToken'>;
  orm: MikroORM;
  /** Undefined when RECORDING_KEYS is not set: recordings are refused. */
  store: RecordingStore | undefined;
}

/**
 * PUT /api/recordings/rooms/:roomId: an agent worker (service token) stores the Ogg Opus recording of the room's
 * latest call, encrypted. GET /api/calls/:callId/recording: supervisors and admins download it, decrypted as a
 * stream; every download is audit-logged (recording.download).
 */
export function createRecordingsRouter(deps: RecordingsRouterDeps): Router {
  const router = new Router({ prefix: '/api' });

  router.put('/recordings/rooms/:roomId', async (ctx) => {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw new AuthError('token_missing');
    const service = await deps.serviceTokens.verifyServiceToken(token);
    const store = deps.store;
    if (!store) {
      throw new HttpError(
        409,
        'recording_not_configured',
        'This server keeps no recordings: set RECORDING_KEYS (and RECORDING_KEY_ID) to enable them.',
      );
    }
    const { roomId } = validateParams(ctx, RoomParamsSchema);
    const em = deps.orm.em.fork();
    const [call] = await em.execute<{ id: string }[]>(
      'select id from calls where room_id = ? order by started_at desc limit 1',
      [roomId],
    );
    if (!call) throw new NotFoundError(`A call in room ${roomId}`, 'call_not_found');
    const bytes = await store.save(call.id, ctx.req);
    await recordAudit(em, {
      actor: { id: service.name, role: 'service' },
      action: 'recording.store',
      targetType: 'call',
      targetId: call.id,
      details: { bytes },
    });
    ctx.status = 204;
  });

  router.get('/calls/:callId/recording', requireAuth(deps.tokens, RECORDING_ROLES), async (ctx) => {
    const { callId } = validateParams(ctx, CallParamsSchema);
    const store = deps.store;
    if (!store || !(await store.has(callId)))
      throw new NotFoundError(`The recording of call ${callId}`, 'recording_not_found');
    await store.checkKey(callId);
    const user = authenticatedUser(ctx.state);
    await recordAudit(deps.orm.em.fork(), {
      actor: { id: user.id, role: user.role },
      action: 'recording.download',
      targetType: 'call',
      targetId: callId,
    });
    ctx.type = 'audio/ogg';
    ctx.set('content-disposition', `attachment; filename="call-${callId}.ogg"`);
    ctx.set('cache-control', 'no-store');
    ctx.body = store.open(callId);
  });

  return router;
}
