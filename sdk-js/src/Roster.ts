import type { Participant, RemoteTrack, RoomEvents } from './types.ts';

type RosterEvents = Pick<
  RoomEvents,
  'participantJoined' | 'participantLeft' | 'trackSubscribed' | 'trackUnsubscribed' | 'trackMuted'
>;
type Emit = <K extends keyof RosterEvents>(event: K, payload: RosterEvents[K]) => void;

/**
 * Who else is in the room and which of their tracks we receive. Pure bookkeeping: every change is announced through
 * `emit`; closing the underlying consumers is the caller's job (`onTrackRemoved`).
 */
export class Roster {
  readonly #participants = new Map<string, Participant>();
  readonly #tracks = new Map<string, RemoteTrack>();
  readonly #emit: Emit;
  readonly #onTrackRemoved: (consumerId: string) => void;

  constructor(emit: Emit, onTrackRemoved: (consumerId: string) => void) {
    this.#emit = emit;
    this.#onTrackRemoved = onTrackRemoved;
  }

  get participants(): ReadonlyMap<string, Participant> {
    return this.#participants;
  }

  get tracks(): ReadonlyMap<string, RemoteTrack> {
    return this.#tracks;
  }

  /** Adds a participant (announced once); returns the known one when already present. */
  add(peer: Participant): Participant {
    const existing = this.#participants.get(peer.peerId);
    if (existing) return existing;
    const participant: Participant = { peerId: peer.peerId, displayName: peer.displayName, role: peer.role };
    this.#participants.set(participant.peerId, participant);
    this.#emit('participantJoined', participant);
    return participant;
  }

  /** Removes a participant and, first, every track we receive from them. */
  remove(peerId: string, reason: string): void {
    const participant = this.#participants.get(peerId);
    if (!participant) return;
    for (const [consumerId, remote] of [...this.#tracks]) {
      if (remote.participant.peerId === peerId) this.removeTrack(consumerId);
    }
    this.#participants.delete(peerId);
    this.#emit('participantLeft', { participant, reason });
  }

  /** Makes the participant list match the server's (after a join or a resume). */
  reconcile(peers: readonly Participant[]): void {
    const present = new Set(peers.map((peer) => peer.peerId));
    for (const peerId of [...this.#participants.keys()]) {
      if (!present.has(peerId)) this.remove(peerId, 'left');
    }
    for (const peer of peers) this.add(peer);
  }

  addTrack(remote: RemoteTrack): void {
    this.#tracks.set(remote.consumerId, remote);
    this.#emit('trackSubscribed', { participant: remote.participant, track: remote.track });
  }

  removeTrack(consumerId: string): void {
    this.#onTrackRemoved(consumerId);
    const remote = this.#tracks.get(consumerId);
    if (!remote) return;
    this.#tracks.delete(consumerId);
    this.#emit('trackUnsubscribed', { participant: remote.participant, track: remote.track });
  }

  removeAllTracks(): void {
    for (const consumerId of [...this.#tracks.keys()]) this.removeTrack(consumerId);
  }

  setTrackMuted(consumerId: string, muted: boolean): void {
    const remote = this.#tracks.get(consumerId);
    if (!remote || remote.muted === muted) return;
    this.#tracks.set(consumerId, { ...remote, muted });
    this.#emit('trackMuted', { participant: remote.participant, track: remote.track, muted });
  }
}
