import type { RtpPacket } from '../rtp/rtpPacket.ts';

export interface JitterBufferOptions {
  /** Bounds of the adaptive wait for a missing packet before it is declared lost. */
  minDelayMs?: number;
  maxDelayMs?: number;
  initialDelayMs?: number;
  /** A sequence jump larger than this (either way) restarts the stream instead of waiting or concealing. */
  maxGapPackets?: number;
  /** How fast the target delay shrinks back while nothing arrives late (ms of delay per second). */
  decayMsPerSecond?: number;
}

export type JitterOutput =
  | { type: 'packet'; packet: RtpPacket }
  /** One missing packet: conceal one frame, or rebuild it from the FEC data of `next` (the packet after it). */
  | { type: 'lost'; sequenceNumber: number; next: RtpPacket | null }
  /** The stream restarted (new SSRC or a big jump): reset the decoder. */
  | { type: 'reset'; reason: 'ssrc_change' | 'sequence_jump' };

export interface JitterBufferStats {
  received: number;
  played: number;
  lost: number;
  duplicates: number;
  late: number;
  reordered: number;
  resets: number;
  targetDelayMs: number;
  buffered: number;
}

interface Entry {
  packet: RtpPacket;
  arrivalMs: number;
}

const RECENT_LOST_MEMORY = 64;

/**
 * Reorders one incoming RTP stream by sequence number (16-bit wrap-around handled by extending to a running
 * counter), drops duplicates and packets that come after their slot was concealed, and declares a missing packet
 * lost once a later one has waited the adaptive target delay. In-order packets pass without any added delay; the
 * delay only applies to holes, grows when packets arrive late and decays slowly. Memory is bounded: at most
 * `maxGapPackets + 1` packets are ever held.
 */
export class JitterBuffer {
  readonly #minDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxGap: number;
  readonly #decayPerMs: number;
  readonly #entries = new Map<number, Entry>();
  readonly #recentlyLost = new Set<number>();
  #ssrc: number | null = null;
  #next: number | null = null;
  #highest = 0;
  #targetDelayMs: number;
  #lastPopMs: number | null = null;
  #pendingReset: 'ssrc_change' | 'sequence_jump' | null = null;
  readonly #stats = { received: 0, played: 0, lost: 0, duplicates: 0, late: 0, reordered: 0, resets: 0 };

  constructor(options: JitterBufferOptions = {}) {
    this.#minDelayMs = options.minDelayMs ?? 20;
    this.#maxDelayMs = options.maxDelayMs ?? 200;
    this.#maxGap = options.maxGapPackets ?? 50;
    this.#decayPerMs = (options.decayMsPerSecond ?? 5) / 1000;
    this.#targetDelayMs = Math.min(
      this.#maxDelayMs,
      Math.max(this.#minDelayMs, options.initialDelayMs ?? 40),
    );
  }

  get targetDelayMs(): number {
    return this.#targetDelayMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  get stats(): JitterBufferStats {
    return { ...this.#stats, targetDelayMs: this.#targetDelayMs, buffered: this.#entries.size };
  }

  push(packet: RtpPacket, nowMs: number): void {
    this.#stats.received++;
    if (this.#ssrc !== null && packet.ssrc !== this.#ssrc) this.#restart('ssrc_change');
    this.#ssrc = packet.ssrc;

    if (this.#next === null) {
      this.#start(packet, nowMs);
      return;
    }
    const seq = this.#extend(packet.sequenceNumber);
    if (seq >= this.#next + this.#maxGap || seq < this.#next - this.#maxGap) {
      this.#restart('sequence_jump');
      this.#start(packet, nowMs);
      return;
    }
    if (seq < this.#next) {
      if (this.#recentlyLost.has(seq)) {
        this.#stats.late++;
        this.#targetDelayMs = Math.min(this.#maxDelayMs, this.#targetDelayMs * 1.5 + 10);
      } else {
        this.#stats.duplicates++;
      }
      return;
    }
    if (this.#entries.has(seq)) {
      this.#stats.duplicates++;
      return;
    }
    if (seq < this.#highest) this.#stats.reordered++;
    this.#highest = Math.max(this.#highest, seq);
    this.#entries.set(seq, { packet, arrivalMs: nowMs });
  }

  /** Everything that is ready for decoding at `nowMs`, in order. Call on each arrival and every 10-20 ms. */
  pop(nowMs: number): JitterOutput[] {
    this.#decay(nowMs);
    const out: JitterOutput[] = [];
    if (this.#pendingReset !== null) {
      out.push({ type: 'reset', reason: this.#pendingReset });
      this.#pendingReset = null;
    }
    while (this.#next !== null && this.#entries.size > 0) {
      const entry = this.#entries.get(this.#next);
      if (entry !== undefined) {
        this.#entries.delete(this.#next);
        this.#next++;
        this.#stats.played++;
        out.push({ type: 'packet', packet: entry.packet });
        continue;
      }
      const waited = nowMs - this.#oldestArrival();
      if (waited < this.#targetDelayMs) break;
      this.#rememberLost(this.#next);
      const next = this.#entries.get(this.#next + 1)?.packet ?? null;
      out.push({ type: 'lost', sequenceNumber: this.#next & 0xffff, next });
      this.#stats.lost++;
      this.#next++;
    }
    return out;
  }

  #start(packet: RtpPacket, nowMs: number): void {
    this.#next = packet.sequenceNumber;
    this.#highest = packet.sequenceNumber;
    this.#entries.set(packet.sequenceNumber, { packet, arrivalMs: nowMs });
  }

  #restart(reason: 'ssrc_change' | 'sequence_jump'): void {
    this.#entries.clear();
    this.#recentlyLost.clear();
    this.#next = null;
    this.#pendingReset = reason;
    this.#stats.resets++;
  }

  /** The extended (wrap-free) sequence number closest to the highest one seen. */
  #extend(sequenceNumber: number): number {
    const delta = ((sequenceNumber - (this.#highest & 0xffff) + 0x8000) & 0xffff) - 0x8000;
    return this.#highest + delta;
  }

  #oldestArrival(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries.values()) if (entry.arrivalMs < oldest) oldest = entry.arrivalMs;
    return oldest;
  }

  #rememberLost(seq: number): void {
    this.#recentlyLost.add(seq);
    if (this.#recentlyLost.size > RECENT_LOST_MEMORY) {
      const first = this.#recentlyLost.values().next().value as number;
      this.#recentlyLost.delete(first);
    }
  }

  #decay(nowMs: number): void {
    if (this.#lastPopMs !== null && nowMs > this.#lastPopMs) {
      const shrunk = this.#targetDelayMs - (nowMs - this.#lastPopMs) * this.#decayPerMs;
      this.#targetDelayMs = Math.max(this.#minDelayMs, shrunk);
    }
    this.#lastPopMs = nowMs;
  }
}
