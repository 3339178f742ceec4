import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpSink } from '../media/RtpSink.ts';

const rtp = (seq: number, payloadBytes = 20) => {
  const packet = Buffer.alloc(12 + payloadBytes);
  packet[0] = 0x80;
  packet[1] = 100;
  packet.writeUInt16BE(seq & 0xffff, 2);
  return packet;
};
/** An RTCP receiver report header (payload type 201), as rtcp-mux puts it on the RTP port. */
const rtcp = () => Buffer.from([0x81, 201, 0, 1, 0, 0, 0, 1]);

describe('RtpSink (the rtpsink listener bots)', () => {
  let sink: RtpSink;
  const sender = createSocket('udp4');
  const send = (packet: Buffer, port: number) =>
    new Promise<void>((resolve, reject) =>
      sender.send(packet, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  const countersWhen = async (done: (received: number[]) => boolean) => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const counters = await sink.counters();
      if (done(counters.map((c) => c.received)) || Date.now() > deadline) return counters;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    sink = await RtpSink.start('127.0.0.1');
  }, 120_000);
  afterAll(() => {
    sink.close();
    sender.close();
  });

  it('opens one socket per listener on distinct ports, and reports nothing received yet', async () => {
    const ports = await sink.open(3);
    expect(new Set(ports).size).toBe(3);
    expect(sink.count).toBe(3);
    expect(await sink.counters()).toEqual(
      Array.from({ length: 3 }, () => ({
        received: 0,
        bytes: 0,
        firstSeq: undefined,
        highestSeq: undefined,
      })),
    );
  });

  it('counts RTP packets, bytes and the sequence range per socket, across the 16-bit wrap, skipping RTCP', async () => {
    const [a, b] = await sink.open(2);
    // socket a: 65534, 65535, (0 lost), 1, 2 and an RTCP report; socket b: a single packet
    for (const seq of [65_534, 65_535, 1, 2]) await send(rtp(seq), a as number);
    await send(rtcp(), a as number);
    await send(rtp(7, 50), b as number);
    const counters = await countersWhen((r) => r[3] === 4 && r[4] === 1);
    expect(counters[3]).toEqual({ received: 4, bytes: 4 * 32, firstSeq: 65_534, highestSeq: 65_538 });
    expect(counters[4]).toEqual({ received: 1, bytes: 62, firstSeq: 7, highestSeq: 7 });
    expect(counters[0]?.received).toBe(0);
  });

  it('refuses a bad open count with an error that says what it wants', async () => {
    await expect(sink.open(0)).rejects.toThrow(/open wants a positive count/);
  });
});
