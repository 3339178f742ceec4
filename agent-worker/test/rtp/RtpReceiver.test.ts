import { describe, expect, it } from 'vitest';
import { RtpReceiver } from '../../src/rtp/RtpReceiver.ts';
import { buildBye } from '../../src/rtp/rtcpPacket.ts';
import { buildRtpPacket } from '../../src/rtp/rtpPacket.ts';

const opus = (payloadType: number, ssrc = 1111, sequenceNumber = 1) =>
  buildRtpPacket({ payloadType, sequenceNumber, timestamp: 0, ssrc, payload: Uint8Array.of(0xf8, 1, 2) });

describe('RtpReceiver', () => {
  it('accepts the negotiated payload type and SSRC', () => {
    const receiver = new RtpReceiver({ payloadTypes: [100], ssrcs: [1111] });
    expect(receiver.receive(opus(100))?.sequenceNumber).toBe(1);
    expect(receiver.stats.accepted).toBe(1);
  });

  it('counts and drops a wrong payload type, an unknown SSRC and malformed datagrams', () => {
    const receiver = new RtpReceiver({ payloadTypes: [100], ssrcs: [1111] });
    expect(receiver.receive(opus(96))).toBeNull();
    expect(receiver.receive(opus(100, 2222))).toBeNull();
    expect(receiver.receive(Buffer.from([0x80, 100, 0]))).toBeNull();
    expect(receiver.receive(Buffer.from([0x40, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))).toBeNull();
    expect(receiver.stats.dropped).toEqual({
      unexpected_payload_type: 1,
      unknown_ssrc: 1,
      too_short: 1,
      bad_version: 1,
    });
    expect(receiver.droppedTotal).toBe(4);
    expect(receiver.stats.accepted).toBe(0);
  });

  it('separates valid RTCP from media and drops malformed RTCP', () => {
    const receiver = new RtpReceiver({ payloadTypes: [100] });
    expect(receiver.receive(buildBye(5))).toBeNull();
    expect(receiver.receive(buildBye(5).subarray(0, 6))).toBeNull();
    expect(receiver.stats.rtcp).toBe(1);
    expect(receiver.stats.dropped).toEqual({ bad_rtcp: 1 });
  });

  it('accepts a consumer allowed after construction', () => {
    const receiver = new RtpReceiver({ payloadTypes: [100], ssrcs: [1111] });
    receiver.allow(3333, 101);
    expect(receiver.receive(opus(101, 3333))).not.toBeNull();
  });
});
