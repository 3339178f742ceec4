import type { PeerInfo, SignalingNotification } from '@voiceroom/protocol';
import type { Peer } from './Peer.ts';

/**
 * Who a room's customers may see. Customers see the other customers, the AI and staff who are speaking to them;
 * hidden peers (silent supervisors) and staff who only listen or whisper stay invisible, whatever their token would
 * allow, so a caller cannot tell that someone is listening in.
 */
export class CustomerVisibility {
  /** Staff (people, not the AI) announced to customers because they send them audio now (barge or takeover). */
  readonly #heardByCustomers = new Set<Peer>();

  visibleTo(peer: Peer, viewer: Peer): boolean {
    if (viewer.isStaff || !peer.isStaff) return true;
    if (peer.grants.hidden) return false;
    return peer.kind === 'agent' ? peer.grants.canPublish : this.#heardByCustomers.has(peer);
  }

  /**
   * The peers `viewer` may see among `peers`: not hidden staff or staff who send customers no audio, nor
   * staff-only (whisper) producers.
   */
  peerInfos(peers: readonly Peer[], viewer: Peer): PeerInfo[] {
    return peers
      .filter((p) => p !== viewer && this.visibleTo(p, viewer))
      .map((p) => ({
        peerId: p.id,
        displayName: p.displayName,
        role: p.role,
        producers: p.producers
          .filter((producer) => viewer.isStaff || producer.appData.audience !== 'staff')
          .map((producer) => ({ producerId: producer.id, kind: producer.kind, paused: producer.paused })),
      }));
  }

  /** Tells the customers among `peers` that a staff person started (peerJoined) or stopped (peerLeft) sending them audio. */
  update(peer: Peer, peers: Iterable<Peer>): void {
    if (!peer.isStaff || peer.kind === 'agent' || peer.grants.hidden) return;
    const heard = peer.producers.some((producer) => producer.appData.audience !== 'staff');
    if (heard === this.#heardByCustomers.has(peer)) return;
    if (heard) this.#heardByCustomers.add(peer);
    else this.#heardByCustomers.delete(peer);
    const notification: SignalingNotification = heard
      ? { method: 'peerJoined', data: { peerId: peer.id, displayName: peer.displayName, role: peer.role } }
      : { method: 'peerLeft', data: { peerId: peer.id, reason: 'stopped_speaking' } };
    for (const customer of peers) if (!customer.isStaff) customer.notify(notification);
  }

  forget(peer: Peer): void {
    this.#heardByCustomers.delete(peer);
  }
}
