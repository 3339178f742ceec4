/**
 * SFU mode: the SFU's own capacity, without the agent or the signaling. One mediasoup worker (as the server starts
 * them) with rooms of one speaker and K listeners: the speaker is an Opus RTP stream at 50 packets/s into a
 * PlainTransport; each listener a consumer on its own SRTP PlainTransport to its own UDP socket (RtpListener).
 * Loss is counted per consumer over a steady window, after the ramp (sequence gaps), and so is delivery (packets
 * received over packets sent times listeners: a worker that falls behind delays packets in order without gaps);
 * the worker's CPU comes from /proc.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { ROOM_MEDIA_CODECS } from '../../server/src/media/mediaOptions.ts';
import { cpuSecondsOf } from './procStats.ts';
import { type ListenerCounters, RtpListener, windowCounts } from './RtpListener.ts';
import { cpuPercent, pooledLoss } from './summary.ts';

export interface SfuLoadOptions {
  rooms: number;
  listeners: number;
  durationS: number;
  rampS: number;
}

const IP = '127.0.0.1';
const OPUS_PT = 100;
/** A typical 20 ms voice Opus frame is 60..120 bytes. */
const PAYLOAD = Buffer.alloc(90, 0x5a);
const SRTP = {
  cryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const,
  keyBase64: Buffer.alloc(30, 7).toString('base64'),
};

const log = (line: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ loadtest: 'media', mode: 'sfu', ...line })}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  listeners: RtpListener[];
}

async function openRoom(router: ms.Router, index: number, listeners: number): Promise<SfuRoom> {
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
  const bots = await Promise.all(
    Array.from({ length: listeners }, async () => {
      const bot = await RtpListener.open(IP);
      const egress = await router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: IP },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: SRTP.cryptoSuite,
      });
      await egress.connect({ ip: IP, port: bot.port, srtpParameters: SRTP });
      await egress.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      return bot;
    }),
  );
  return { speakerPort: ingress.tuple.localPort, ssrc, seq: 0, listeners: bots };
}

export async function runSfuLoad(options: SfuLoadOptions) {
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 20_000, rtcMaxPort: 29_999 });
  const router = await worker.createRouter({ mediaCodecs: ROOM_MEDIA_CODECS });
  const speaker = createSocket('udp4');
  const rooms: SfuRoom[] = [];
  let timestamp = 0;
  let sent = 0;
  let pace: NodeJS.Timeout | undefined;
  try {
    // every room opens first (opening 2,000 transports while receiving their traffic starves the opening), then
    // the speakers start one after another over the ramp
    for (let i = 0; i < options.rooms; i++) rooms.push(await openRoom(router, i, options.listeners));
    const gapMs = options.rooms > 1 ? (options.rampS * 1000) / (options.rooms - 1) : 0;
    // every 20 ms each started speaker sends one Opus packet (timer catch-up keeps 50 packets/s under lag)
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
          const header = Buffer.alloc(12);
          header[0] = 0x80;
          header[1] = OPUS_PT;
          header.writeUInt16BE(room.seq, 2);
          header.writeUInt32BE(timestamp, 4);
          header.writeUInt32BE(room.ssrc, 8);
          room.seq = (room.seq + 1) & 0xffff;
          speaker.send(Buffer.concat([header, PAYLOAD]), room.speakerPort, IP);
          sent += 1;
        }
      }
    }, 10);
    await sleep(options.rampS * 1000);
    const consumers = options.rooms * options.listeners;
    log({ msg: 'rooms open', rooms: rooms.length, consumers });
    await sleep(2_000);
    const bots = rooms.flatMap((r) => r.listeners);
    const snapshot = () => bots.map((b) => b.counters);
    const windowS = Math.max(3, options.durationS - options.rampS - 2);
    const before = snapshot();
    const sentBefore = sent;
    const dropsBefore = udpRcvbufErrors();
    const cpuBefore = cpuSecondsOf([worker.pid]);
    const genBefore = cpuSecondsOf([process.pid]);
    const t0 = performance.now();
    for (let waited = 0; waited < windowS; waited += 5) {
      await sleep(Math.min(5, windowS - waited) * 1000);
      const now = snapshot();
      const loss = pooledLoss(now.map((c, i) => windowCounts(before[i] as ListenerCounters, c)));
      log({ t_s: Math.round(waited + 5), consumers, loss: Math.round(loss * 1e5) / 1e5, load: loadavg()[0] });
    }
    const wall = (performance.now() - t0) / 1000;
    const after = snapshot();
    const sentInWindow = sent - sentBefore;
    const expected = sentInWindow * options.listeners;
    const windows = after.map((c, i) => windowCounts(before[i] as ListenerCounters, c));
    const silent = windows.filter((w) => w.received === 0).length;
    const received = windows.reduce((n, w) => n + w.received, 0);
    return {
      mode: 'sfu' as const,
      rooms: options.rooms,
      listeners_per_room: options.listeners,
      consumers,
      window_s: Math.round(wall * 10) / 10,
      packets_sent_by_speakers: sentInWindow,
      packets_received_by_listeners: received,
      loss: Math.round(pooledLoss(windows) * 1e5) / 1e5,
      // sequence gaps miss a backlog: a worker short of CPU forwards late, in order, so what arrived in the
      // window is counted against what was sent in it too (the generator's own CPU is reported to judge it)
      delivered: Math.round((received / expected) * 1e4) / 1e4,
      udp_rcvbuf_errors_machine_wide: udpRcvbufErrors() - dropsBefore,
      consumers_receiving_nothing: silent,
      srtp: SRTP.cryptoSuite,
      cpu_percent_of_core: {
        mediasoup_worker: cpuPercent(cpuBefore, cpuSecondsOf([worker.pid]), wall),
        generator: cpuPercent(genBefore, cpuSecondsOf([process.pid]), wall),
      },
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
    };
  } finally {
    if (pace) clearInterval(pace);
    speaker.close();
    for (const room of rooms) for (const bot of room.listeners) bot.close();
    worker.close();
  }
}
