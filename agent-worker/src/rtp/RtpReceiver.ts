import { parseRtcpCompound } from './rtcpPacket.ts';
import { isRtcp, parseRtpPacket, type RtpPacket, type RtpParseError } from './rtpPacket.ts';

export type RtpDropReason = RtpParseError | 'bad_rtcp' | 'unexpected_payload_type' | 'unknown_ssrc';

export interface RtpReceiverOptions {
  /** Payload types accepted (the Opus payload type of each consumer's rtpParameters). */
  payloadTypes: Iterable<number>;
  /** SSRCs accepted; empty = any SSRC (then the jitter buffer resets on a change). */
  ssrcs?: Iterable<number>;
}

export interface RtpReceiverStats {
  received: number;
  accepted: number;
  rtcp: number;
  dropped: Partial<Record<RtpDropReason, number>>;
}

/**
 * Gatekeeper for datagrams arriving on the agent's media socket: parses, demultiplexes RTCP, accepts only the
 * negotiated payload types and SSRCs, and counts every drop by reason. It never throws on input.
 */
export class RtpReceiver {
  readonly #payloadTypes: Set<number>;
  readonly #ssrcs: Set<number>;
  readonly #stats: RtpReceiverStats = { received: 0, accepted: 0, rtcp: 0, dropped: {} };

  constructor(options: RtpReceiverOptions) {
    this.#payloadTypes = new Set(options.payloadTypes);
    this.#ssrcs = new Set(options.ssrcs ?? []);
  }

  get stats(): RtpReceiverStats {
    return { ...this.#stats, dropped: { ...this.#stats.dropped } };
  }

  get droppedTotal(): number {
    return Object.values(this.#stats.dropped).reduce((sum, n) => sum + (n ?? 0), 0);
  }

  /** Accepts a new SSRC/payload type mid-call (a consumer added later). */
  allow(ssrc: number, payloadType: number): void {
    this.#ssrcs.add(ssrc);
    this.#payloadTypes.add(payloadType);
  }

  /** Returns the RTP packet to play, or null when the datagram was RTCP or dropped. */
  receive(data: Uint8Array): RtpPacket | null {
    this.#stats.received++;
    if (isRtcp(data)) {
      if (parseRtcpCompound(data) === null) return this.#drop('bad_rtcp');
      this.#stats.rtcp++;
      return null;
    }
    const result = parseRtpPacket(data);
    if (!result.ok) return this.#drop(result.reason);
    const packet = result.packet;
    if (!this.#payloadTypes.has(packet.payloadType)) return this.#drop('unexpected_payload_type');
    if (this.#ssrcs.size > 0 && !this.#ssrcs.has(packet.ssrc)) return this.#drop('unknown_ssrc');
    this.#stats.accepted++;
    return packet;
  }

  #drop(reason: RtpDropReason): null {
    this.#stats.dropped[reason] = (this.#stats.dropped[reason] ?? 0) + 1;
    return null;
  }
}
