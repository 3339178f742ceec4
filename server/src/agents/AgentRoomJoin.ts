import { AgentLinkEvents, type ReceiveStream } from '@voiceroom/protocol';
import type { Logger } from '../log.ts';
import type { AgentMediaLink, AgentReceiveStream } from '../media/AgentMediaLink.ts';
import type { RoomRegistry } from '../media/RoomRegistry.ts';
import { untilReceiving } from './untilReceiving.ts';
import type { AgentSession } from './workerLink.ts';

export interface AgentRoomJoinOptions {
  rooms: Pick<RoomRegistry, 'get'>;
  logger: Logger;
  /** How long the agent waits for the customer's client to start receiving it before it speaks anyway. */
  greetingWaitMs: number;
  /** How long a session whose room closed with a rejoin hint waits for the customer to rejoin. */
  rejoinGraceMs: number;
  /** Whether a human has taken the room's call over: an agent joining there starts muted. */
  takenOver(roomId: string): boolean;
  /** The session cannot go on (its join failed, it left the room, its rejoin grace ran out); the worker is told. */
  onEnd(session: AgentSession, reason: string): void;
}

function toReceiveStream(stream: AgentReceiveStream): ReceiveStream {
  const { peerId, role, audience, payloadType, ssrc } = stream;
  return { peerId, role, audience, payloadType, ssrc };
}

/**
 * A session's agent in its room. In a mediasoup room it joins over a PlainTransport and the worker learns where to
 * send; in a LiveKit room the worker joined by itself. A mediasoup room closed with a rejoin hint (its mediasoup worker died) suspends the session instead of ending it; when the customer
 * rejoins, the same agent (pipeline, conversation) joins the new room.
 */
export class AgentRoomJoin {
  readonly #options: AgentRoomJoinOptions;

  constructor(options: AgentRoomJoinOptions) {
    this.#options = options;
  }

  /** The agent joins the session's room (again, after a resume) and the worker learns where to send. */
  async join(session: AgentSession): Promise<void> {
    const { rooms, logger: log } = this.#options;
    const room = rooms.get(session.roomId);
    const rtpTarget = session.accepted && 'rtp' in session.accepted ? session.accepted.rtp : undefined;
    let link: AgentMediaLink;
    try {
      if (!room || room.closed || !rtpTarget) throw new Error('the room closed during dispatch');
      link = await room.connectAgent({
        peerId: `agent-${session.id}`,
        displayName: session.displayName,
        rtpTarget,
      });
    } catch (error) {
      log.error({ err: error, sessionId: session.id }, 'the agent could not join the room');
      this.#options.onEnd(session, 'join_failed');
      return;
    }
    if (session.ended) {
      link.close('session_ended');
      return;
    }
    session.link = link;
    link.on('close', (reason) => {
      if (room.rejoinExpected) this.#suspend(session, reason);
      else this.#options.onEnd(session, `agent_left:${reason}`);
    });
    await untilReceiving(room, session.customerPeerId, link.producerId, this.#options.greetingWaitMs);
    if (session.ended) return;
    const socket = session.worker.socket;
    link.on('consumer', (stream) =>
      socket.emit(AgentLinkEvents.streamAdded, { sessionId: session.id, stream: toReceiveStream(stream) }),
    );
    link.on('consumerclosed', ({ ssrc }) =>
      socket.emit(AgentLinkEvents.streamRemoved, { sessionId: session.id, ssrc }),
    );
    socket.emit(AgentLinkEvents.media, {
      sessionId: session.id,
      ingest: link.ingest,
      send: link.send,
      receive: link.receive.map(toReceiveStream),
    });
    if (this.#options.takenOver(session.roomId)) {
      socket.emit(AgentLinkEvents.takeover, { sessionId: session.id, active: true });
      await link.pauseSending();
    }
    log.info(
      { sessionId: session.id, roomId: session.roomId, workerId: session.worker.id },
      'agent joined the call',
    );
  }

  /** The worker joined the LiveKit room itself: the session is live; a takeover already running mutes it. */
  joinedLiveKit(session: AgentSession): void {
    session.joinedLiveKit = true;
    if (this.#options.takenOver(session.roomId)) {
      session.worker.socket.emit(AgentLinkEvents.takeover, { sessionId: session.id, active: true });
    }
    this.#options.logger.info(
      { sessionId: session.id, roomId: session.roomId, workerId: session.worker.id, transport: 'livekit' },
      'agent joining the call',
    );
  }

  /** The customer rejoined a suspended session's room: the same agent joins it (a second `session.media`). */
  async resume(session: AgentSession, customerPeerId: string): Promise<void> {
    if (session.suspended) clearTimeout(session.suspended);
    session.suspended = null;
    session.customerPeerId = customerPeerId;
    this.#options.logger.info({ sessionId: session.id, roomId: session.roomId }, 'agent rejoining the call');
    await this.join(session);
  }

  /** The room went away with a rejoin hint: keep the worker's session (its pipeline goes on) for a while. */
  #suspend(session: AgentSession, reason: string): void {
    if (session.ended || session.suspended) return;
    session.link = null;
    const { rejoinGraceMs: graceMs } = this.#options;
    session.suspended = setTimeout(() => this.#options.onEnd(session, 'room_closed'), graceMs);
    session.suspended.unref();
    this.#options.logger.warn(
      { sessionId: session.id, roomId: session.roomId, reason, graceMs },
      'the room closed under the agent; waiting for the customer to rejoin',
    );
  }
}
