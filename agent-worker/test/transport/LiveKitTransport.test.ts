/**
 * What only the LiveKit transport does: agent audio handed to its AudioSource waits there (about the pacer's lead),
 * and cancelOutput() (barge-in) drops it instead of letting the caller hear it. Real livekit-server node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveKitNode, type TestLiveKit } from '../../../test/helpers/livekit.ts';
import { tone } from '../audio/signal.ts';
import { liveKitHarness } from './harness/liveKitHarness.ts';

let node: TestLiveKit;
beforeAll(async () => {
  node = await startLiveKitNode({ port: 7894, rtcPortRange: [51800, 51999] });
});
afterAll(async () => {
  await node?.stop();
});

const LEAD_MS = 300;

/** Plays a tone as the agent until stopped; returns how many loud 10 ms frames the caller heard after the stop. */
async function loudFramesAfterStop(room: string, cancel: boolean): Promise<number> {
  let speaking = true;
  let offset = 0;
  const voice = {
    sampleRate: 16_000,
    pull: () => (speaking ? tone(440, 16_000, 320, 8_000, 320 * offset++) : null),
  };
  const harness = await liveKitHarness(node, room, voice, LEAD_MS);
  try {
    const loud = () => harness.heardFromAgentLevels().filter((f) => f.rms >= 0.05);
    // the tone has been heard for a while: the source holds its lead
    await expect.poll(() => loud().length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(50);
    speaking = false;
    const stoppedAt = performance.now();
    if (cancel) harness.transport.cancelOutput();
    // everything still queued plays within the lead; wait well past it
    await new Promise((resolve) => setTimeout(resolve, LEAD_MS + 700));
    return loud().filter((f) => f.t > stoppedAt).length;
  } finally {
    await harness.close();
  }
}

describe('LiveKitTransport', () => {
  it("drops the agent's queued audio on cancelOutput, which otherwise still plays after the voice stops", async () => {
    const kept = await loudFramesAfterStop('lk-keep', false);
    const dropped = await loudFramesAfterStop('lk-cancel', true);
    // without cancelling, about the lead (30 frames of 10 ms) is still heard; cancelled, only what was in flight
    expect(kept).toBeGreaterThanOrEqual(20);
    expect(dropped).toBeLessThanOrEqual(kept - 12);
  }, 40_000);
});
