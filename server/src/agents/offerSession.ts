import {
  type AgentConfig,
  type AgentLinkAck,
  type AgentLinkError,
  AgentLinkEvents,
  MAX_CALLER_JOINED_MS_AGO,
  type SessionAccept,
  SessionAcceptSchema,
  type SessionDispatch,
  type SessionResume,
} from '@voiceroom/protocol';
import type { Socket } from 'socket.io';

export type OfferResult =
  | { ok: true; accept: SessionAccept }
  | { ok: false; reason: AgentLinkError | string };

/**
 * Offers a call to one worker and validates its answer: the worker's UDP address, or why it did not take the call
 * (its refusal, a malformed reply, or no answer within `timeoutMs`). Never throws. `callerJoinedAt`
 * (performance.now() when the caller joined) goes out as how long ago that was, so the worker's recording covers
 * the setup before it started.
 */
export async function offerSession(
  socket: Socket,
  offer: {
    sessionId: string;
    roomId: string;
    agentPeerId: string;
    config: AgentConfig;
    callerJoinedAt?: number;
    resume?: SessionResume | undefined;
    livekit?: SessionDispatch['livekit'];
  },
  timeoutMs: number,
): Promise<OfferResult> {
  const { callerJoinedAt, resume, ...dispatch } = offer;
  const callerJoinedMsAgo =
    callerJoinedAt === undefined
      ? undefined
      : Math.min(MAX_CALLER_JOINED_MS_AGO, Math.max(0, Math.round(performance.now() - callerJoinedAt)));
  try {
    const reply = (await socket.timeout(timeoutMs).emitWithAck(AgentLinkEvents.dispatch, {
      ...dispatch,
      callerJoinedMsAgo,
      ...(resume ? { resume } : {}),
    })) as AgentLinkAck<unknown>;
    if (!reply || typeof reply !== 'object' || !('ok' in reply))
      return { ok: false, reason: 'malformed dispatch reply' };
    if (!reply.ok) return { ok: false, reason: reply.error };
    const accept = SessionAcceptSchema.safeParse(reply.data);
    return accept.success
      ? { ok: true, accept: accept.data }
      : { ok: false, reason: 'invalid reply: neither an rtp address nor transport livekit' };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
