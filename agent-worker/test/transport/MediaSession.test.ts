import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_SAMPLES_48K, OpusDecoderStream, OpusEncoderStream } from '../../src/audio/OpusCodec.ts';
import { buildRtpPacket, parseRtpPacket, type RtpPacket } from '../../src/rtp/rtpPacket.ts';
import { type MediaRoute, MediaSession } from '../../src/transport/MediaSession.ts';
import { concat, tone, toneAmplitude } from '../audio/signal.ts';

async function udp(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

/** The RTP packets `server` receives, as they arrive. */
function receivedRtp(server: Socket): RtpPacket[] {
  const packets: RtpPacket[] = [];
  server.on('message', (data) => {
    const result = parseRtpPacket(data);
    if (result.ok) packets.push(result.packet);
  });
  return packets;
}

/** A route that sends the agent's voice to `server` (payload type 111, SSRC 4242) and receives nothing. */
function sendingTo(server: Socket): MediaRoute {
  return {
    ingest: { ip: '127.0.0.1', port: server.address().port },
    send: { payloadType: 111, ssrc: 4242 },
    receive: [],
  };
}

const sockets: Socket[] = [];
const sessions: MediaSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
  for (const s of sockets.splice(0)) s.close();
});

function voiceOf(chunks: number, sampleRate = 16_000) {
  let sent = 0;
  return {
    sampleRate,
    pull: () =>
      sent < chunks ? tone(440, sampleRate, sampleRate / 50, 8_000, (sampleRate / 50) * sent++) : null,
    get pulled() {
      return sent;
    },
  };
}

