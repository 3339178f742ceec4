import { createSocket, type Socket } from 'node:dgram';
import { AgentConfigSchema, type SessionCallEvent } from '@voiceroom/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.ts';
import { FRAME_SAMPLES_48K, OpusEncoderStream } from '../../src/audio/OpusCodec.ts';
import { buildRtpPacket } from '../../src/rtp/rtpPacket.ts';
import type { CallPipeline, CallPipelineOptions } from '../../src/worker/CallPipeline.ts';
import { CallSession } from '../../src/worker/CallSession.ts';
import { EchoPipeline } from '../../src/worker/EchoPipeline.ts';
import { decodeRecording } from '../recording/decodeRecording.ts';

const config = AgentConfigSchema.parse({ id: 'test', name: 'Test', greeting: 'Hello.' });
const logger = pino({ level: 'silent' });
const sockets: Socket[] = [];
const sessions: CallSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.stop();
  for (const s of sockets.splice(0)) s.close();
});

async function setup(
  pipeline: CallPipeline | ((options: CallPipelineOptions) => CallPipeline),
  streams: { role: string; audience?: 'everyone' | 'staff' }[] = [{ role: 'customer' }],
) {
  const server = createSocket('udp4');
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  sockets.push(server);
  const session = await CallSession.create({
    dispatch: { sessionId: 's1', roomId: 'r1', agentPeerId: 'agent-s1', config },
    rtpIp: '127.0.0.1',
    createPipeline: async (options) => (typeof pipeline === 'function' ? pipeline(options) : pipeline),
    logger,
  });
  sessions.push(session);
  const ended: string[] = [];
  session.on('ended', (reason) => ended.push(reason));
  session.startMedia({
    sessionId: 's1',
    ingest: { ip: '127.0.0.1', port: server.address().port },
    send: { payloadType: 111, ssrc: 99 },
    receive: streams.map(({ role, audience = 'everyone' }, i) => ({
      peerId: `p${i}`,
      role: role as 'customer',
      audience,
      payloadType: 100,
      ssrc: 1000 + i,
    })),
  });
  const { accept } = session;
  if (!('rtp' in accept)) throw new Error('expected an RTP session');
  const encoder = new OpusEncoderStream();
  const send = (ssrc: number, frames: number) => {
    for (let f = 0; f < frames; f++) {
      const payload = encoder.encode(new Int16Array(FRAME_SAMPLES_48K).fill(1000));
      const packet = buildRtpPacket({
        payloadType: 100,
        sequenceNumber: f,
        timestamp: f * 960,
        ssrc,
        payload,
      });
      server.send(packet, accept.rtp.port, '127.0.0.1');
    }
  };
  return { session, ended, send };
}

describe('CallSession', () => {
  it("feeds the customer's audio to the pipeline, a staff whisper to its whisper input, and a co-pilot's barge nowhere", async () => {
    const heard: number[] = [];
    const whispers: number[] = [];
    const pipeline = new EchoPipeline({ roomId: 'r1', emit: () => {} });
    pipeline.pushCallerAudio = (pcm) => heard.push(pcm.length);
    Object.assign(pipeline, { pushWhisperAudio: (pcm: Int16Array) => whispers.push(pcm.length) });
    const { send } = await setup(pipeline, [
      { role: 'customer' },
      { role: 'human_agent' },
      { role: 'supervisor', audience: 'staff' },
    ]);
    send(1001, 10);
    send(1002, 7);
    send(1000, 5);
    await expect.poll(() => heard.length, { timeout: 2_000 }).toBe(5);
    await expect.poll(() => whispers.length, { timeout: 2_000 }).toBe(7);
    expect([...heard, ...whispers].every((n) => n === 320)).toBe(true);
  });

  it('ends with "failed" when the pipeline throws while producing audio', async () => {
    const pipeline = new EchoPipeline({ roomId: 'r1', emit: () => {} });
    pipeline.pullAudio = () => {
      throw new Error('tts crashed');
    };
    const { session, ended } = await setup(pipeline);
    await expect.poll(() => ended, { timeout: 2_000 }).toEqual(['failed']);
    expect(session.ended).toBe(true);
  });

  it('a goodbye that hangs up as it hands over its last frame: only the frames that were sent count as sent', async () => {
    let pulled = 0;
    const { session, ended } = await setup((options) => {
      const pipeline = new EchoPipeline({ roomId: 'r1', emit: options.emit });
      pipeline.pullAudio = () => {
        if (pulled === 5) return null;
        if (++pulled === 5) options.emit({ type: 'end_call', roomId: 'r1' });
        return new Int16Array(320);
      };
      return pipeline;
    });
    await expect.poll(() => ended, { timeout: 2_000 }).toEqual(['agent_hangup']);
    expect(session.mediaStats).toMatchObject({ pacer: { framesSent: 4 }, sent: { packets: 4 } });
  });

  it('forwards valid pipeline events, drops invalid ones, and ends with "agent_hangup" after end_call', async () => {
    let emit: (e: SessionCallEvent) => void = () => {};
    const pipeline = new EchoPipeline({ roomId: 'r1', emit: (e) => emit(e) });
    const server = createSocket('udp4');
    sockets.push(server);
    const session = await CallSession.create({
      dispatch: { sessionId: 's2', roomId: 'r1', agentPeerId: 'a', config },
      rtpIp: '127.0.0.1',
      createPipeline: async (options) => {
        emit = options.emit;
        return pipeline;
      },
      logger,
    });
    sessions.push(session);
    const events: string[] = [];
    const ended: string[] = [];
    session.on('event', (e) => events.push(e.type));
    session.on('ended', (reason) => ended.push(reason));
    emit({ type: 'agent.state', roomId: 'r1', state: 'speaking' });
    emit({ type: 'agent.state', roomId: 'r1', state: 'dancing' } as unknown as SessionCallEvent);
    emit({ type: 'end_call', roomId: 'r1' });
    emit({ type: 'agent.state', roomId: 'r1', state: 'idle' });
    expect(events).toEqual(['agent.state', 'end_call']);
    expect(ended).toEqual(['agent_hangup']);
  });

  it("starts the recording when the caller joined: the server's lead-in plus the worker's own setup time", async () => {
    const clock = new ManualClock(10_000);
    const uploads: Uint8Array[] = [];
    const session = await CallSession.create({
      dispatch: {
        sessionId: 's1',
        roomId: 'r1',
        agentPeerId: 'agent-s1',
        config: AgentConfigSchema.parse({ ...config, recording: { enabled: true } }),
        callerJoinedMsAgo: 2000,
      },
      dispatchedAtMs: clock.now() - 500,
      clock,
      rtpIp: '127.0.0.1',
      createPipeline: async () => new EchoPipeline({ roomId: 'r1', emit: () => {} }),
      logger,
      uploadRecording: async (_roomId, file) => {
        uploads.push(file);
      },
    });
    clock.advance(1000);
    session.stop();
    expect(uploads).toHaveLength(1);
    expect(decodeRecording(uploads[0] as Uint8Array).length / 48_000).toBeCloseTo(3.5, 1);
  });

  it('closes the pipeline if the media socket cannot be opened', async () => {
    let closed = false;
    const pipeline = new EchoPipeline({ roomId: 'r1', emit: () => {} });
    pipeline.close = () => {
      closed = true;
    };
    await expect(
      CallSession.create({
        dispatch: { sessionId: 's3', roomId: 'r1', agentPeerId: 'a', config },
        rtpIp: '203.0.113.1',
        createPipeline: async () => pipeline,
        logger,
      }),
    ).rejects.toThrow();
    expect(closed).toBe(true);
  });
});
