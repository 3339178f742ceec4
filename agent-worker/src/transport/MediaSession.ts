import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { EventEmitter } from 'node:events';
import { isIPv6 } from 'node:net';
import { type Clock, systemClock } from '../audio/clock.ts';
import { type InboundAudioStats, InboundAudioStream } from '../audio/InboundAudioStream.ts';
import type { JitterBufferOptions } from '../audio/JitterBuffer.ts';
import { OPUS_NATIVE_RATES, OPUS_RATE, OpusEncoderStream } from '../audio/OpusCodec.ts';
import { type PacedFrameInfo, Pacer, type PacerStats } from '../audio/Pacer.ts';
import { ResamplingFrameSource } from '../audio/ResamplingFrameSource.ts';
import { RtpReceiver, type RtpReceiverStats } from '../rtp/RtpReceiver.ts';
import { buildBye, buildSenderReport } from '../rtp/rtcpPacket.ts';
import { buildRtpPacket } from '../rtp/rtpPacket.ts';
import type {
  AgentVoiceSource,
  InboundAudioInfo,
  MediaTransport,
  MediaTransportEvents,
} from './MediaTransport.ts';

export interface Endpoint {
  ip: string;
  port: number;
}

export interface InboundStreamInfo extends InboundAudioInfo {
  ssrc: number;
  payloadType: number;
}

/** Where to send and what arrives: the server's answer once the agent joined the room. */
export interface MediaRoute {
  ingest: Endpoint;
  send: { payloadType: number; ssrc: number };
  receive: InboundStreamInfo[];
}

export interface MediaSessionOptions {
  /** Local address to bind (AGENT_RTP_IP); the port is ephemeral. */
  bindIp: string;
  /** The address the server must send to when it differs from bindIp (binding 0.0.0.0, containers). */
  announcedIp?: string;
  /**
   * Host name or IP to send to instead of the ingest address the server announces (which is the address browsers
   * use; inside a container network the server is reached by its service name). Resolved once when opening.
   */
  ingestHost?: string;
  voice: AgentVoiceSource;
  clock?: Clock;
  leadMs?: number;
  jitter?: JitterBufferOptions;
  /** RTCP sender report interval in frames (default 250 = 5 s). */
  senderReportEvery?: number;
}

export interface MediaSessionStats {
  rtp: RtpReceiverStats & { wrongSource: number };
  inbound: Record<number, InboundAudioStats>;
  pacer: PacerStats;
  sent: { packets: number; octets: number; sendErrors: number };
}

const POLL_MS = 10;

/**
 * The agent's media over one UDP socket shared with the server's PlainTransport (RTP and RTCP muxed): caller RTP in
 * (validated, jitter-buffered, decoded to 16 kHz per SSRC), agent voice out (resampled to 48 kHz, Opus, paced RTP).
 * Datagrams from any port but the server transport's are dropped.
 */
export class MediaSession extends EventEmitter<MediaTransportEvents> implements MediaTransport {
  readonly kind = 'rtp';
  readonly #socket: Socket;
  readonly #clock: Clock;
  readonly #options: MediaSessionOptions;
  readonly #ingestIp: string | null;
  readonly #streams = new Map<number, { info: InboundStreamInfo; audio: InboundAudioStream }>();
  /** Accepts only the SSRCs and payload types of the streams added so far. */
  readonly #receiver = new RtpReceiver({ payloadTypes: [] });
  #wrongSource = 0;
  #route: MediaRoute | null = null;
  #pacer: Pacer | null = null;
  #frames: ResamplingFrameSource | null = null;
  #pollTimer: NodeJS.Timeout | null = null;
  #closed = false;
  readonly #sent = { packets: 0, octets: 0, sendErrors: 0 };
  #sequence = Math.floor(Math.random() * 0x10000);
  readonly #timestampBase = Math.floor(Math.random() * 0x1_0000_0000);
  #mediaEpochMs: number | null = null;
  #lastRtpTimestamp = 0;

  static async open(options: MediaSessionOptions): Promise<MediaSession> {
    const family = isIPv6(options.bindIp) ? 6 : 4;
    const ingestIp = options.ingestHost ? (await lookup(options.ingestHost, { family })).address : null;
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, options.bindIp, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new MediaSession(socket, options, ingestIp);
  }

  private constructor(socket: Socket, options: MediaSessionOptions, ingestIp: string | null) {
    super();
    this.#socket = socket;
    this.#ingestIp = ingestIp;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    socket.on('message', (data, from) => this.#onDatagram(data, from));
    socket.on('error', (error) => this.emit('error', error));
  }

