import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { AuthError } from '../../auth/errors.ts';
import { roomRoleForUser, STAFF_ROLES } from '../../auth/roles.ts';
import type { SessionService } from '../../auth/SessionService.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import { MediaError } from '../../media/errors.ts';
import type { LiveKitCopilot, StaffActor } from '../../media/livekit/LiveKitCopilot.ts';
import { HttpError, NotFoundError } from '../errors.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { validateBody, validateParams } from '../validate.ts';
import { RoomParamsSchema } from './rooms.ts';

export const HintBodySchema = z.strictObject({ text: z.string().trim().min(1).max(500) });
export const TakeoverBodySchema = z.strictObject({ active: z.boolean() });

export interface CopilotRouterDeps {
  tokens: TokenService;
  sessions: Pick<SessionService, 'getUser'>;
  /** Undefined on mediasoup, where co-pilot actions go through the /rtc signaling (404 livekit_disabled). */
  copilot: LiveKitCopilot | undefined;
  roomExists: (roomId: string) => Promise<boolean>;
}

/** POST /api/rooms/:roomId/hint and /takeover: co-pilot actions for staff in LiveKit calls (not on our signaling). */
export function createCopilotRouter(deps: CopilotRouterDeps): Router {
  const router = new Router({ prefix: '/api' });
  const staff = requireAuth(deps.tokens, STAFF_ROLES);

  const actorIn = async (
    ctx: Context,
  ): Promise<{ roomId: string; actor: StaffActor; copilot: LiveKitCopilot }> => {
    const { roomId } = validateParams(ctx, RoomParamsSchema);
    const user = await deps.sessions.getUser(authenticatedUser(ctx.state).id);
    if (!user) throw new AuthError('account_disabled');
    const role = roomRoleForUser(user.role);
    if (!role) throw new AuthError('forbidden');
    if (!deps.copilot) {
      throw new HttpError(
        404,
        'livekit_disabled',
        'On mediasoup, co-pilot actions go through the /rtc signaling.',
      );
    }
    if (!(await deps.roomExists(roomId))) throw new NotFoundError(`Room ${roomId}`, 'room_not_found');
    return { roomId, actor: { id: user.id, name: user.displayName, role }, copilot: deps.copilot };
  };

  router.post('/rooms/:roomId/hint', staff, async (ctx) => {
    const { roomId, actor, copilot } = await actorIn(ctx);
    const { text } = validateBody(ctx, HintBodySchema);
    await asHttp(async () => copilot.hint(roomId, actor, text));
    ctx.body = {};
  });

  router.post('/rooms/:roomId/takeover', staff, async (ctx) => {
    const { roomId, actor, copilot } = await actorIn(ctx);
    const { active } = validateBody(ctx, TakeoverBodySchema);
    ctx.body = await asHttp(() => copilot.takeover(roomId, actor, active));
  });

  return router;
}

/** Co-pilot refusals (MediaError forbidden / not_found) as HTTP 403 / 404 with the same code. */
async function asHttp<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof MediaError)) throw error;
    throw new HttpError(error.code === 'forbidden' ? 403 : 404, error.code, error.message);
  }
}
