import { createSocket } from 'node:dgram';
import { OpusDecoderStream, OpusEncoderStream } from '../../../src/audio/OpusCodec.ts';
import { buildRtpPacket, parseRtpPacket } from '../../../src/rtp/rtpPacket.ts';
import { MediaSession } from '../../../src/transport/MediaSession.ts';
import { concatAll, type HarnessFactory, paced } from './transportHarness.ts';

const CUSTOMER = { ssrc: 777, payloadType: 100, peerId: 'customer-1', role: 'customer' };
const WHISPER = {
  ssrc: 778,
  payloadType: 100,
  peerId: 'staff-1',
  role: 'supervisor',
  audience: 'staff' as const,
};

/** MediaSession against a UDP socket standing in for the server's PlainTransport (RTP/RTCP muxed). */
export const rtpHarness: HarnessFactory = async (voice) => {
  const server = createSocket('udp4');
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  const session = await MediaSession.open({ bindIp: '127.0.0.1', voice });
  const decoder = new OpusDecoderStream();
  const heard: Int16Array[] = [];
  server.on('message', (data) => {
    const result = parseRtpPacket(data); // RTCP (sender reports, BYE) shares the socket: refused as 'rtcp'
    if (result.ok) heard.push(decoder.decode(result.packet.payload));
  });
  const ready = new Promise<void>((resolve) => session.once('ready', resolve));
  session.start({
    ingest: { ip: '127.0.0.1', port: server.address().port },
    send: { payloadType: 111, ssrc: 4242 },
    receive: [CUSTOMER],
  });
  const send = async (stream: typeof CUSTOMER, pcm: Int16Array) => {
    const encoder = new OpusEncoderStream();
    const target = session.localAddress;
    const base = Math.floor(Math.random() * 1000);
    await paced(pcm, (frame, f) =>
      server.send(
        buildRtpPacket({
          payloadType: stream.payloadType,
          sequenceNumber: base + f,
          timestamp: (base + f) * 960,
          ssrc: stream.ssrc,
          payload: encoder.encode(frame),
        }),
        target.port,
        target.ip,
      ),
    );
  };
  return {
    transport: session,
    ready,
    customerSays: (pcm) => send(CUSTOMER, pcm),
    async staffWhispers(pcm) {
      session.addStream(WHISPER);
      await send(WHISPER, pcm);
    },
    async staffLeaves() {
      session.removeStream(WHISPER.ssrc);
    },
    heardFromAgent: () => concatAll(heard),
    async close() {
      session.close();
      server.close();
    },
  };
};