  /** The socket the server must send to (and will receive from). */
  get localAddress(): Endpoint {
    const address = this.#socket.address();
    return { ip: this.#options.announcedIp ?? this.#options.bindIp, port: address.port };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): MediaSessionStats {
    const inbound: Record<number, InboundAudioStats> = {};
    for (const [ssrc, stream] of this.#streams) inbound[ssrc] = stream.audio.stats;
    return {
      rtp: { ...this.#receiver.stats, wrongSource: this.#wrongSource },
      inbound,
      pacer: this.#pacer?.stats ?? { framesSent: 0, spurts: 0, reanchors: 0 },
      sent: { ...this.#sent },
    };
  }

  /** Starts both directions once the server said where to send; later calls go to reroute(). */
  start(route: MediaRoute): void {
    if (this.#closed) return;
    if (this.#route !== null) {
      this.#reroute(route);
      return;
    }
    this.#route = this.#withIngestHost(route);
    for (const stream of route.receive) this.addStream(stream);
    const voiceRate = this.#options.voice.sampleRate;
    // the voice's own rate when Opus takes it (flite's 16 kHz): nothing to resample
    const rate = OPUS_NATIVE_RATES.includes(voiceRate) ? voiceRate : OPUS_RATE;
    const frames = new ResamplingFrameSource(() => this.#options.voice.pull(), voiceRate, rate);
    this.#frames = frames;
    // complexity 5 (Chrome's setting on phones): half the encoding work of libopus's default 9
    const encoder = new OpusEncoderStream({ rate, complexity: 5 });
    this.#pacer = new Pacer({
      clock: this.#clock,
      leadMs: this.#options.leadMs,
      pull: () => frames.pullOrSkip((error) => this.emit('error', error)),
      send: (frame, info) => this.#sendFrame(encoder.encode(frame), info),
    });
    this.#pacer.start();
    this.#pollTimer = setInterval(() => this.#poll(), POLL_MS);
    this.emit('ready');
  }

  /**
   * The agent was moved to a new room (its mediasoup worker died): send there, from the same socket, and hear the new
   * room's streams. The voice keeps playing where it was, so a reply in progress goes on in the new room.
   */
  #reroute(route: MediaRoute): void {
    this.#route = this.#withIngestHost(route);
    const kept = new Set(route.receive.map((stream) => stream.ssrc));
    for (const ssrc of [...this.#streams.keys()]) if (!kept.has(ssrc)) this.removeStream(ssrc);
    for (const stream of route.receive) this.addStream(stream);
  }

  #withIngestHost(route: MediaRoute): MediaRoute {
    return this.#ingestIp ? { ...route, ingest: { ip: this.#ingestIp, port: route.ingest.port } } : route;
  }

  addStream(info: InboundStreamInfo): void {
    if (this.#closed || this.#streams.has(info.ssrc)) return;
    this.#receiver.allow(info.ssrc, info.payloadType);
    const audio = new InboundAudioStream({
      jitter: this.#options.jitter,
      onAudio: (pcm, atMs) => this.emit('audio', pcm, atMs, info),
    });
    this.#streams.set(info.ssrc, { info, audio });
    this.emit('streamadded', info);
  }

  removeStream(ssrc: number): void {
    const stream = this.#streams.get(ssrc);
    if (!stream) return;
    stream.audio.close();
    this.#streams.delete(ssrc);
    this.emit('streamremoved', stream.info);
  }

  /**
   * Frames leave the socket as they are pulled (at most the pacer's lead ahead), so nothing queued is dropped; the
   * spurt ends with silence rather than mid-sound (ResamplingFrameSource.cancel).
   */
  cancelOutput(): void {
    this.#frames?.cancel();
  }

  summary(): Record<string, unknown> {
    const { rtp, inbound, pacer, sent } = this.stats;
    const streams = Object.values(inbound).map(
      ({ played, lost, late, duplicates, concealedFrames, silenceFrames }) => ({
        played,
        lost,
        late,
        duplicates,
        concealedFrames,
        silenceFrames,
      }),
    );
    return {
      rtp: { accepted: rtp.accepted, dropped: rtp.dropped, wrongSource: rtp.wrongSource },
      streams,
      pacer,
      sent,
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pacer?.stop();
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    const route = this.#route;
    if (route)
      this.#socket.send(buildBye(route.send.ssrc), route.ingest.port, route.ingest.ip, () =>
        this.#socket.close(),
      );
    else this.#socket.close();
    for (const stream of this.#streams.values()) stream.audio.close();
    this.#streams.clear();
  }

  #onDatagram(data: Buffer, from: RemoteInfo): void {
    const route = this.#route;
    // Port only: with an announced address (NAT, 0.0.0.0 listen) the source IP differs from route.ingest.ip.
    if (route === null || from.port !== route.ingest.port) {
      this.#wrongSource++;
      return;
    }
    const packet = this.#receiver.receive(data);
    if (packet === null) return;
    this.#streams.get(packet.ssrc)?.audio.push(packet, this.#clock.now());
  }

  #poll(): void {
    const now = this.#clock.now();
    for (const stream of this.#streams.values()) stream.audio.poll(now);
  }

  #sendFrame(payload: Uint8Array, info: PacedFrameInfo): void {
    const route = this.#route;
    if (route === null || this.#closed) return;
    this.#mediaEpochMs ??= info.mediaTimeMs;
    const timestamp = (this.#timestampBase + Math.round((info.mediaTimeMs - this.#mediaEpochMs) * 48)) >>> 0;
    this.#lastRtpTimestamp = timestamp;
    const packet = buildRtpPacket({
      payloadType: route.send.payloadType,
      ssrc: route.send.ssrc,
      sequenceNumber: this.#sequence,
      timestamp,
      marker: info.startOfSpurt,
      payload,
    });
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#transmit(packet, route.ingest);
    this.#sent.packets++;
    this.#sent.octets += payload.length;
    if (info.startOfSpurt) this.emit('spurt');
    if (this.#sent.packets % (this.#options.senderReportEvery ?? 250) === 1) {
      const report = buildSenderReport({
        ssrc: route.send.ssrc,
        wallClockMs: Date.now(),
        rtpTimestamp: this.#lastRtpTimestamp,
        packetCount: this.#sent.packets,
        octetCount: this.#sent.octets,
      });
      this.#transmit(report, route.ingest);
    }
  }

  #transmit(data: Uint8Array, to: Endpoint): void {
    this.#socket.send(data, to.port, to.ip, (error) => {
      if (error) this.#sent.sendErrors++;
    });
  }
}