describe('MediaSession', () => {
  it('decodes caller RTP from the server transport to 16 kHz audio', async () => {
    const server = await udp();
    sockets.push(server);
    const session = await MediaSession.open({ bindIp: '127.0.0.1', voice: voiceOf(0) });
    sessions.push(session);
    const route = {
      ingest: { ip: '127.0.0.1', port: server.address().port },
      send: { payloadType: 111, ssrc: 1234 },
      receive: [{ ssrc: 777, payloadType: 100, peerId: 'customer-1', role: 'customer' }],
    };
    session.start(route);
    const received: Int16Array[] = [];
    session.on('audio', (pcm, _atMs, stream) => {
      expect(stream.peerId).toBe('customer-1');
      received.push(pcm);
    });
    const encoder = new OpusEncoderStream();
    const pcm = tone(1_000, 48_000, 50 * FRAME_SAMPLES_48K);
    const target = session.localAddress;
    for (let f = 0; f < 50; f++) {
      const payload = encoder.encode(pcm.subarray(f * FRAME_SAMPLES_48K, (f + 1) * FRAME_SAMPLES_48K));
      server.send(
        buildRtpPacket({ payloadType: 100, sequenceNumber: f, timestamp: f * 960, ssrc: 777, payload }),
        target.port,
        target.ip,
      );
      // Wrong payload type and unknown SSRC: dropped.
      server.send(
        buildRtpPacket({ payloadType: 101, sequenceNumber: f, timestamp: 0, ssrc: 777, payload }),
        target.port,
        target.ip,
      );
    }
    // Once the packets stop, the stream delivers silence in real time (its stall rule): a loaded machine can be there
    // before the poll looks, so the 50 packets are counted in the stream's stats and their audio is the first 50 frames.
    await expect.poll(() => session.stats.inbound[777]?.played, { timeout: 3_000 }).toBe(50);
    await expect.poll(() => received.length, { timeout: 3_000 }).toBeGreaterThanOrEqual(50);
    expect(toneAmplitude(concat(received.slice(0, 50)), 1_000, 16_000, 3_200)).toBeGreaterThan(5_000);
    expect(session.stats.rtp.dropped.unexpected_payload_type).toBe(50);
  });

  it('ignores datagrams that do not come from the server transport', async () => {
    const server = await udp();
    const stranger = await udp();
    sockets.push(server, stranger);
    const session = await MediaSession.open({ bindIp: '127.0.0.1', voice: voiceOf(0) });
    sessions.push(session);
    session.start({
      ingest: { ip: '127.0.0.1', port: server.address().port },
      send: { payloadType: 111, ssrc: 1 },
      receive: [{ ssrc: 5, payloadType: 100, peerId: 'c', role: 'customer' }],
    });
    let heard = 0;
    session.on('audio', () => heard++);
    const packet = buildRtpPacket({
      payloadType: 100,
      sequenceNumber: 1,
      timestamp: 0,
      ssrc: 5,
      payload: Uint8Array.of(0xf8, 0xff, 0xfe),
    });
    stranger.send(packet, session.localAddress.port, '127.0.0.1');
    await expect.poll(() => session.stats.rtp.wrongSource, { timeout: 2_000 }).toBe(1);
    expect(heard).toBe(0);
  });

  it('sends the agent voice as paced Opus RTP with the negotiated payload type and SSRC', async () => {
    const server = await udp();
    sockets.push(server);
    const voice = voiceOf(25);
    const session = await MediaSession.open({ bindIp: '127.0.0.1', voice });
    sessions.push(session);
    const packets: { packet: RtpPacket }[] = [];
    server.on('message', (data) => {
      const result = parseRtpPacket(data);
      if (result.ok) packets.push({ packet: result.packet });
    });
    session.start(sendingTo(server));
    await expect.poll(() => packets.length, { timeout: 3_000 }).toBe(25);

    const first = packets[0]?.packet as RtpPacket;
    expect(packets.every(({ packet }) => packet.payloadType === 111 && packet.ssrc === 4242)).toBe(true);
    expect(packets.map(({ packet }) => packet.marker)).toEqual([true, ...Array(24).fill(false)]);
    packets.forEach(({ packet }, i) => {
      expect(packet.sequenceNumber).toBe((first.sequenceNumber + i) & 0xffff);
      // Exactly one frame apart unless a stalled event loop made the pacer skip frame slots.
      const step = ((packet.timestamp - first.timestamp) >>> 0) - i * 960;
      if (session.stats.pacer.reanchors === 0) expect(step).toBe(0);
      else expect(step % 960).toBe(0);
    });
    // Pacing itself is asserted on a virtual clock in Pacer.test.ts; here: every frame went out, in one spurt.
    expect(session.stats.pacer).toMatchObject({ framesSent: 25, spurts: 1 });
    const decoder = new OpusDecoderStream();
    const decoded = concat(packets.map(({ packet }) => decoder.decode(packet.payload)));
    expect(toneAmplitude(decoded, 440, 48_000, 4_800)).toBeGreaterThan(5_000);
  });

  it('a cancelled spurt ends with three packets of silence, not mid-sound (the receiver would stretch that sound)', async () => {
    const server = await udp();
    sockets.push(server);
    let speaking = true;
    let offset = 0;
    const voice = {
      sampleRate: 16_000,
      pull: () => (speaking ? tone(440, 16_000, 320, 8_000, 320 * offset++) : null),
    };
    const session = await MediaSession.open({ bindIp: '127.0.0.1', voice });
    sessions.push(session);
    const packets = receivedRtp(server);
    session.start(sendingTo(server));
    await expect.poll(() => packets.length, { timeout: 3_000 }).toBeGreaterThan(10);
    speaking = false;
    session.cancelOutput();
    // Frames sent before the cancel may still be on their way (a busy event loop reads the socket late) and the
    // silence is still to come: wait until the pacer stopped sending and the server stopped receiving.
    let seen = -1;
    await expect
      .poll(
        () => {
          const settled = seen === packets.length + session.stats.pacer.framesSent;
          seen = packets.length + session.stats.pacer.framesSent;
          return settled;
        },
        { timeout: 5_000, interval: 250 },
      )
      .toBe(true);
    expect(packets.length).toBe(session.stats.pacer.framesSent);
    expect(session.stats.pacer.spurts).toBe(1);
    const decoder = new OpusDecoderStream();
    const rms = packets.map((p) => {
      const pcm = decoder.decode(p.payload);
      return Math.sqrt(pcm.reduce((sum, s) => sum + s * s, 0) / pcm.length);
    });
    // three frames after the last of the tone; the first still carries the encoder's 6.5 ms delay of it
    const lastTone = rms.findLastIndex((r) => r > 5_000);
    expect(rms.length - 1 - lastTone).toBe(3);
    expect(rms.slice(-2).every((r) => r < 300)).toBe(true);
  });

  it('a voice that hangs up the call as it hands over a frame: only the frames that left are counted as sent', async () => {
    const server = await udp();
    sockets.push(server);
    let pulls = 0;
    let hangUp = () => {};
    const voice = {
      sampleRate: 16_000,
      pull: () => {
        if (++pulls === 5) hangUp();
        return tone(440, 16_000, 320, 8_000, 320 * pulls);
      },
    };
    const session = await MediaSession.open({ bindIp: '127.0.0.1', voice });
    sessions.push(session);
    hangUp = () => session.close();
    const packets = receivedRtp(server);
    session.start(sendingTo(server));
    await expect.poll(() => session.closed, { timeout: 3_000 }).toBe(true);
    expect(pulls).toBe(5);
    expect(session.stats.pacer.framesSent).toBe(4);
    expect(session.stats.sent.packets).toBe(4);
    await expect.poll(() => packets.length, { timeout: 3_000 }).toBe(4);
  });

  it('binds a wildcard, announces another address and sends to an ingest host instead of the announced one', async () => {
    const server = await udp();
    sockets.push(server);
    const session = await MediaSession.open({
      bindIp: '0.0.0.0',
      announcedIp: '127.0.0.1',
      ingestHost: 'localhost',
      voice: voiceOf(5),
    });
    sessions.push(session);
    expect(session.localAddress.ip).toBe('127.0.0.1');
    const packets = receivedRtp(server);
    // The server announces an address only browsers can reach; the agent uses the ingest host.
    session.start({
      ingest: { ip: '203.0.113.9', port: server.address().port },
      send: { payloadType: 111, ssrc: 7 },
      receive: [],
    });
    await expect.poll(() => packets.length, { timeout: 3_000 }).toBe(5);
  });
});
