/**
 * SFU mode: the SFU's own capacity, without the agent or the signaling. One mediasoup worker (as the server starts
 * them) with rooms of one speaker and K listeners: the speaker replays a real Opus stream at 50 packets/s into a
 * PlainTransport; each listener is a consumer on its own SRTP PlainTransport to its own UDP socket in the rtpsink
 * process (RtpSink). Loss is counted per consumer over a steady window after the ramp (sequence gaps), and so is
 * delivery (packets received over packets sent times listeners: a worker that falls behind delays packets in order
 * without gaps); the CPU of the worker, the listener bots and this generator comes from /proc.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { ROOM_MEDIA_CODECS } from '../../server/src/media/mediaOptions.ts';
import { speechOpusFrames } from './opusSpeech.ts';
import { cpuSecondsOf } from './procStats.ts';
import { type ListenerCounters, RtpSink, windowCounts } from './RtpSink.ts';
import { cpuPercent, pooledLoss } from './summary.ts';

export interface SfuLoadOptions {
  rooms: number;
  listeners: number;
  durationS: number;
  rampS: number;
}

const IP = '127.0.0.1';
const OPUS_PT = 100;
const RTP_HEADER_BYTES = 12;
const SRTP = {
  cryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const,
  keyBase64: Buffer.alloc(30, 7).toString('base64'),
};

const log = (line: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ loadtest: 'media', mode: 'sfu', ...line })}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The machine's UDP receive-buffer drops so far (/proc/net/snmp): every process's, ours included. */
function udpRcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = (lines[0] ?? '').split(/\s+/);
  const values = (lines[1] ?? '').split(/\s+/);
  return Number(values[names.indexOf('RcvbufErrors')] ?? Number.NaN);
}

interface SfuRoom {
  speakerPort: number;
  ssrc: number;
  seq: number;
}

async function openRoom(
  router: ms.Router,
  sink: RtpSink,
  index: number,
  listeners: number,
): Promise<SfuRoom> {
  const ssrc = 10_000 + index;
  const ingress = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: IP },
    rtcpMux: true,
    comedia: true,
  });
  const producer = await ingress.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_PT, clockRate: 48_000, channels: 2 }],
      encodings: [{ ssrc }],
    },
  });
  const ports = await sink.open(listeners);
  await Promise.all(
    ports.map(async (port) => {
      const egress = await router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: IP },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: SRTP.cryptoSuite,
      });
      await egress.connect({ ip: IP, port, srtpParameters: SRTP });
      await egress.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
    }),
  );
  return { speakerPort: ingress.tuple.localPort, ssrc, seq: 0 };
}

/** Loss of each consumer over the window, pooled and the worst one, and the consumers that got nothing. */
function lossOver(before: ListenerCounters[], after: ListenerCounters[]) {
  const windows = after.map((c, i) => windowCounts(before[i] as ListenerCounters, c));
  const perConsumer = windows.map((w) => (w.received + w.lost === 0 ? 1 : w.lost / (w.received + w.lost)));
  return {
    windows,
    pooled: round(pooledLoss(windows), 5),
    worst: round(Math.max(0, ...perConsumer), 5),
    silent: windows.filter((w) => w.received === 0).length,
  };
}

