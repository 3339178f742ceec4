import type { SessionDispatch } from '@voiceroom/protocol';
import type { Logger } from '../log.ts';

/** What the gateway needs of a LiveKit backend (LiveKitBackend). */
export interface LiveKitAgentRooms {
  /** The agent that answers in this room (room metadata); null when none, or the room is gone. */
  roomAgent(roomId: string): Promise<string | null>;
  agentCredentials(roomId: string, sessionId: string, name: string): Promise<{ url: string; token: string }>;
  closeRoom(roomId: string, reason: string): Promise<void>;
  /** Server-side mute of the agent's published tracks (takeover), on top of the worker pausing itself. */
  muteAgent(roomId: string, sessionId: string, muted: boolean): Promise<void>;
}

/**
 * The agent gateway's view of calls on LiveKit: which customers are in which room (from the webhooks' participant
 * events; mediasoup rooms list their peers instead), the room's agent, the credentials a dispatch carries, muting and
 * closing. LiveKit's failures are logged here and never thrown at the gateway.
 */
export class LiveKitCalls {
  readonly #rooms: LiveKitAgentRooms;
  readonly #log: Logger;
  readonly #customers = new Map<string, Set<string>>();

  constructor(rooms: LiveKitAgentRooms, log: Logger) {
    this.#rooms = rooms;
    this.#log = log;
  }

  customerJoined(roomId: string, peerId: string): void {
    this.#customers.set(roomId, (this.#customers.get(roomId) ?? new Set<string>()).add(peerId));
  }

  customerLeft(roomId: string, peerId: string): void {
    this.#customers.get(roomId)?.delete(peerId);
  }

  roomClosed(roomId: string): void {
    this.#customers.delete(roomId);
  }

  customerPresent(roomId: string, peerId: string): boolean {
    return this.#customers.get(roomId)?.has(peerId) ?? false;
  }

  agentOf(roomId: string): Promise<string | null> {
    return this.#rooms.roomAgent(roomId).catch((error: unknown) => {
      this.#log.error({ err: error, roomId }, 'LiveKit did not say which agent answers this room');
      return null;
    });
  }

  /** The dispatch's `livekit` part: where and as whom the worker joins; undefined when it could not be minted. */
  async dispatchJoin(
    session: { id: string; roomId: string; customerPeerId: string },
    name: string,
  ): Promise<SessionDispatch['livekit']> {
    try {
      const credentials = await this.#rooms.agentCredentials(session.roomId, session.id, name);
      return { ...credentials, customerIdentity: session.customerPeerId };
    } catch (error) {
      this.#log.error({ err: error, sessionId: session.id }, 'could not mint the agent’s LiveKit token');
      return undefined;
    }
  }

  async muteAgent(roomId: string, sessionId: string, muted: boolean): Promise<void> {
    await this.#rooms
      .muteAgent(roomId, sessionId, muted)
      .catch((error: unknown) =>
        this.#log.error({ err: error, roomId }, 'muting the agent on LiveKit failed'),
      );
  }

  closeRoom(roomId: string, reason: string): void {
    this.#rooms
      .closeRoom(roomId, reason)
      .catch((error: unknown) => this.#log.error({ err: error, roomId }, 'closing the LiveKit room failed'));
  }
}
