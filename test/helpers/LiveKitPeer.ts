/**
 * A scripted participant in a LiveKit room on @livekit/rtc-node, for tests and bench:livekit: it publishes a
 * microphone that sends 20 ms frames in real time like a browser's (silence between utterances), plays PCM into it
 * on request, and listens to every other participant's audio, keeping the level of each received 10 ms frame on
 * this process's clock (performance.now()) as the caller hears it (after LiveKit's jitter buffer and decoder).
 */
import {
  AudioFrame,
  AudioSource,
  AudioStream,
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
import { Pacer } from '../../agent-worker/src/audio/Pacer.ts';

const RATE = 48_000;
const FRAME = 960;

export interface HeardFrame {
  t: number;
  /** RMS of the frame, full scale 1. */
  rms: number;
  from: string;
  track: string;
  /** Empty unless the peer keeps PCM. */
  pcm: Int16Array;
}

export interface LiveKitPeerOptions {
  /** Keep the received PCM of each frame (default true; load tests keep only levels). */
  keepPcm?: boolean;
  /** Subscribe to the others' tracks (default true). */
  autoSubscribe?: boolean;
}

export class LiveKitPeer {
  readonly #room: Room;
  readonly #keepPcm: boolean;
  readonly #heard: HeardFrame[] = [];
  readonly #readers: ReadableStreamDefaultReader<AudioFrame>[] = [];
  #source: AudioSource | null = null;
  #pacer: Pacer | null = null;
  #playing: { pcm: Int16Array; offset: number; done: (endT: number) => void } | null = null;
  #firstFrameT: number | null = null;
  #closed = false;
  /** Frames sent on the microphone (speech and silence). */
  framesSent = 0;

  static async join(url: string, token: string, options: LiveKitPeerOptions = {}): Promise<LiveKitPeer> {
    const peer = new LiveKitPeer(options.keepPcm ?? true);
    await peer.#room.connect(url, token, { autoSubscribe: options.autoSubscribe ?? true, dynacast: false });
    return peer;
  }

  private constructor(keepPcm: boolean) {
    this.#keepPcm = keepPcm;
    this.#room = new Room();
    this.#room.on(RoomEvent.TrackSubscribed, (track, publication, participant) =>
      this.#listen(track, publication, participant),
    );
  }

  get identity(): string {
    return this.#room.localParticipant?.identity ?? '';
  }

  /** Everything heard so far, in arrival order. */
  get heard(): readonly HeardFrame[] {
    return this.#heard;
  }

  /** Names of the remote participants in the room. */
  get remoteIdentities(): string[] {
    return [...this.#room.remoteParticipants.keys()];
  }

  /** Publishes the microphone (track `name`), sending silence until something is played. */
  async publish(name = 'mic'): Promise<void> {
    const source = new AudioSource(RATE, 1, 100);
    this.#source = source;
    const track = LocalAudioTrack.createAudioTrack(name, source);
    await this.#room.localParticipant?.publishTrack(
      track,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    );
    this.#pacer = new Pacer({
      leadMs: 20,
      pull: () => this.#nextFrame(),
      send: (frame) => {
        this.framesSent++;
        source.captureFrame(new AudioFrame(frame, RATE, 1, FRAME)).catch(() => undefined);
      },
    });
    this.#pacer.start();
  }

  /**
   * Plays 48 kHz mono PCM on the microphone in real time; resolves when its last frame was sent, with the times
   * (performance.now()) its first and last frames were handed to the source.
   */
  play(pcm: Int16Array): Promise<{ startT: number; endT: number }> {
    if (!this.#pacer) throw new Error('publish() first');
    if (this.#playing) throw new Error('already playing');
    return new Promise((resolve) => {
      this.#firstFrameT = null;
      this.#playing = {
        pcm,
        offset: 0,
        done: (endT) => resolve({ startT: this.#firstFrameT ?? endT, endT }),
      };
    });
  }

  /** Level samples of what was heard from participants whose identity starts with `prefix`. */
  levels(prefix = 'agent:'): Array<{ t: number; rms: number }> {
    return this.#heard.filter((f) => f.from.startsWith(prefix)).map(({ t, rms }) => ({ t, rms }));
  }

  /** True if audio from `prefix` at speech level (rms >= 0.01) arrived since `t`. */
  audibleSince(t: number, prefix = 'agent:'): boolean {
    for (let i = this.#heard.length - 1; i >= 0; i--) {
      const f = this.#heard[i] as HeardFrame;
      if (f.t < t) return false;
      if (f.from.startsWith(prefix) && f.rms >= 0.01) return true;
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pacer?.stop();
    for (const reader of this.#readers) await reader.cancel().catch(() => undefined);
    await this.#room.disconnect().catch(() => undefined);
    await this.#source?.close().catch(() => undefined);
  }

  #nextFrame(): Int16Array {
    const frame = new Int16Array(FRAME);
    const playing = this.#playing;
    if (!playing) return frame;
    this.#firstFrameT ??= performance.now();
    frame.set(playing.pcm.subarray(playing.offset, playing.offset + FRAME));
    playing.offset += FRAME;
    if (playing.offset >= playing.pcm.length) {
      this.#playing = null;
      playing.done(performance.now());
    }
    return frame;
  }

  #listen(track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant): void {
    if (track.kind !== TrackKind.KIND_AUDIO || this.#closed) return;
    const reader = new AudioStream(track, { sampleRate: RATE, numChannels: 1, frameSizeMs: 10 }).getReader();
    this.#readers.push(reader);
    const from = participant.identity;
    const name = publication.name ?? '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done || !value) return;
        let sum = 0;
        for (const s of value.data) sum += s * s;
        const rms = Math.sqrt(sum / Math.max(1, value.data.length)) / 32_768;
        const pcm = this.#keepPcm ? value.data : new Int16Array(0);
        this.#heard.push({ t: performance.now(), rms, from, track: name, pcm });
      }
    })();
  }
}
