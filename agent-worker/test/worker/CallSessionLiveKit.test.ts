/**
 * A call on LiveKit end to end: a real livekit-server node, the agent's CallSession dispatched with `livekit` (the
 * real voice pipeline: Silero VAD, PocketSphinx, scripted dialog, flite), and the caller an rtc-node participant
 * publishing synthesized speech. The caller hears the greeting, talks over it (barge-in), and hears the answer.
 */
import { DEFAULT_AGENT_FILE, loadAgentFile } from '@voiceroom/agent-core/agents';
import type { SessionCallEvent } from '@voiceroom/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveKitPeer } from '../../../test/helpers/LiveKitPeer.ts';
import { startLiveKitNode, type TestLiveKit } from '../../../test/helpers/livekit.ts';
import { Resampler } from '../../src/audio/Resampler.ts';
import { StageCache, voicePipelineFactory } from '../../src/pipeline/index.ts';
import { CallSession } from '../../src/worker/CallSession.ts';
import { synthesizeSpeech } from '../stages/fixtures/speech.ts';

const config = loadAgentFile(DEFAULT_AGENT_FILE);
const logger = pino({ level: 'silent' });

let node: TestLiveKit;
let stages: StageCache;
beforeAll(async () => {
  node = await startLiveKitNode({ port: 7892, rtcPortRange: [51200, 51399] });
  stages = new StageCache({ logger });
});
afterAll(async () => {
  stages?.close();
  await node?.stop();
});

async function speech48k(text: string): Promise<Int16Array> {
  const pcm16k = await synthesizeSpeech(text, 'flite', 'slt');
  return new Resampler({ inputRate: 16_000, outputRate: 48_000 }).process(pcm16k);
}

describe('CallSession on LiveKit', () => {
  it('greets the caller, stops when the caller talks over it, and answers what was said', async () => {
    const order = await speech48k('I would like a large pepperoni pizza please.');
    const room = 'lk-call-1';
    const caller = await LiveKitPeer.join(
      node.url,
      await node.token({ room, identity: 'customer:c1', metadata: { role: 'customer', name: 'C' } }),
    );
    await caller.publish('mic');
    const events: SessionCallEvent[] = [];
    const session = await CallSession.create({
      dispatch: {
        sessionId: 's-lk-1',
        roomId: room,
        agentPeerId: 'agent-s-lk-1',
        config,
        livekit: {
          url: node.url,
          token: await node.token({
            room,
            identity: 'agent:s-lk-1',
            metadata: { role: 'agent_ai', name: 'Luigi' },
          }),
          customerIdentity: 'customer:c1',
        },
      },
      rtpIp: '127.0.0.1',
      createPipeline: voicePipelineFactory(stages),
      logger,
    });
    session.on('event', (e) => events.push(e));
    try {
      expect(session.accept).toEqual({ transport: 'livekit' });
      // the greeting is heard by the caller
      await expect.poll(() => caller.audibleSince(0), { timeout: 20_000, interval: 50 }).toBe(true);
      const greetingHeardAt = caller.levels().find((s) => s.rms >= 0.01)?.t ?? 0;
      // well into the greeting (about 4 s long), the caller talks over it
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, greetingHeardAt + 1_200 - performance.now())),
      );
      expect(caller.audibleSince(performance.now() - 200)).toBe(true);
      const { startT, endT } = await caller.play(order);
      const greeting = () =>
        events.find(
          (e) => e.type === 'transcript' && e.speaker === 'agent' && e.final && e.segmentId === 'agent-0',
        );
      await expect.poll(greeting, { timeout: 10_000 }).toMatchObject({ interrupted: true });
      // the greeting's audio stopped well before the caller finished speaking
      const quietFrom = lastAudibleBefore(caller.levels(), endT);
      expect(quietFrom - startT).toBeLessThan(1_500);
      const stats = session.mediaStats;
      expect(stats.kind === 'livekit' && stats.outputCancels).toBeGreaterThanOrEqual(1);
      // the order is recognised and answered, audibly, after the caller stopped
      await expect
        .poll(() => events.some((e) => e.type === 'transcript' && e.speaker === 'customer' && e.final), {
          timeout: 15_000,
        })
        .toBe(true);
      await expect.poll(() => caller.audibleSince(endT), { timeout: 15_000, interval: 50 }).toBe(true);
      // the pipeline's metrics come through as on mediasoup
      await expect
        .poll(() => events.find((e) => e.type === 'turn.metrics'), { timeout: 15_000 })
        .toMatchObject({ voiceToVoiceMs: expect.any(Number) });
    } finally {
      session.stop();
      await caller.close();
    }
  }, 60_000);
});

/** The last audible level sample before `t` (the agent's audio stopped after it). */
function lastAudibleBefore(levels: ReadonlyArray<{ t: number; rms: number }>, t: number): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const s of levels) if (s.t <= t && s.rms >= 0.01) last = s.t;
  return last;
}
