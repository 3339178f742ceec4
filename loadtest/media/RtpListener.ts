/**
 * A cheap listener bot: one UDP socket per consumer (one socket for all of them would drop packets in its own
 * receive buffer and look like SFU loss), counting the RTP packets it receives and the sequence range they span.
 * SRTP leaves the RTP header in the clear, so sequence numbers are read without decrypting.
 */
import { createSocket, type Socket } from 'node:dgram';
import { extendSequence } from './summary.ts';

export interface ListenerCounters {
  received: number;
  /** Extended sequence numbers: expected = highest - first + 1. */
  firstSeq: number | undefined;
  highestSeq: number | undefined;
}

export class RtpListener {
  readonly #socket: Socket;
  #received = 0;
  #first: number | undefined;
  #highest: number | undefined;
  #last: number | undefined;

  static async open(ip: string): Promise<RtpListener> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, ip, () => resolve());
    });
    return new RtpListener(socket);
  }

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (packet) => this.#onPacket(packet));
  }

  get port(): number {
    return this.#socket.address().port;
  }

  get counters(): ListenerCounters {
    return { received: this.#received, firstSeq: this.#first, highestSeq: this.#highest };
  }

  #onPacket(packet: Buffer): void {
    // RTCP (payload types 200..204 with the marker bit) shares the port with RTP (rtcp-mux)
    if (packet.length < 12 || ((packet[1] as number) >= 192 && (packet[1] as number) <= 223)) return;
    this.#received += 1;
    const ext = extendSequence(this.#last, packet.readUInt16BE(2));
    this.#last = ext;
    if (this.#first === undefined || ext < this.#first) this.#first = ext;
    if (this.#highest === undefined || ext > this.#highest) this.#highest = ext;
  }

  close(): void {
    this.#socket.close();
  }
}

/** Received and lost packets of one listener between two counter snapshots (lost never negative). */
export function windowCounts(
  before: ListenerCounters,
  after: ListenerCounters,
): { received: number; lost: number } {
  const received = after.received - before.received;
  if (after.highestSeq === undefined) return { received: 0, lost: 0 };
  // expected in the window: from the packet after the last one seen before it to the highest seen in it
  const from = before.highestSeq === undefined ? (after.firstSeq as number) : before.highestSeq + 1;
  const expected = after.highestSeq - from + 1;
  return { received, lost: Math.max(0, expected - received) };
}
