import type { RoomRegistry } from '../media/RoomRegistry.ts';
import type { LiveKitCalls } from './LiveKitCalls.ts';

/**
 * The rooms calls run in, whichever the SFU: a mediasoup room lists its peers and knows its agent; on LiveKit both
 * come from LiveKitCalls (the webhooks' participant events, room metadata).
 */
export class CallRooms {
  readonly #rooms: Pick<RoomRegistry, 'get'>;
  readonly #liveKit: LiveKitCalls | undefined;

  constructor(rooms: Pick<RoomRegistry, 'get'>, liveKit: LiveKitCalls | undefined) {
    this.#rooms = rooms;
    this.#liveKit = liveKit;
  }

  customerPresent(roomId: string, customerPeerId: string): boolean {
    if (this.#liveKit) return this.#liveKit.customerPresent(roomId, customerPeerId);
    const room = this.#rooms.get(roomId);
    return room !== undefined && !room.closed && room.peers.some((p) => p.id === customerPeerId);
  }

  /** mediasoup rooms know their agent; a LiveKit room's is in its metadata (null when it is gone). */
  async agentOf(roomId: string): Promise<string | null> {
    if (this.#liveKit) return this.#liveKit.agentOf(roomId);
    const room = this.#rooms.get(roomId);
    return room && !room.closed ? room.agentId : null;
  }

  /** Ends the call: its room closes for good (no rejoin). */
  close(roomId: string, reason: string): void {
    this.#rooms.get(roomId)?.close(reason, false);
    this.#liveKit?.closeRoom(roomId, reason);
  }
}