export async function runSfuLoad(options: SfuLoadOptions) {
  const frames = await speechOpusFrames();
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 20_000, rtcMaxPort: 29_999 });
  const router = await worker.createRouter({ mediaCodecs: ROOM_MEDIA_CODECS });
  const sink = await RtpSink.start(IP);
  const speaker = createSocket('udp4');
  const rooms: SfuRoom[] = [];
  let timestamp = 0;
  let sent = 0;
  let sentBytes = 0;
  let pace: NodeJS.Timeout | undefined;
  try {
    // every room opens first (opening 2,000 transports while receiving their traffic starves the opening), then
    // the speakers start one after another over the ramp
    for (let i = 0; i < options.rooms; i++) rooms.push(await openRoom(router, sink, i, options.listeners));
    const gapMs = options.rooms > 1 ? (options.rampS * 1000) / (options.rooms - 1) : 0;
    // every 20 ms each started speaker sends its next Opus frame (timer catch-up keeps 50 packets/s under lag)
    const startedAt = performance.now();
    let ticks = 0;
    pace = setInterval(() => {
      const due = Math.floor((performance.now() - startedAt) / 20);
      for (; ticks < due; ticks++) {
        timestamp = (timestamp + 960) >>> 0;
        const speaking = Math.min(
          rooms.length,
          gapMs === 0 ? rooms.length : Math.floor((ticks * 20) / gapMs) + 1,
        );
        for (let r = 0; r < speaking; r++) {
          const room = rooms[r] as SfuRoom;
          const payload = frames[(ticks + r * 37) % frames.length] as Buffer;
          const header = Buffer.alloc(RTP_HEADER_BYTES);
          header[0] = 0x80;
          header[1] = OPUS_PT;
          header.writeUInt16BE(room.seq, 2);
          header.writeUInt32BE(timestamp, 4);
          header.writeUInt32BE(room.ssrc, 8);
          room.seq = (room.seq + 1) & 0xffff;
          speaker.send([header, payload], room.speakerPort, IP);
          sent += 1;
          sentBytes += RTP_HEADER_BYTES + payload.length;
        }
      }
    }, 10);
    await sleep(options.rampS * 1000);
    const consumers = options.rooms * options.listeners;
    log({ msg: 'rooms open', rooms: rooms.length, consumers });
    await sleep(2_000);
    const windowS = Math.max(3, options.durationS - options.rampS - 2);
    const before = await sink.counters();
    const sentBefore = sent;
    const sentBytesBefore = sentBytes;
    const dropsBefore = udpRcvbufErrors();
    const pids = { mediasoup_worker: worker.pid, listener_bots: sink.pid, generator: process.pid };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf([pid])]));
    const t0 = performance.now();
    for (let waited = 0; waited < windowS; waited += 5) {
      await sleep(Math.min(5, windowS - waited) * 1000);
      const { pooled, worst } = lossOver(before, await sink.counters());
      log({ t_s: Math.round(waited + 5), consumers, loss: pooled, worst, load: loadavg()[0] });
    }
    const wall = (performance.now() - t0) / 1000;
    const after = await sink.counters();
    const cpu = Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [
        k,
        cpuPercent(cpuBefore[k] as number, cpuSecondsOf([pid]), wall),
      ]),
    ) as Record<keyof typeof pids, number>;
    const sentInWindow = sent - sentBefore;
    const expected = sentInWindow * options.listeners;
    const loss = lossOver(before, after);
    const received = loss.windows.reduce((n, w) => n + w.received, 0);
    const receivedBytes = after.reduce((n, c, i) => n + c.bytes - (before[i] as ListenerCounters).bytes, 0);
    return {
      mode: 'sfu' as const,
      rooms: options.rooms,
      listeners_per_room: options.listeners,
      consumers,
      window_s: round(wall, 1),
      packets_sent_by_speakers: sentInWindow,
      packets_received_by_listeners: received,
      loss: loss.pooled,
      worst_consumer_loss: loss.worst,
      // sequence gaps miss a backlog: a worker short of CPU forwards late, in order, so what arrived in the
      // window is counted against what was sent in it too
      delivered: round(received / expected, 4),
      udp_rcvbuf_errors_machine_wide: udpRcvbufErrors() - dropsBefore,
      consumers_receiving_nothing: loss.silent,
      srtp: SRTP.cryptoSuite,
      // a forwarded packet is 26 bytes over the sent one: 16 of header extensions the consumer adds and the 10-byte
      // SRTP authentication tag (AES_CM_128_HMAC_SHA1_80); 16 alone would mean plain RTP
      mean_packet_bytes: {
        sent: round((sentBytes - sentBytesBefore) / Math.max(1, sentInWindow), 1),
        received: round(receivedBytes / Math.max(1, received), 1),
      },
      cpu_percent_of_core: cpu,
      load_average: loadavg().map((l) => round(l, 1)),
    };
  } finally {
    if (pace) clearInterval(pace);
    speaker.close();
    sink.close();
    worker.close();
  }
}
