import { Router } from '@koa/router';
import { grantsForRole, type MediaTicket } from '@voiceroom/protocol';
import { z } from 'zod';
import { AuthError } from '../../auth/errors.ts';
import { roomRoleForUser, STAFF_ROLES } from '../../auth/roles.ts';
import type { SessionService } from '../../auth/SessionService.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import type { MediaTicketRequest } from '../../media/SfuBackend.ts';
import { NotFoundError } from '../errors.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { type RateLimiter, rateLimit } from '../rateLimit.ts';
import { validateBody, validateParams } from '../validate.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (at most 64)');

export const RoomParamsSchema = z.object({
  roomId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'not a room id'),
});
export const RoomTokenBodySchema = z.object({ listenOnly: z.boolean().optional() }).strict();
export const StartCallBodySchema = z
  .object({
    agentId: id.optional(),
    displayName: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

export interface StartCallRequest {
  agentId?: string;
  displayName?: string;
}

export interface StartedCall {
  callId: string;
  roomId: string;
  /** The agent that will answer (after defaults were applied), if any. */
  agentId?: string | null;
}

/** WebRTC ICE servers handed to browsers with their room token (STUN/TURN); empty on a LAN or loopback. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface RoomsRouterDeps {
  tokens: TokenService;
  sessions: SessionService;
  /** Starts a call for a customer: creates the call record and room, dispatches the AI agent. */
  startCall: (request: StartCallRequest) => Promise<StartedCall>;
  /** Per client address. */
  callLimiter: RateLimiter;
  /** Every address together: a cap on how fast rooms can be created at all. */
  globalCallLimiter: RateLimiter;
  /** When given, staff tokens are only issued for rooms that exist (404 room_not_found otherwise). */
  roomExists?: (roomId: string) => boolean | Promise<boolean>;
  iceServers?: IceServer[];
  /** How the participant's client reaches the media (SFU_BACKEND); default mediasoup through our signaling. */
  mediaTicket?: (request: MediaTicketRequest) => Promise<MediaTicket>;
}

/** POST /api/rooms/:roomId/token (staff joining a live call) and POST /api/calls (a customer starting a call). */
export function createRoomsRouter(deps: RoomsRouterDeps): Router {
  const router = new Router({ prefix: '/api' });
  const iceServers = deps.iceServers ?? [];
  const mediaTicket =
    deps.mediaTicket ?? ((): Promise<MediaTicket> => Promise.resolve({ backend: 'mediasoup' }));

  router.post('/rooms/:roomId/token', requireAuth(deps.tokens, STAFF_ROLES), async (ctx) => {
    const { roomId } = validateParams(ctx, RoomParamsSchema);
    const { listenOnly } = validateBody(ctx, RoomTokenBodySchema);
    const caller = authenticatedUser(ctx.state);
    // The account's current role and status, not the access token's claim (it may predate a demotion).
    const user = await deps.sessions.getUser(caller.id);
    if (!user) throw new AuthError('account_disabled');
    const role = roomRoleForUser(user.role);
    if (!role) throw new AuthError('forbidden');
    if (deps.roomExists && !(await deps.roomExists(roomId)))
      throw new NotFoundError(`Room ${roomId}`, 'room_not_found');
    const issued = await deps.tokens.issueRoomToken({
      identity: user.id,
      name: user.displayName,
      room: roomId,
      role,
      listenOnly: listenOnly ?? false,
    });
    const grants = grantsForRole(role, { listenOnly: listenOnly ?? false });
    const media = await mediaTicket({
      roomId,
      identity: user.id,
      name: user.displayName,
      role,
      listenOnly: listenOnly ?? false,
    });
    ctx.body = { roomId, token: issued.token, expiresIn: issued.expiresIn, role, grants, iceServers, media };
  });

  const globalBudget = rateLimit(deps.globalCallLimiter, {
    keyOf: () => 'all',
    code: 'call_budget_exhausted',
    message: 'The service is taking too many new calls right now',
  });
  router.post('/calls', rateLimit(deps.callLimiter), globalBudget, async (ctx) => {
    const body = validateBody(ctx, StartCallBodySchema);
    const call = await deps.startCall(body);
    const identity = `customer:${call.callId}`;
    const name = body.displayName ?? 'Customer';
    const issued = await deps.tokens.issueRoomToken({
      identity,
      name,
      room: call.roomId,
      role: 'customer',
      agentId: call.agentId ?? body.agentId ?? null,
    });
    const media = await mediaTicket({ roomId: call.roomId, identity, name, role: 'customer' });
    ctx.status = 201;
    ctx.body = {
      callId: call.callId,
      roomId: call.roomId,
      token: issued.token,
      expiresIn: issued.expiresIn,
      iceServers,
      media,
    };
  });

  return router;
}
