/**
 * The contract every MediaTransport keeps, run against both implementations with a real far end: MediaSession
 * against a UDP peer speaking RTP, LiveKitTransport in a room of a real livekit-server node with rtc-node peers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLiveKitNode, type TestLiveKit } from '../../../test/helpers/livekit.ts';
import type { InboundAudioInfo } from '../../src/transport/MediaTransport.ts';
import { tone, toneAmplitude } from '../audio/signal.ts';
import { liveKitHarness } from './harness/liveKitHarness.ts';
import { rtpHarness } from './harness/rtpHarness.ts';
import { concatAll, type HarnessFactory, type TransportHarness } from './harness/transportHarness.ts';

let node: TestLiveKit;
let rooms = 0;
beforeAll(async () => {
  node = await startLiveKitNode({ port: 7890, rtcPortRange: [51000, 51199] });
});
afterAll(async () => {
  await node?.stop();
});

const implementations: Array<[string, HarnessFactory]> = [
  ['rtp (mediasoup PlainTransport)', rtpHarness],
  ['livekit (rtc-node)', (voice) => liveKitHarness(node, `contract-${++rooms}`, voice)],
];

/** An agent voice of `frames` 20 ms chunks of a 440 Hz tone at 16 kHz, counting what was pulled. */
function toneVoice(frames: number) {
  let pulled = 0;
  return {
    sampleRate: 16_000,
    pull: () => (pulled < frames ? tone(440, 16_000, 320, 8_000, 320 * pulled++) : null),
    get pulled() {
      return pulled;
    },
  };
}

describe.each(implementations)('MediaTransport contract: %s', (_name, open) => {
  let harness: TransportHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("hears the customer's voice as gap-free 16 kHz audio tagged as the customer", async () => {
    harness = await open(toneVoice(0));
    const customer: Int16Array[] = [];
    harness.transport.on('audio', (pcm, _atMs, stream) => {
      if (stream.role === 'customer' && stream.audience !== 'staff') customer.push(pcm);
    });
    await harness.customerSays(tone(1_000, 48_000, 48_000));
    await expect.poll(() => customer.length, { timeout: 5_000 }).toBeGreaterThan(40);
    const pcm = concatAll(customer);
    expect(customer.every((c) => c.length === 320)).toBe(true);
    expect(toneAmplitude(pcm, 1_000, 16_000)).toBeGreaterThan(2_000);
    expect(toneAmplitude(pcm, 600, 16_000)).toBeLessThan(toneAmplitude(pcm, 1_000, 16_000) / 10);
  });

  it("tags a co-pilot's whisper as staff-only and reports the stream added and removed", async () => {
    harness = await open(toneVoice(0));
    const added: InboundAudioInfo[] = [];
    const removed: InboundAudioInfo[] = [];
    const staff: Int16Array[] = [];
    harness.transport.on('streamadded', (s) => added.push(s));
    harness.transport.on('streamremoved', (s) => removed.push(s));
    harness.transport.on('audio', (pcm, _atMs, stream) => {
      if (stream.audience === 'staff') staff.push(pcm);
    });
    await harness.staffWhispers(tone(700, 48_000, 24_000));
    await expect.poll(() => staff.length, { timeout: 5_000 }).toBeGreaterThan(10);
    expect(added.find((s) => s.audience === 'staff')?.role).toBe('supervisor');
    expect(toneAmplitude(concatAll(staff), 700, 16_000)).toBeGreaterThan(1_000);
    await harness.staffLeaves();
    await expect.poll(() => removed.map((s) => s.audience), { timeout: 5_000 }).toContain('staff');
  });

  it("is ready once media can flow and sends the agent's voice in real time to the far end", async () => {
    const voice = toneVoice(50);
    harness = await open(voice);
    await withTimeout(harness.ready, 5_000, 'the transport to become ready');
    const startedAt = performance.now();
    await expect.poll(() => voice.pulled, { timeout: 5_000 }).toBe(50);
    // one second of voice is pulled at the pace it plays, not at once
    expect(performance.now() - startedAt).toBeGreaterThan(800);
    await expect
      .poll(() => toneAmplitude(harness?.heardFromAgent() ?? new Int16Array(0), 440, 48_000), {
        timeout: 5_000,
      })
      .toBeGreaterThan(1_000);
  });

  it('stops pulling the voice and emits nothing once closed, and closing twice is harmless', async () => {
    const voice = toneVoice(1_000);
    harness = await open(voice);
    await expect.poll(() => voice.pulled, { timeout: 5_000 }).toBeGreaterThan(5);
    let audioAfterClose = 0;
    harness.transport.close();
    harness.transport.on('audio', () => audioAfterClose++);
    const pulledAtClose = voice.pulled;
    harness.transport.close();
    expect(harness.transport.closed).toBe(true);
    await harness.customerSays(tone(1_000, 48_000, 9_600));
    expect(voice.pulled).toBe(pulledAtClose);
    expect(audioAfterClose).toBe(0);
  });
});

function withTimeout(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
