import { describe, expect, it } from 'vitest';
import { runSfuLoad } from '../media/sfuLoad.ts';

describe('SFU load (one mediasoup worker, real Opus speakers, rtpsink listener bots)', () => {
  it('delivers every speaker packet to every SRTP consumer once, with the SRTP tag on each', async () => {
    const run = await runSfuLoad({ rooms: 2, listeners: 3, durationS: 5, rampS: 0 });
    expect(run.consumers).toBe(6);
    // 50 packets/s per speaker over a ~3 s window, each forwarded to all three listeners of its room
    expect(run.packets_sent_by_speakers).toBeGreaterThan(200);
    expect(run.loss).toBe(0);
    expect(run.worst_consumer_loss).toBe(0);
    expect(run.consumers_receiving_nothing).toBe(0);
    expect(run.delivered).toBeGreaterThan(0.97);
    expect(run.delivered).toBeLessThan(1.03);
    // SRTP really on: 16 bytes of header extensions the consumer adds plus the 10-byte authentication tag (plain
    // RTP would be 16 over; the two means cover nearly the same packets)
    const overhead = run.mean_packet_bytes.received - run.mean_packet_bytes.sent;
    expect(overhead).toBeGreaterThan(22);
    expect(overhead).toBeLessThan(30);
    // real Opus frames of speech and pauses, not a fixed-size filler
    expect(run.mean_packet_bytes.sent).toBeGreaterThan(40);
    expect(run.cpu_percent_of_core.mediasoup_worker).toBeGreaterThan(0);
  }, 60_000);
});
