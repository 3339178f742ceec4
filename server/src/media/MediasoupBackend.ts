import type { MediaTicket } from '@voiceroom/protocol';
import type { RoomRegistry } from './RoomRegistry.ts';
import type { SfuBackend, SfuParticipant } from './SfuBackend.ts';

/** SfuBackend over this process's mediasoup rooms: a thin view of the RoomRegistry (rooms open on first join). */
export class MediasoupBackend implements SfuBackend {
  readonly kind = 'mediasoup';
  readonly #registry: Pick<RoomRegistry, 'get'>;

  constructor(registry: Pick<RoomRegistry, 'get'>) {
    this.#registry = registry;
  }

  async createRoom(): Promise<void> {}

  async closeRoom(roomId: string, reason: string): Promise<void> {
    this.#registry.get(roomId)?.close(reason);
  }

  async roomExists(roomId: string): Promise<boolean> {
    return this.#registry.get(roomId) !== undefined;
  }

  async listParticipants(roomId: string): Promise<SfuParticipant[]> {
    return (this.#registry.get(roomId)?.peers ?? []).map((peer) => ({
      id: peer.id,
      identity: peer.identity,
      displayName: peer.displayName,
      role: peer.role,
      hidden: peer.grants.hidden,
      tracks: peer.producers.map((p) => (p.appData.audience === 'staff' ? 'whisper' : 'mic')),
    }));
  }

  async mediaTicket(): Promise<MediaTicket> {
    return { backend: 'mediasoup' };
  }
}
