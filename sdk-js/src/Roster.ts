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
  /** Peers the server never listed to us (a silent supervisor who took the call over): known while heard only. */
  readonly #heardOnly = new Set<string>();
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
    // Listed by the server now: no longer known only while heard.
    this.#heardOnly.delete(peer.peerId);
    if (existing) return existing;
    const participant: Participant = { peerId: peer.peerId, displayName: peer.displayName, role: peer.role };
    this.#participants.set(participant.peerId, participant);
    this.#emit('participantJoined', participant);
    return participant;
  }

  /**
   * The participant behind a track from a peer the server did not list; it leaves again (reason stopped_speaking)
   * with its last track, so a person who went back to listening is not shown any more.
   */
  addHeardOnly(peerId: string): Participant {
    const known = this.#participants.get(peerId);
    if (known) return known;
    const participant = this.add({ peerId, displayName: '', role: undefined });
    this.#heardOnly.add(peerId);
    return participant;
  }

  /** Removes a participant and, first, every track we receive from them. */
  remove(peerId: string, reason: string): void {
    const participant = this.#participants.get(peerId);
    if (!participant) return;
    this.#heardOnly.delete(peerId);
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
    const { peerId } = remote.participant;
    if (
      this.#heardOnly.has(peerId) &&
      ![...this.#tracks.values()].some((t) => t.participant.peerId === peerId)
    )
      this.remove(peerId, 'stopped_speaking');
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
