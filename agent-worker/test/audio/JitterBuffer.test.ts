import { describe, expect, it } from 'vitest';
import { JitterBuffer, type JitterOutput } from '../../src/audio/JitterBuffer.ts';
import type { RtpPacket } from '../../src/rtp/rtpPacket.ts';

function packet(sequenceNumber: number, ssrc = 1): RtpPacket {
  return {
    payloadType: 100,
    sequenceNumber: sequenceNumber & 0xffff,
    timestamp: (sequenceNumber * 960) >>> 0,
    ssrc,
    marker: false,
    csrcs: [],
    extension: null,
    payload: Uint8Array.of(sequenceNumber & 0xff),
  };
}

const describeOut = (out: JitterOutput[]) =>
  out.map((o) =>
    o.type === 'packet'
      ? o.packet.sequenceNumber
      : o.type === 'lost'
        ? `lost ${o.sequenceNumber}`
        : `reset ${o.reason}`,
  );

describe('JitterBuffer', () => {
  it('passes in-order packets through without delay', () => {
    const jb = new JitterBuffer();
    const played: (string | number)[] = [];
    for (let i = 0; i < 5; i++) {
      jb.push(packet(i), i * 20);
      played.push(...describeOut(jb.pop(i * 20)));
    }
    expect(played).toEqual([0, 1, 2, 3, 4]);
  });

  it('reorders packets that arrive out of order within the target delay', () => {
    const jb = new JitterBuffer({ initialDelayMs: 40 });
    const played: (string | number)[] = [];
    for (const [seq, t] of [
      [0, 0],
      [2, 40],
      [1, 45],
      [3, 60],
    ] as const) {
      jb.push(packet(seq), t);
      played.push(...describeOut(jb.pop(t)));
    }
    expect(played).toEqual([0, 1, 2, 3]);
    expect(jb.stats.reordered).toBe(1);
  });

  it('declares a missing packet lost once a later one has waited the target delay', () => {
    const jb = new JitterBuffer({ initialDelayMs: 40 });
    jb.push(packet(0), 0);
    jb.pop(0);
    jb.push(packet(2), 40);
    expect(describeOut(jb.pop(60))).toEqual([]);
    expect(describeOut(jb.pop(80))).toEqual(['lost 1', 2]);
    expect(jb.stats.lost).toBe(1);
  });

  it('hands over the packet after a lost one for FEC recovery, when it is there', () => {
    const jb = new JitterBuffer({ initialDelayMs: 40 });
    jb.push(packet(0), 0);
    jb.pop(0);
    // 1 and 2 lost, 3 arrives: 1 can only be concealed, 2 can be rebuilt from 3's FEC data.
    jb.push(packet(3), 20);
    const out = jb.pop(100);
    expect(out.map((o) => (o.type === 'lost' ? (o.next?.sequenceNumber ?? null) : o.type))).toEqual([
      null,
      3,
      'packet',
    ]);
  });

  it('counts a packet arriving after its slot was concealed as late and grows the target delay', () => {
    const jb = new JitterBuffer({ initialDelayMs: 40, maxDelayMs: 200 });
    jb.push(packet(0), 0);
    jb.push(packet(2), 40);
    jb.pop(100);
    jb.push(packet(1), 110);
    expect(jb.pop(110)).toEqual([]);
    expect(jb.stats.late).toBe(1);
    expect(jb.targetDelayMs).toBeGreaterThan(40);
  });

  it('lets the grown target delay decay back to the minimum', () => {
    const jb = new JitterBuffer({ initialDelayMs: 150, minDelayMs: 20, decayMsPerSecond: 10 });
    jb.pop(0);
    jb.pop(60_000);
    expect(jb.targetDelayMs).toBe(20);
  });

  it('drops duplicates, buffered or already played', () => {
    const jb = new JitterBuffer();
    jb.push(packet(0), 0);
    jb.pop(0);
    jb.push(packet(0), 1);
    jb.push(packet(2), 2);
    jb.push(packet(2), 3);
    expect(jb.stats.duplicates).toBe(2);
    expect(jb.size).toBe(1);
  });

  it('follows the 16-bit sequence number across its wrap', () => {
    const jb = new JitterBuffer();
    const played: (string | number)[] = [];
    for (const [seq, t] of [
      [65534, 0],
      [0, 20],
      [65535, 25],
      [1, 40],
    ] as const) {
      jb.push(packet(seq), t);
      played.push(...describeOut(jb.pop(t)));
    }
    expect(played).toEqual([65534, 65535, 0, 1]);
    expect(jb.stats.lost).toBe(0);
  });

  it('restarts on an SSRC change without losing the new stream first packet', () => {
    const jb = new JitterBuffer();
    jb.push(packet(10, 1), 0);
    jb.pop(0);
    jb.push(packet(5000, 2), 20);
    expect(describeOut(jb.pop(20))).toEqual(['reset ssrc_change', 5000]);
  });

  it('restarts on a big sequence jump instead of concealing thousands of frames', () => {
    const jb = new JitterBuffer();
    jb.push(packet(10), 0);
    jb.pop(0);
    jb.push(packet(30_000), 20);
    expect(describeOut(jb.pop(20))).toEqual(['reset sequence_jump', 30_000]);
    expect(jb.stats.lost).toBe(0);
  });

  it('never holds more than maxGapPackets + 1 packets', () => {
    const jb = new JitterBuffer({ maxGapPackets: 50 });
    jb.push(packet(0), 0);
    jb.pop(0);
    let max = 0;
    // Packet 1 never arrives; everything after it waits, then gets released as time passes.
    for (let i = 2; i < 5_000; i++) {
      jb.push(packet(i), i);
      max = Math.max(max, jb.size);
    }
    expect(max).toBeLessThanOrEqual(51);
  });
});
