import { EventEmitter } from 'node:events';
import {
  AudioFrame,
  AudioSource,
  AudioStream,
  DisconnectReason,
  LocalAudioTrack,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { type Clock, systemClock } from '../../audio/clock.ts';
import { FRAME_SAMPLES_48K, OPUS_RATE } from '../../audio/OpusCodec.ts';
import { Pacer, type PacerStats } from '../../audio/Pacer.ts';
import { ResamplingFrameSource } from '../../audio/ResamplingFrameSource.ts';
import type {
  AgentVoiceSource,
  InboundAudioInfo,
  MediaTransport,
  MediaTransportEvents,
} from '../MediaTransport.ts';
import { AGENT_VOICE_TRACK, inboundAudioInfo } from './participantRole.ts';

const ASR_RATE = 16_000;

export interface LiveKitTransportOptions {
  /** The LiveKit server's WebSocket URL and an access token for the agent's identity in the call's room. */
  url: string;
  token: string;
  /** Only this participant is heard as the caller (others claiming the customer role are ignored). */
  customerIdentity?: string;
  voice: AgentVoiceSource;
  clock?: Clock;
  /** How far ahead of real time the agent's frames are handed to the AudioSource (default 40 ms). */
  leadMs?: number;
  /** Bound on joining the room (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * Greet once someone subscribed to the agent's voice, or after this long in the room at the latest (default
   * 2 s), so the first words are not spoken to nobody.
   */
  readyTimeoutMs?: number;
}

export interface LiveKitTransportStats {
  pacer: PacerStats;
  /** Frames received per remote audio track (20 ms at 16 kHz each). */
  inbound: Record<string, { peerId: string; frames: number }>;
  /** AudioSource queue clears (barge-ins). */
  outputCancels: number;
  captureErrors: number;
}

/**
 * How much the AudioSource may hold beyond the pacer's lead (which is what it holds in steady state): a ceiling that
 * is never reached, so captures never wait and stay in order.
 */
const SOURCE_QUEUE_SLACK_MS = 160;

interface Inbound {
  info: InboundAudioInfo;
  reader: ReadableStreamDefaultReader<AudioFrame>;
  frames: number;
}

/**
 * The agent's media through a LiveKit room joined with @livekit/rtc-node: every remote audio track subscribed as a
 * 16 kHz AudioStream (a `whisper` track as staff-only), the agent's voice published as `agent-voice` from an
 * AudioSource fed by a real-time pacer at 48 kHz. Barge-in clears what the AudioSource still queues.
 */
export class LiveKitTransport extends EventEmitter<MediaTransportEvents> implements MediaTransport {
  readonly kind = 'livekit';
  readonly #room: Room;
  readonly #source: AudioSource;
  readonly #options: LiveKitTransportOptions;
  readonly #pacer: Pacer;
  readonly #frames: ResamplingFrameSource;
  readonly #inbound = new Map<string, Inbound>();
  #readyTimer: NodeJS.Timeout | null = null;
  #ready = false;
  #closed = false;
  #outputCancels = 0;
  #captureErrors = 0;

  /** Joins the room and publishes the agent's voice; rejects (having left the room) when either fails. */
  static async connect(options: LiveKitTransportOptions): Promise<LiveKitTransport> {
    const room = new Room();
    const source = new AudioSource(OPUS_RATE, 1, (options.leadMs ?? 40) + SOURCE_QUEUE_SLACK_MS);
    const transport = new LiveKitTransport(room, source, options);
    try {
      await withTimeout(
        room.connect(options.url, options.token, { autoSubscribe: true, dynacast: false }),
        options.connectTimeoutMs ?? 10_000,
        `Joining the LiveKit room at ${options.url} timed out; check LIVEKIT_URL and that the server runs.`,
      );
      const track = LocalAudioTrack.createAudioTrack(AGENT_VOICE_TRACK, source);
      await room.localParticipant?.publishTrack(
        track,
        new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
      );
    } catch (error) {
      transport.close();
      throw error;
    }
    transport.#begin();
    return transport;
  }

  private constructor(room: Room, source: AudioSource, options: LiveKitTransportOptions) {
    super();
    this.#room = room;
    this.#source = source;
    this.#options = options;
    const frames = new ResamplingFrameSource(() => options.voice.pull(), options.voice.sampleRate);
    this.#frames = frames;
    this.#pacer = new Pacer({
      clock: options.clock ?? systemClock,
      leadMs: options.leadMs,
      pull: () => frames.pullOrSkip((error) => this.emit('error', error)),
      send: (frame, info) => this.#capture(frame, info.startOfSpurt),
    });
    room
      .on(RoomEvent.TrackSubscribed, (track, publication, participant) =>
        this.#subscribed(track, publication, participant),
      )
      .on(RoomEvent.TrackUnsubscribed, (track) => this.#unsubscribed(track.sid ?? ''))
      .on(RoomEvent.LocalTrackSubscribed, () => this.#markReady())
      .on(RoomEvent.Disconnected, (reason) => {
        if (this.#closed) return;
        const name = DisconnectReason[reason] ?? String(reason);
        this.emit('error', new Error(`The agent left the LiveKit room (${name}).`));
      });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): LiveKitTransportStats {
    const inbound: LiveKitTransportStats['inbound'] = {};
    for (const [sid, stream] of this.#inbound)
      inbound[sid] = { peerId: stream.info.peerId, frames: stream.frames };
    return {
      pacer: this.#pacer.stats,
      inbound,
      outputCancels: this.#outputCancels,
      captureErrors: this.#captureErrors,
    };
  }

  cancelOutput(): void {
    if (this.#closed) return;
    this.#outputCancels++;
    this.#source.clearQueue();
    this.#frames.cancel();
  }

  summary(): Record<string, unknown> {
    const { pacer, inbound, outputCancels, captureErrors } = this.stats;
    return { livekit: { streams: Object.values(inbound), pacer, outputCancels, captureErrors } };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pacer.stop();
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    for (const sid of [...this.#inbound.keys()]) this.#unsubscribed(sid);
    // Leaving is asynchronous; nothing waits for it, and a failure to leave is the server's to time out.
    void this.#room
      .disconnect()
      .catch(() => undefined)
      .finally(() => this.#source.close().catch(() => undefined));
  }

  #begin(): void {
    this.#pacer.start();
    this.#readyTimer = setTimeout(() => this.#markReady(), this.#options.readyTimeoutMs ?? 2_000);
  }

  #markReady(): void {
    if (this.#ready || this.#closed) return;
    this.#ready = true;
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.emit('ready');
  }

  #capture(frame: Int16Array, startOfSpurt: boolean): void {
    if (this.#closed) return;
    if (startOfSpurt) this.emit('spurt');
    this.#source.captureFrame(new AudioFrame(frame, OPUS_RATE, 1, FRAME_SAMPLES_48K)).catch(() => {
      if (!this.#closed) this.#captureErrors++;
    });
  }

  #subscribed(track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant): void {
    const sid = track.sid;
    if (this.#closed || track.kind !== TrackKind.KIND_AUDIO || !sid || this.#inbound.has(sid)) return;
    const info = inboundAudioInfo(participant, publication.name, this.#options.customerIdentity);
    // another agent, or someone the metadata does not place: nothing the session would use, not worth decoding
    if (info.role === 'agent_ai' || info.role === 'unknown') return;
    const stream = new AudioStream(track, { sampleRate: ASR_RATE, numChannels: 1, frameSizeMs: 20 });
    const inbound: Inbound = { info, reader: stream.getReader(), frames: 0 };
    this.#inbound.set(sid, inbound);
    this.emit('streamadded', info);
    void this.#read(inbound);
  }

  async #read(inbound: Inbound): Promise<void> {
    let samples = 0;
    try {
      for (;;) {
        const { value, done } = await inbound.reader.read();
        if (done || this.#closed) return;
        inbound.frames++;
        this.emit('audio', value.data, (samples * 1000) / ASR_RATE, inbound.info);
        samples += value.samplesPerChannel;
      }
    } catch (error) {
      if (!this.#closed) this.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
  }

  #unsubscribed(sid: string): void {
    const inbound = this.#inbound.get(sid);
    if (!inbound) return;
    this.#inbound.delete(sid);
    inbound.reader.cancel().catch(() => undefined);
    this.emit('streamremoved', inbound.info);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
