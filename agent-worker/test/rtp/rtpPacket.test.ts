import { describe, expect, it } from 'vitest';
import { buildBye, buildSenderReport, parseRtcpCompound } from '../../src/rtp/rtcpPacket.ts';
import { buildRtpPacket, isRtcp, parseRtpPacket } from '../../src/rtp/rtpPacket.ts';

const payload = Uint8Array.from([0xf8, 1, 2, 3, 4]);

function header(b0: number, b1 = 111): Buffer {
  const data = Buffer.alloc(12);
  data[0] = b0;
  data[1] = b1;
  return data;
}

describe('RTP packets', () => {
  it('round-trips every header field through build and parse', () => {
    const data = buildRtpPacket({
      payloadType: 100,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      marker: true,
      payload,
    });
    const result = parseRtpPacket(data);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.packet).toMatchObject({
      payloadType: 100,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      marker: true,
      csrcs: [],
      extension: null,
    });
    expect([...result.packet.payload]).toEqual([...payload]);
  });

  it('parses CSRCs, a header extension and padding around the payload', () => {
    const data = Buffer.concat([
      header(0x80 | 0x20 | 0x10 | 2),
      Buffer.from([0, 0, 0, 1, 0, 0, 0, 2]),
      Buffer.from([0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0]),
      Buffer.from(payload),
      Buffer.from([0, 0, 3]),
    ]);
    const result = parseRtpPacket(data);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.packet.csrcs).toEqual([1, 2]);
    expect(result.packet.extension?.profile).toBe(0xbede);
    expect(result.packet.extension?.data.length).toBe(4);
    expect([...result.packet.payload]).toEqual([...payload]);
  });

  it.each([
    ['a truncated header', Buffer.alloc(11, 0x80), 'too_short'],
    ['version 1', Buffer.concat([header(0x40), Buffer.from(payload)]), 'bad_version'],
    ['a CSRC count beyond the packet', Buffer.concat([header(0x8f), Buffer.from(payload)]), 'csrc_overflow'],
    [
      'an extension longer than the packet',
      Buffer.concat([header(0x90), Buffer.from([0xbe, 0xde, 0, 9]), Buffer.from(payload)]),
      'extension_overflow',
    ],
    ['padding longer than the payload', Buffer.concat([header(0xa0), Buffer.from([1, 200])]), 'bad_padding'],
    ['zero padding length', Buffer.concat([header(0xa0), Buffer.from([1, 0])]), 'bad_padding'],
    ['no payload', header(0x80), 'empty_payload'],
    [
      'an RTCP packet',
      buildSenderReport({ ssrc: 1, wallClockMs: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0 }),
      'rtcp',
    ],
    ['an oversized datagram', Buffer.alloc(2000, 0x80), 'too_short'],
  ])('rejects %s with a reason instead of throwing', (_name, data, reason) => {
    expect(parseRtpPacket(data)).toEqual({ ok: false, reason });
  });

  it('never throws on random bytes', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed;
    };
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const data = Buffer.alloc(random() % 80);
      for (let j = 0; j < data.length; j++) data[j] = random() & 0xff;
      const result = parseRtpPacket(data);
      if (result.ok) {
        accepted++;
        expect(result.packet.payload.length).toBeGreaterThan(0);
      }
    }
    expect(accepted).toBeLessThan(20_000);
  });

  it('rejects a payload type outside 0..127 when building', () => {
    expect(() =>
      buildRtpPacket({ payloadType: 128, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload }),
    ).toThrow(RangeError);
  });
});

describe('RTCP packets', () => {
  it('builds a sender report and a BYE that parse back as one compound packet', () => {
    const sr = buildSenderReport({
      ssrc: 42,
      wallClockMs: 1_700_000_000_500,
      rtpTimestamp: 960,
      packetCount: 3,
      octetCount: 300,
    });
    const compound = Buffer.concat([sr, buildBye(42)]);
    expect(isRtcp(compound)).toBe(true);
    expect(parseRtcpCompound(compound)).toEqual([
      { packetType: 200, ssrc: 42, byteLength: 28 },
      { packetType: 203, ssrc: 42, byteLength: 8 },
    ]);
    expect(sr.readUInt32BE(12)).toBe(2 ** 31);
  });

  it('returns null for a truncated compound packet', () => {
    expect(parseRtcpCompound(buildBye(1).subarray(0, 6))).toBeNull();
    const lying = buildBye(1);
    lying.writeUInt16BE(5, 2);
    expect(parseRtcpCompound(lying)).toBeNull();
  });
});
